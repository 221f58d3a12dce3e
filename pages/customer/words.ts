// What the customer reads: every status of the order, its payments and refunds in plain words. Pure.
import type { GatewayName } from '../../domain/gateways.js';
import type { OrderStatus, PaymentStatus, RefundStatus } from '../../domain/order.js';
import { money } from '../shared/format.js';
import type { Tone } from '../shared/ui.js';

export interface StatusWords {
  label: string;
  tone: Tone;
  /** One or two sentences: what happened and what happens next. */
  detail: string;
}

interface StatusFacts {
  status: OrderStatus;
  statusReason: string | null;
  currency: string;
  paidAmount: number;
  refundedAmount: number;
}

/** The order's status as a sentence the customer understands, with the reason when it ended early. */
export function orderStatusWords(order: StatusFacts): StatusWords {
  const reason = order.statusReason ? ` Reason: ${order.statusReason}` : '';
  switch (order.status) {
    case 'awaiting_payment':
      return { label: 'Awaiting payment', tone: 'info', detail: 'Your order is reserved until the payment deadline shown below.' };
    case 'paid':
      return { label: 'Paid', tone: 'good', detail: 'Thank you, your payment has arrived. The merchant will confirm your order shortly.' };
    case 'confirmed':
      return { label: 'Confirmed', tone: 'good', detail: 'The merchant has confirmed your order and is preparing it for shipping.' };
    case 'shipped':
      return { label: 'Shipped', tone: 'info', detail: 'Your order is on its way. The carrier and tracking number are below.' };
    case 'delivered':
      return { label: 'Delivered', tone: 'good', detail: 'Your order has been delivered.' };
    case 'completed':
      return { label: 'Completed', tone: 'good', detail: 'This order is complete.' };
    case 'cancelled':
      return {
        label: 'Cancelled',
        tone: 'neutral',
        detail: `This order was cancelled.${order.paidAmount > 0 ? ' What you paid is refunded to you.' : ' Nothing was charged.'}${reason}`,
      };
    case 'expired':
      return {
        label: 'Expired',
        tone: 'neutral',
        detail: `The time to pay ran out before a payment arrived, so the order was not placed.${order.paidAmount > 0 ? ' A payment that arrived late is refunded to you automatically.' : ' Nothing was charged.'}${reason}`,
      };
    case 'refunded':
      return {
        label: 'Refunded',
        tone: 'neutral',
        detail: `This order was refunded in full: ${money(order.refundedAmount, order.currency)} goes back to the account you paid with.${reason}`,
      };
    case 'needs_review':
      return {
        label: 'Payment under review',
        tone: 'warn',
        detail: 'The amount the payment service received differs from the order total. The merchant is reviewing it and will contact you; you do not need to pay again.',
      };
  }
}

export function paymentStatusWords(status: PaymentStatus): { label: string; tone: Tone } {
  switch (status) {
    case 'pending':
      return { label: 'Not paid yet', tone: 'info' };
    case 'succeeded':
      return { label: 'Paid', tone: 'good' };
    case 'failed':
      return { label: 'Failed, nothing was charged', tone: 'bad' };
    case 'closed':
      return { label: 'Closed, nothing was charged', tone: 'neutral' };
  }
}

export function refundStatusWords(status: RefundStatus): { label: string; tone: Tone; detail: string } {
  switch (status) {
    case 'pending_approval':
      return { label: 'Waiting for the merchant’s approval', tone: 'warn', detail: 'The merchant reviews this request before the money is returned.' };
    case 'processing':
      return { label: 'Being processed', tone: 'info', detail: 'The payment service is returning the money to the account you paid with.' };
    case 'succeeded':
      return { label: 'Refunded', tone: 'good', detail: 'The money has been returned to the account you paid with.' };
    case 'failed':
      return { label: 'Failed', tone: 'bad', detail: 'The payment service could not return the money. The merchant has been told and will follow up.' };
    case 'rejected':
      return { label: 'Declined by the merchant', tone: 'neutral', detail: 'The merchant declined this request; see its note.' };
  }
}

const GATEWAY_NAMES: Record<GatewayName, string> = {
  sandbox: 'Sandbox (test payment, no real money)',
  alipay: 'Alipay',
  wechatpay: 'WeChat Pay',
  unionpay: 'UnionPay Online',
  stripe: 'Card (Stripe)',
};

export function gatewayName(gateway: GatewayName): string {
  return GATEWAY_NAMES[gateway] ?? gateway;
}
