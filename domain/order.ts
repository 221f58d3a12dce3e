// The order's vocabulary: statuses, the state the workflow owns, and the rules that are pure functions of
// it. Imported by the workflow (which applies them), the API (which shows them) and the activities.
import type { Locale } from '../core/i18n/locales.js';
import type { GatewayName, PaymentFlow } from './gateways.js';
import type { Quote } from './pricing.js';
import type { Reason, RefundCodes } from './timeline.js';

export const ORDER_STATUSES = [
  'awaiting_payment',
  'paid',
  'confirmed',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'expired',
  'refunded',
  'needs_review',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const REFUND_STATUSES = ['pending_approval', 'processing', 'succeeded', 'failed', 'rejected'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';
export type Actor = 'customer' | 'merchant' | 'gateway' | 'system';

export interface Customer {
  name: string;
  email: string;
  phone: string;
}

export interface ShippingAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** What the shop page passes to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, signed with the merchant's key. */
export interface WechatPayRequest {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type PaymentAction =
  | { type: 'redirect'; url: string }
  | { type: 'qr_code'; code: string; url?: string }
  | { type: 'form_post'; url: string; fields: Record<string, string> }
  | { type: 'wechat_jsapi'; payRequest: WechatPayRequest };

/** What the storefront told checkout about the shopper, for the flows that need it (see `flowNeeds`). */
export interface Payer {
  /** The shopper's openid under the merchant's WeChat app id (JSAPI pay). */
  openid?: string;
  /** The shopper's IP address as the storefront saw it (WeChat H5 pay). */
  clientIp?: string;
}

export interface Payment {
  id: string;
  gateway: GatewayName;
  status: PaymentStatus;
  amount: number;
  currency: string;
  /** What the gateway reported it captured, once it did. */
  capturedAmount?: number;
  capturedCurrency?: string;
  gatewayReference?: string;
  action?: PaymentAction;
  expiresAt: string;
  createdAt: string;
  paidAt?: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  status: RefundStatus;
  initiatedBy: Actor;
  note?: string;
  gatewayReference?: string;
  failureReason?: string;
  /** `reason`, `note` and `failureReason` as codes; absent in refunds recorded before codes. */
  codes?: RefundCodes;
  createdAt: string;
  updatedAt: string;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  deliveredAt?: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  status: OrderStatus;
  /** The event's code (`TimelineEvent` in domain/timeline.ts for what the workflow records). */
  event: string;
  actor: Actor;
  /** What the event's words need (`TimelineParams`); absent in entries recorded before, which carry `message`. */
  params?: Record<string, unknown>;
  /** Entries recorded before parameters: the sentence as the workflow wrote it. */
  message?: string;
}

export interface MerchantPolicy {
  paymentWindowSeconds: number;
  paymentCheckIntervalSeconds: number;
  latePaymentGraceSeconds: number;
  autoConfirm: boolean;
  refundWindowSeconds: number;
  refundApprovalThreshold: number;
}

/** An order's mode; orders started before modes existed are live unless paid through the sandbox. */
export function livemodeOf(input: Pick<OrderInput, 'livemode' | 'paymentMethod'>): boolean {
  return input.livemode ?? input.paymentMethod !== 'sandbox';
}

/** Everything the workflow needs to run an order, fixed at checkout: the priced cart (a quote) and the rest. */
export interface OrderInput extends Omit<Quote, 'taxIncluded'> {
  /** Absent in orders started before tax-inclusive prices: tax was added on top. */
  taxIncluded?: boolean;
  orderId: string;
  orderNo: string;
  merchantId: string;
  paymentId: string;
  idempotencyKey: string;
  requestHash: string;
  customer: Customer;
  shippingAddress: ShippingAddress;
  paymentMethod: GatewayName;
  paymentFlow?: PaymentFlow;
  payer?: Payer;
  returnUrl?: string;
  viewToken: string;
  /** The customer's language for messages: the shopper's, else the merchant's default at checkout. Absent in orders started before it was kept. */
  locale?: Locale;
  /** Live: real money. Absent in orders started before modes: see `livemodeOf`. */
  livemode?: boolean;
  policy: MerchantPolicy;
  /** How long payment creation may take, all attempts together, before the order is cancelled (from the configuration). */
  paymentCreationSeconds?: number;
  createdAt: string;
}

/** The order as the workflow knows it: the single source of truth, projected to Postgres on change. */
export interface OrderState extends Quote {
  orderId: string;
  orderNo: string;
  merchantId: string;
  /** Fixed at checkout: a test order never becomes live, nor the other way. */
  livemode: boolean;
  /** Fixed at checkout (`OrderInput.locale`); absent in orders started before it was kept. */
  locale?: Locale;
  status: OrderStatus;
  /** Why the order reached its status, when that needs saying (an end before payment, a review). */
  statusReason?: Reason;
  paidAmount: number;
  refundedAmount: number;
  customer: Customer;
  shippingAddress: ShippingAddress;
  paymentMethod: GatewayName;
  payments: Payment[];
  refunds: Refund[];
  /** Refunds asked for with an Idempotency-Key: the key, what was asked (`refundFingerprint`) and the refund made. */
  refundRequests: RefundRequestRecord[];
  shipment?: Shipment;
  timeline: TimelineEntry[];
  /** Increases with every change; the projection ignores writes older than what it holds. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RefundRequestRecord {
  idempotencyKey: string;
  fingerprint: string;
  refundId: string;
}

/** What a refund request asked for, as one comparable string: the same key must come with the same request. */
export function refundFingerprint(request: { amount?: number; reason: string; actor: Actor }): string {
  return JSON.stringify([request.amount ?? null, request.reason, request.actor]);
}

export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['completed', 'cancelled', 'expired', 'refunded']);

/** Refunds that still hold part of the paid amount: a new refund may use only what is left. */
type RefundAmounts = ReadonlyArray<Pick<Refund, 'status' | 'amount'>>;

export function committedRefundAmount(refunds: RefundAmounts): number {
  return refunds
    .filter((r) => r.status === 'pending_approval' || r.status === 'processing' || r.status === 'succeeded')
    .reduce((sum, r) => sum + r.amount, 0);
}

export function refundableAmount(state: { paidAmount: number; refunds: RefundAmounts }): number {
  return Math.max(0, state.paidAmount - committedRefundAmount(state.refunds));
}

export type RefundDecision =
  | { outcome: 'refuse'; code: string; message: string }
  | { outcome: 'pending_approval' | 'processing' };

/**
 * The refund policy. Before shipping a customer's refund is approved automatically; after shipping, or
 * above the merchant's threshold, it waits for the merchant. A merchant's or the system's own refund needs
 * no approval. After completion (refund window over) refunds are refused.
 */
export function decideRefund(
  state: { status: OrderStatus; paidAmount: number; refunds: RefundAmounts },
  request: { amount: number; actor: Actor },
  policy: Pick<MerchantPolicy, 'refundApprovalThreshold'>,
): RefundDecision {
  if (state.status === 'completed') {
    return { outcome: 'refuse', code: 'refund_window_closed', message: 'The refund window for this order has closed.' };
  }
  if (state.paidAmount === 0 || state.status === 'awaiting_payment' || state.status === 'expired' || state.status === 'cancelled') {
    return { outcome: 'refuse', code: 'not_paid', message: 'Nothing has been paid for this order.' };
  }
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    return { outcome: 'refuse', code: 'invalid_amount', message: 'A refund amount must be a positive integer in minor units.' };
  }
  const refundable = refundableAmount(state);
  if (request.amount > refundable) {
    return {
      outcome: 'refuse',
      code: 'refund_exceeds_paid',
      message: `At most ${refundable} can still be refunded (paid ${state.paidAmount}).`,
    };
  }
  if (request.actor !== 'customer') return { outcome: 'processing' };
  const afterShipping = state.status === 'shipped' || state.status === 'delivered';
  if (afterShipping || request.amount > policy.refundApprovalThreshold) return { outcome: 'pending_approval' };
  return { outcome: 'processing' };
}
