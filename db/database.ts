import { CamelCasePlugin, Kysely, PostgresDialect, type ColumnType, type Generated, type JSONColumnType } from 'kysely';
import type { Locale } from '../core/i18n/locales.js';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';
import type { MerchantEventType } from '../domain/merchant-events.js';
import type { Actor, Customer, OrderStatus, PaymentAction, PaymentStatus, RefundStatus, Shipment, ShippingAddress } from '../domain/order.js';
import type { PricedItem } from '../domain/pricing.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import type { RefundCodes } from '../domain/timeline.js';
import type { ReconciliationOutcome, StatementLine } from '../domain/gateway-statements.js';
import type { BookEntry, ItemAction, ReconciliationTotals } from '../domain/reconciliation.js';
import pg from 'pg';

/**
 * Money and other bigint columns arrive from pg as strings. Amounts are integer minor units and fit well
 * inside 2^53, so they are parsed to `number` once, here, and refused if they ever do not fit.
 */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return parsed;
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface MerchantTable {
  id: string;
  name: string;
  contactEmail: string;
  contactPhone: string | null;
  businessLicenceNo: string;
  taxRegistrationNo: string;
  status: 'pending_verification' | 'active' | 'suspended';
  createdAt: CreatedAt;
  verifiedAt: Date | null;
}

export interface ApiKeyTable {
  id: string;
  merchantId: string;
  kind: 'secret' | 'admin';
  /** Test keys see and make only test orders; live keys only live ones. */
  mode: Mode;
  keyHash: string;
  prefix: string;
  createdAt: CreatedAt;
  revokedAt: Date | null;
}

export interface MerchantSettingsTable {
  merchantId: string;
  currency: string;
  shippingFee: number;
  taxRateBps: number;
  paymentWindowSeconds: number;
  paymentCheckIntervalSeconds: number;
  autoConfirm: boolean;
  refundWindowSeconds: number;
  refundApprovalThreshold: number;
  latePaymentGraceSeconds: Generated<number>;
  /** Catalog prices include tax (see `priceCart`). */
  pricesIncludeTax: boolean;
  /** Customer e-mail's From name and Reply-To; null: the merchant's name and contact e-mail. */
  emailSenderName: Generated<string | null>;
  emailReplyTo: Generated<string | null>;
  /** The pages' language when the reader's browser asks for none we have. */
  locale: Locale;
  /** The IANA zone the pages show times in. */
  timeZone: string;
  updatedAt: UpdatedAt;
}

export interface ProductTable {
  merchantId: string;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  active: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface SystemCheckTable {
  id: string;
  requestedBy: string;
  checkedAt: CreatedAt;
}

export interface OrderTable {
  id: string;
  merchantId: string;
  orderNo: string;
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  viewToken: string;
  /** Live: real money. Test: the sandbox or a gateway's sandbox environment. Fixed at checkout. */
  livemode: boolean;
  status: OrderStatus;
  /** Rows written before reasons had codes: the reason as an English sentence (or a person's words). */
  statusReason: string | null;
  /** Why the order reached its status, as a code (domain/timeline.ts `Reason`) and its parameters. */
  statusReasonCode: string | null;
  statusReasonParams: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  currency: string;
  subtotal: number;
  shippingFee: number;
  tax: number;
  /** `tax` is included in the item prices, not added to the total. */
  taxIncluded: boolean;
  /** The customer's language for messages (set at checkout); null for orders from before it was kept. */
  locale: Locale | null;
  total: number;
  paidAmount: number;
  refundedAmount: number;
  items: JSONColumnType<PricedItem[]>;
  customer: JSONColumnType<Customer>;
  customerEmail: string;
  customerPhone: string;
  shippingAddress: JSONColumnType<ShippingAddress>;
  paymentMethod: GatewayName;
  shipment: JSONColumnType<Shipment | null, string | null, string | null>;
  version: number;
  /** Alert codes for people, written apart from the projection (see `raiseOrderAlert`). */
  alerts: Generated<string[]>;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface PaymentTable {
  id: string;
  orderId: string;
  merchantId: string;
  gateway: GatewayName;
  status: PaymentStatus;
  amount: number;
  currency: string;
  capturedAmount: number | null;
  capturedCurrency: string | null;
  gatewayReference: string | null;
  action: JSONColumnType<PaymentAction | null, string | null, string | null>;
  expiresAt: Date | string;
  paidAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface RefundTable {
  id: string;
  orderId: string;
  merchantId: string;
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  status: RefundStatus;
  initiatedBy: Actor;
  note: string | null;
  gatewayReference: string | null;
  failureReason: string | null;
  /** `reason`, `note` and `failureReason` as codes (domain/timeline.ts `RefundCodes`); null in rows written before. */
  codes: JSONColumnType<RefundCodes | null, string | null, string | null>;
  /** Set when the refund was asked for with an Idempotency-Key: answers a retry after the order's run ended. */
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export interface OrderEventTable {
  orderId: string;
  seq: number;
  at: Date | string;
  status: OrderStatus;
  event: string;
  actor: Actor;
  /** Rows written before parameters: the sentence as the workflow wrote it. */
  message: string | null;
  /** The event's parameters (domain/timeline.ts `TimelineParams`); null in rows written before. */
  params: Record<string, unknown> | null;
  /** The X-Request-Id of the API call that caused the entry. */
  requestId: string | null;
}

export interface WebhookEventTable {
  id: string;
  gateway: GatewayName;
  merchantId: string;
  providerEventId: string | null;
  /** The mode it came in for (its address); handed only to an order of the same mode. */
  mode: Mode;
  headers: JSONColumnType<Record<string, string>>;
  body: string;
  verified: boolean;
  verificationError: string | null;
  kind: 'payment' | 'refund' | null;
  paymentId: string | null;
  refundId: string | null;
  orderId: string | null;
  /** received -> signalled | duplicate | unmatched | rejected */
  status: 'received' | 'signalled' | 'duplicate' | 'unmatched' | 'rejected';
  notification: JSONColumnType<GatewayNotification | null, string | null, string | null>;
  receivedAt: CreatedAt;
  processedAt: Date | null;
}

/** Unverifiable notifications per merchant, gateway and window: received, and what of them was stored. */
export interface WebhookRejectionWindowTable {
  merchantId: string;
  gateway: GatewayName;
  windowStart: Date;
  received: number;
  /** Stored in full, within the budget. */
  stored: number;
  storedBytes: number;
  /** Stored truncated, past the budget. */
  sampled: number;
  updatedAt: Generated<Date>;
}

export interface OutboxTable {
  id: string;
  merchantId: string;
  orderId: string;
  kind: string;
  recipient: string;
  payload: JSONColumnType<Record<string, unknown>>;
  createdAt: CreatedAt;
  sentAt: Date | null;
  /** Why the last attempt to send failed (null: none failed, or none made yet). */
  lastError: string | null;
  lastAttemptAt: Date | null;
}

export interface GatewayCredentialTable {
  merchantId: string;
  gateway: GatewayName;
  /** Test credentials point at the gateway's sandbox environment; live ones at the real gateway. */
  mode: Mode;
  ciphertext: string;
  updatedAt: UpdatedAt;
}

export interface AdminSessionTable {
  /** SHA-256 of the cookie's token: the token itself is never stored. */
  id: string;
  merchantId: string;
  /** `hashApiKey` of the admin key that signed in: checked on every request, so revoking it signs out. */
  keyHash: string;
  /** Sent in every form as a hidden field and compared on every POST. */
  csrfToken: string;
  /** What the pages show: the signing key's mode, or test when a live key's holder switched to it. */
  mode: Mode;
  createdAt: CreatedAt;
  expiresAt: Date;
}

export interface AdminFlashTable {
  id: string;
  sessionId: string;
  kind: 'success' | 'error';
  message: string;
  createdAt: CreatedAt;
}

export interface SandboxPaymentTable {
  id: string;
  merchantId: string;
  orderNo: string;
  amount: number;
  currency: string;
  description: string;
  status: 'pending' | 'succeeded' | 'failed' | 'closed';
  capturedAmount: number | null;
  capturedCurrency: string | null;
  notifyUrl: string;
  returnUrl: string;
  expiresAt: Date | string;
  chargeCount: Generated<number>;
  createdAt: CreatedAt;
  paidAt: Date | null;
}

export interface SandboxRefundTable {
  id: string;
  paymentId: string;
  amount: number;
  status: 'processing' | 'succeeded' | 'failed';
  createdAt: CreatedAt;
}

/** The sandbox's per-merchant switches (refund outcomes, statements): shared by every API process. */
export interface SandboxBehaviourTable {
  merchantId: string;
  behaviour: JSONColumnType<Record<string, unknown>>;
  updatedAt: Generated<Date>;
}

/** Something held open (a live-update stream) under `key` until released or `expiresAt`. */
export interface ThrottleLeaseTable {
  key: string;
  id: string;
  expiresAt: Date;
}

/** Where a merchant's server hears about its orders, per mode; the secret sealed with the master key. */
export interface WebhookEndpointTable {
  id: string;
  merchantId: string;
  mode: Mode;
  url: string;
  eventTypes: MerchantEventType[];
  enabled: boolean;
  /** Why it was disabled: by the merchant, a 410 answer, or failing for 3 days. */
  disabledReason: string | null;
  secretCiphertext: string;
  /** The secret before the last rotation, still signing until `previousSecretExpiresAt`. */
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  /** The first failed attempt since the last success. */
  failingSince: Date | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** An event read off an order's timeline (domain/merchant-events.ts), with the body every endpoint is sent. */
export interface MerchantEventTable {
  id: string;
  merchantId: string;
  livemode: boolean;
  orderId: string;
  type: MerchantEventType;
  seq: number;
  body: string;
  createdAt: Date | string;
}

export interface WebhookDeliveryTable {
  id: string;
  eventId: string;
  endpointId: string;
  merchantId: string;
  orderId: string;
  status: 'pending' | 'succeeded' | 'failed';
  /** When its workflow was started (null: not yet). */
  startedAt: Date | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  deliveryId: string;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** The delivery workflow that made the attempt (its first run or a resend); null in attempts made before. */
  workflowId: string | null;
}

/** One reconciliation of a merchant's gateway account (per mode) for one settlement day; a rerun updates it. */
export interface ReconciliationRunTable {
  id: string;
  merchantId: string;
  mode: Mode;
  gateway: GatewayName;
  /** `YYYY-MM-DD` in `timeZone`. */
  settlementDate: string;
  timeZone: string;
  /** waiting: the statement is not ready yet; failed: it could not be fetched or read (`error`, the gateway's words). */
  status: 'waiting' | 'completed' | 'failed';
  error: string | null;
  counts: JSONColumnType<Record<ReconciliationOutcome, number> | Record<string, never>>;
  totals: JSONColumnType<Record<string, ReconciliationTotals>>;
  attempts: Generated<number>;
  startedAt: Date;
  finishedAt: Date | null;
}

/** A statement line as the last run of its day matched it. */
export interface ReconciliationLineTable {
  runId: string;
  seq: number;
  outcome: ReconciliationOutcome;
  kind: 'payment' | 'refund';
  ourId: string | null;
  paymentId: string | null;
  orderId: string | null;
  gatewayReference: string | null;
  amount: number;
  currency: string;
  /** What the gateway charged for the line (negative: a fee returned). */
  fee: number;
  occurredAt: Date | string;
  raw: string;
}

/** Something that did not match, for a person or for the order's workflow; kept across reruns by `itemKey`. */
export interface ReconciliationDiscrepancyTable {
  id: string;
  runId: string;
  merchantId: string;
  itemKey: string;
  outcome: Exclude<ReconciliationOutcome, 'matched'>;
  kind: 'payment' | 'refund';
  ourId: string | null;
  paymentId: string | null;
  orderId: string | null;
  line: JSONColumnType<StatementLine | null, string | null, string | null>;
  entry: JSONColumnType<BookEntry | null, string | null, string | null>;
  action: ItemAction;
  /** applied: handed to the order's workflow, which recorded it; resolved: a person closed it with `note`. */
  status: 'open' | 'applied' | 'resolved';
  note: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface Database {
  merchants: MerchantTable;
  apiKeys: ApiKeyTable;
  merchantSettings: MerchantSettingsTable;
  products: ProductTable;
  systemChecks: SystemCheckTable;
  orders: OrderTable;
  payments: PaymentTable;
  refunds: RefundTable;
  orderEvents: OrderEventTable;
  webhookEvents: WebhookEventTable;
  webhookRejectionWindows: WebhookRejectionWindowTable;
  outbox: OutboxTable;
  gatewayCredentials: GatewayCredentialTable;
  adminSessions: AdminSessionTable;
  adminFlashes: AdminFlashTable;
  sandboxPayments: SandboxPaymentTable;
  sandboxRefunds: SandboxRefundTable;
  sandboxBehaviours: SandboxBehaviourTable;
  throttleLeases: ThrottleLeaseTable;
  webhookEndpoints: WebhookEndpointTable;
  merchantEvents: MerchantEventTable;
  webhookDeliveries: WebhookDeliveryTable;
  webhookAttempts: WebhookAttemptTable;
  reconciliationRuns: ReconciliationRunTable;
  reconciliationLines: ReconciliationLineTable;
  reconciliationDiscrepancies: ReconciliationDiscrepancyTable;
}

export type Db = Kysely<Database>;

export function createDb(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Column names are mapped; JSON values are stored as written (a gateway's form fields such as
  // `biz_content` must come back unchanged).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
}
