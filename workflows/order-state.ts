// Pure helpers over the order state the workflow owns: no Temporal imports, so they are easy to test.
import type { Actor, OrderInput, OrderState, OrderStatus, Refund } from '../domain/order.js';

export function initialState(input: OrderInput): OrderState {
  return {
    orderId: input.orderId,
    orderNo: input.orderNo,
    merchantId: input.merchantId,
    status: 'awaiting_payment',
    currency: input.currency,
    items: input.items,
    subtotal: input.subtotal,
    shippingFee: input.shippingFee,
    tax: input.tax,
    total: input.total,
    paidAmount: 0,
    refundedAmount: 0,
    customer: input.customer,
    shippingAddress: input.shippingAddress,
    paymentMethod: input.paymentMethod,
    payments: [],
    refunds: [],
    timeline: [{ seq: 1, at: input.createdAt, status: 'awaiting_payment', event: 'order_created', actor: 'customer' }],
    version: 1,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
  };
}

/** Records an event on the timeline (optionally moving the status) and bumps the version. */
export function record(
  state: OrderState,
  at: string,
  event: string,
  actor: Actor,
  options: { status?: OrderStatus; message?: string; reason?: string } = {},
): void {
  if (options.status) {
    state.status = options.status;
    state.statusReason = options.reason;
  }
  state.timeline.push({
    seq: state.timeline.length + 1,
    at,
    status: state.status,
    event,
    actor,
    ...(options.message !== undefined && { message: options.message }),
  });
  state.version += 1;
  state.updatedAt = at;
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
