// What the customer reads: every status of the order, its payments and refunds in plain words, in the
// reader's language (core/i18n). Pure.
import type { Words } from '../../core/i18n/messages.js';
import type { GatewayName } from '../../domain/gateways.js';
import type { OrderStatus, PaymentStatus, RefundStatus } from '../../domain/order.js';
import type { Tone } from '../shared/ui.js';

export interface StatusWords {
  label: string;
  tone: Tone;
  /** One or two sentences: what happened and what happens next. */
  detail: string;
}

interface StatusFacts {
  status: OrderStatus;
  currency: string;
  paidAmount: number;
  refundedAmount: number;
}

const ORDER_TONE: Record<OrderStatus, Tone> = {
  awaiting_payment: 'info',
  paid: 'good',
  confirmed: 'good',
  shipped: 'info',
  delivered: 'good',
  completed: 'good',
  cancelled: 'neutral',
  expired: 'neutral',
  refunded: 'neutral',
  needs_review: 'warn',
};

/** The order's status as sentences the customer understands, with `reason` (already in words) when it ended early. */
export function orderStatusWords(order: StatusFacts, w: Words, reason?: string): StatusWords {
  const sentences = [w.t(`detail.${order.status}`, { amount: w.money(order.refundedAmount, order.currency) })];
  if (order.status === 'cancelled') sentences.push(w.t(order.paidAmount > 0 ? 'detail.paid_back' : 'detail.nothing_charged'));
  if (order.status === 'expired') sentences.push(w.t(order.paidAmount > 0 ? 'detail.late_paid_back' : 'detail.nothing_charged'));
  if (reason && (order.status === 'cancelled' || order.status === 'expired' || order.status === 'refunded')) sentences.push(w.t('detail.reason', { reason }));
  return { label: w.t(`status.${order.status}`), tone: ORDER_TONE[order.status], detail: sentences.join(w.locale === 'zh-CN' ? '' : ' ') };
}

const PAYMENT_TONE: Record<PaymentStatus, Tone> = { pending: 'info', succeeded: 'good', failed: 'bad', closed: 'neutral' };

export function paymentStatusWords(status: PaymentStatus, w: Words): { label: string; tone: Tone } {
  return { label: w.t(`payment.${status}`), tone: PAYMENT_TONE[status] };
}

const REFUND_TONE: Record<RefundStatus, Tone> = { pending_approval: 'warn', processing: 'info', succeeded: 'good', failed: 'bad', rejected: 'neutral' };

export function refundStatusWords(status: RefundStatus, w: Words): { label: string; tone: Tone; detail: string } {
  return { label: w.t(`refund.${status}`), tone: REFUND_TONE[status], detail: w.t(`refund.${status}.detail`) };
}

export function gatewayName(gateway: GatewayName, w: Words): string {
  return w.t(`gateway.${gateway}`);
}
