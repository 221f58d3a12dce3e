// The one interface every payment gateway adapter implements (sandbox, Alipay, WeChat Pay, UnionPay,
// Stripe). Activities call it; the webhook route calls `verifyNotification` and `acknowledge`.
import type { Mode } from '../core/modes.js';
import type { GatewayNotification, PaymentResult, RefundResult } from '../domain/gateway-reports.js';
import type { GatewayStatement, SettlementDay } from '../domain/gateway-statements.js';
import type { GatewayName, GatewayProfile, PaymentFlow } from '../domain/gateways.js';
import type { Payer, PaymentAction } from '../domain/order.js';

/** A merchant's view of a gateway: its decrypted credentials and where notifications must be sent. */
export interface GatewayContext {
  merchantId: string;
  /** Test: the gateway's sandbox environment and the merchant's test credentials. Live: the real gateway. */
  mode: Mode;
  credentials: Record<string, string>;
  notifyUrl: string;
}

export interface CreatePaymentRequest {
  /** Our payment id: the gateway's out-trade-number and the idempotency key of the call. */
  paymentId: string;
  orderNo: string;
  amount: number;
  currency: string;
  description: string;
  returnUrl: string;
  expiresAt: string;
  /** When the order was placed; some gateways identify a transaction by number and time together. */
  createdAt: string;
  /** What the shopper asked for; each gateway picks its default when absent (checkout refuses one it lacks). */
  flow?: PaymentFlow;
  /** What the flow needs to know of the shopper (checkout made sure it is there). */
  payer?: Payer;
}

/**
 * A payment as the gateway knows it: our id and when it was created (UnionPay queries need both), and the
 * gateway's own reference once we have heard it (Stripe then looks it up instead of searching).
 */
export interface PaymentRef {
  paymentId: string;
  createdAt: string;
  gatewayReference?: string;
}

/** A refund as the gateway knows it, likewise. */
export interface RefundRef {
  refundId: string;
  paymentId: string;
  createdAt: string;
  /** The gateway's reference for the refund (not the payment's). */
  refundReference?: string;
}

export interface CreatedPayment {
  action: PaymentAction;
  gatewayReference?: string;
}

export interface RefundRequest {
  /** Our refund id: the gateway's refund request number and the idempotency key of the call. */
  refundId: string;
  paymentId: string;
  gatewayReference?: string;
  amount: number;
  /** What was paid in total: several gateways want it with every refund. */
  paymentAmount: number;
  /** When the payment succeeded: UnionPay cancels a same-day payment instead of refunding it. */
  paidAt?: string;
  currency: string;
  reason: string;
  /** When the refund was requested. */
  createdAt: string;
}

export interface RawNotification {
  headers: Record<string, string>;
  body: string;
}

export interface Acknowledgement {
  status: number;
  contentType: string;
  body: string;
}

/** What the API needs of a gateway before (or without) loading its client library: its named profile and how to answer it. */
export interface AdapterProfile extends GatewayProfile {
  readonly name: GatewayName;
  /** The exact response the gateway expects, so it stops (accepted) or retries (not accepted). */
  acknowledge(accepted: boolean): Acknowledgement;
}

export interface GatewayAdapter extends AdapterProfile {
  createPayment(ctx: GatewayContext, request: CreatePaymentRequest): Promise<CreatedPayment>;
  queryPayment(ctx: GatewayContext, payment: PaymentRef): Promise<PaymentResult>;
  /** Closes an unpaid payment; reports the payment's state, which may turn out to be `succeeded`. */
  closePayment(ctx: GatewayContext, payment: PaymentRef): Promise<PaymentResult>;
  refund(ctx: GatewayContext, request: RefundRequest): Promise<RefundResult>;
  queryRefund(ctx: GatewayContext, refund: RefundRef): Promise<RefundResult>;
  /** Verifies the signature (and freshness) first; throws `NotificationRejected` when it does not hold. */
  verifyNotification(ctx: GatewayContext, raw: RawNotification): Promise<GatewayNotification>;
  /**
   * The gateway's statement of one settlement day, fetched and parsed from its own format. Throws
   * `StatementNotReady` when the gateway has not produced it yet, `StatementUnreadable` when what came back
   * is malformed or truncated (never a partial statement), `GatewayError` for the call itself.
   */
  fetchStatement?(ctx: GatewayContext, day: SettlementDay): Promise<GatewayStatement>;
}

/** The gateway has not produced the day's statement yet; worth asking again later the same day. */
export class StatementNotReady extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementNotReady';
  }
}

/** The statement came back malformed or truncated; the message carries the gateway's own words. */
export class StatementUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementUnreadable';
  }
}

export class NotificationRejected extends Error {
  constructor(
    message: string,
    readonly httpStatus: 400 | 401 = 401,
  ) {
    super(message);
    this.name = 'NotificationRejected';
  }
}

export type GatewayErrorKind = 'network' | 'timeout' | 'server' | 'rate_limited' | 'invalid_request' | 'auth';

/**
 * An HTTP refusal as the retry policy sees it: 429 and 5xx are worth retrying, 401/403 are our
 * credentials, anything else our request.
 */
export function kindOfHttpStatus(status: number): GatewayErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  return 'invalid_request';
}

/**
 * A failed gateway call, classified: network trouble, 5xx, 429 and timeouts are worth retrying (after a
 * timeout the caller re-queries first); invalid parameters and authentication failures are not.
 */
export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get retryable(): boolean {
    return this.kind !== 'invalid_request' && this.kind !== 'auth';
  }
}

/** The gateways this deployment offers, per mode. */
export interface GatewayRegistry {
  /**
   * The adapter for the gateway in a mode: live talks to the gateway's production endpoint, test to its own
   * sandbox environment (or the built-in sandbox). Undefined where this deployment does not offer it.
   */
  get(gateway: GatewayName, mode: Mode): GatewayAdapter | undefined;
  /** The modes the gateway is offered in here: none when switched off (the sandbox with `SANDBOX_ENABLED=false`). */
  modesOf(gateway: GatewayName): readonly Mode[];
}
