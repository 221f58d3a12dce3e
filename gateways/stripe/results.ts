// Stripe's objects in our terms. A Checkout Session is the payment as the shopper sees it: open while
// they may still pay, complete once they did (paid, or unpaid while a delayed method settles), expired.
import type Stripe from 'stripe';
import type { PaymentResult, RefundResult } from '../../domain/gateway-reports.js';
import { fromStripeAmount } from './amounts.js';

/** What a found object reports: never `not_found`. */
type Found<T extends { status: string }> = T & { status: Exclude<T['status'], 'not_found'> };

export const idOf = (value: string | { id: string } | null): string | undefined => (typeof value === 'string' ? value : value?.id);

/**
 * `intentStatus` matters only for a complete session that is still unpaid: a delayed method (bank debit)
 * is settling while its PaymentIntent is processing, and failed once Stripe sends it back for a payment method.
 */
export function paymentResult(session: Stripe.Checkout.Session, intentStatus?: Stripe.PaymentIntent.Status): Found<PaymentResult> {
  const gatewayReference = idOf(session.payment_intent) ?? session.id;
  if (session.status === 'expired') return { status: 'closed', gatewayReference };
  if (session.status !== 'complete') return { status: 'pending', gatewayReference };
  if (session.payment_status === 'unpaid') {
    const failed = intentStatus === 'requires_payment_method' || intentStatus === 'canceled';
    return { status: failed ? 'failed' : 'pending', gatewayReference };
  }
  const currency = (session.currency ?? '').toUpperCase();
  const amount = session.amount_total === null ? undefined : fromStripeAmount(session.amount_total, currency);
  return { status: 'succeeded', gatewayReference, currency, ...(amount !== undefined && { amount }) };
}

export function refundResult(refund: Stripe.Refund): Found<RefundResult> {
  switch (refund.status) {
    case 'succeeded':
      return { status: 'succeeded', gatewayReference: refund.id };
    case 'failed':
    case 'canceled':
      return { status: 'failed', gatewayReference: refund.id, failureReason: `Stripe ${refund.status} the refund${refund.failure_reason ? `: ${refund.failure_reason}` : ''}` };
    default:
      // pending, requires_action: accepted, result to follow.
      return { status: 'processing', gatewayReference: refund.id };
  }
}
