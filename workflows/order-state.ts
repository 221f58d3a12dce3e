// Pure helpers over the order state the workflow owns: no Temporal imports, so they are easy to test.
import { livemodeOf, type Actor, type OrderInput, type OrderState, type OrderStatus, type Payment, type Refund } from '../domain/order.js';
import type { Reason, TimelineEvent, TimelineParams } from '../domain/timeline.js';
import type { PaymentSignal } from './messages.js';

export function initialState(input: OrderInput): OrderState {
  return {
    orderId: input.orderId,
    orderNo: input.orderNo,
    merchantId: input.merchantId,
    livemode: livemodeOf(input),
    ...(input.locale && { locale: input.locale }),
    status: 'awaiting_payment',
    currency: input.currency,
    items: input.items,
    subtotal: input.subtotal,
    shippingFee: input.shippingFee,
    tax: input.tax,
    taxIncluded: input.taxIncluded ?? false,
    total: input.total,
    paidAmount: 0,
    refundedAmount: 0,
    customer: input.customer,
    shippingAddress: input.shippingAddress,
    paymentMethod: input.paymentMethod,
    payments: [],
    refunds: [],
    refundRequests: [],
    timeline: [{ seq: 1, at: input.createdAt, status: 'awaiting_payment', event: 'order_created', actor: 'customer', params: {} }],
    version: 1,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
  };
}

/**
 * Records an event on the timeline as its code and parameters (optionally moving the status, with the
 * reason for it) and bumps the version. Words are rendered where people read them.
 */
export function record<E extends TimelineEvent>(state: OrderState, at: string, event: E, actor: Actor, params: TimelineParams[E], move?: { status: OrderStatus; reason?: Reason }): void {
  if (move) {
    state.status = move.status;
    state.statusReason = move.reason;
  }
  state.timeline.push({ seq: state.timeline.length + 1, at, status: state.status, event, actor, params: { ...params } });
  state.version += 1;
  state.updatedAt = at;
}

/**
 * Records that the payment succeeded, on every path (notification, query, close, late): what the gateway
 * captured, at the gateway's time (not when the workflow heard: UnionPay's same-day cancel is judged on
 * it), and its reference (refunds need it). Only a capture in the order's currency counts as paid.
 */
export function recordPayment(state: OrderState, payment: Payment, outcome: Pick<PaymentSignal, 'amount' | 'currency' | 'gatewayReference' | 'occurredAt'>): void {
  payment.status = 'succeeded';
  payment.paidAt = outcome.occurredAt;
  payment.capturedAmount = outcome.amount;
  payment.capturedCurrency = outcome.currency;
  payment.gatewayReference = outcome.gatewayReference ?? payment.gatewayReference;
  state.paidAmount = outcome.currency === state.currency ? (outcome.amount ?? 0) : 0;
}

export function touch(state: OrderState, at: string): void {
  state.version += 1;
  state.updatedAt = at;
}

export function findRefund(state: OrderState, refundId: string): Refund | undefined {
  return state.refunds.find((refund) => refund.id === refundId);
}

export function hasOpenRefunds(state: OrderState): boolean {
  return state.refunds.some((refund) => refund.status === 'pending_approval' || refund.status === 'processing');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A refund id like the ids `core/ids.ts` makes (`rfd_` and 12 random bytes in base64url), from the
 * workflow's deterministic uuid4: no Buffer in workflow code, so the encoding is spelt out.
 */
export function refundId(uuid: string): string {
  const hex = uuid.replaceAll('-', '').slice(0, 24);
  let out = '';
  for (let i = 0; i < hex.length; i += 6) {
    const bits = Number.parseInt(hex.slice(i, i + 6), 16);
    out += BASE64URL[(bits >> 18) & 63]! + BASE64URL[(bits >> 12) & 63]! + BASE64URL[(bits >> 6) & 63]! + BASE64URL[bits & 63]!;
  }
  return `rfd_${out}`;
}
