// Stripe's statement of a day: the account's balance transactions created within it (charges, refunds and
// their fees), with the charge's or refund's PaymentIntent expanded to read our ids from its metadata.
// Lines of other merchants sharing the Stripe account, and money that is not a charge or a refund
// (payouts, adjustments), are not ours to reconcile.
import type Stripe from 'stripe';
import { dayBounds } from '../../domain/reconciliation.js';
import type { SettlementDay, StatementLine } from '../../domain/gateway-statements.js';
import { StatementUnreadable } from '../types.js';
import { fromStripeAmount } from './amounts.js';

const PAGE = 100;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function unreadable(what: string, transaction: { id: string }): StatementUnreadable {
  return new StatementUnreadable(`stripe balance transaction ${transaction.id}: ${what}`);
}

function lineOf(merchantId: string, t: Stripe.BalanceTransaction): StatementLine | undefined {
  if (t.type !== 'charge' && t.type !== 'payment' && t.type !== 'refund') return undefined;
  const source = t.source;
  if (source === null || typeof source === 'string') throw unreadable('its source came back unexpanded', t);
  const intent = (source as { payment_intent?: string | Stripe.PaymentIntent | null }).payment_intent;
  if (intent === null || intent === undefined) return undefined;
  if (typeof intent === 'string') throw unreadable('its PaymentIntent came back unexpanded', t);
  if (intent.metadata?.merchant_id !== merchantId || !intent.metadata.payment_id) return undefined;
  const currency = t.currency.toUpperCase();
  const amount = fromStripeAmount(Math.abs(t.amount), currency);
  const fee = fromStripeAmount(t.fee, currency);
  if (amount === undefined || fee === undefined) throw unreadable(`${t.amount} / fee ${t.fee} is not a whole number of ${currency} minor units`, t);
  const paymentId = intent.metadata.payment_id;
  const refundId = t.type === 'refund' ? (source as Stripe.Refund).metadata?.refund_id : undefined;
  return {
    kind: t.type === 'refund' ? 'refund' : 'payment',
    ...(t.type === 'refund' ? { paymentId, ...(refundId && { ourId: refundId }) } : { ourId: paymentId }),
    gatewayReference: t.type === 'refund' ? source.id : intent.id,
    amount,
    currency,
    fee,
    occurredAt: new Date(t.created * 1000).toISOString(),
    raw: JSON.stringify({ id: t.id, type: t.type, amount: t.amount, currency: t.currency, fee: t.fee, created: t.created, source: source.id, payment_intent: intent.id }),
  };
}

/** Every line of the day, paging through; a page that says more follow yet holds none is a truncated statement. */
export async function stripeDay(stripe: Stripe, merchantId: string, day: SettlementDay): Promise<StatementLine[]> {
  const { start, end } = dayBounds(day);
  const lines: StatementLine[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await stripe.balanceTransactions.list({ created: { gte: seconds(start), lt: seconds(end) }, limit: PAGE, expand: ['data.source', 'data.source.payment_intent'], ...(after && { starting_after: after }) });
    for (const t of page.data) {
      const line = lineOf(merchantId, t);
      if (line) lines.push(line);
    }
    if (!page.has_more) return lines;
    if (page.data.length === 0) throw new StatementUnreadable(`stripe balance transactions of ${day.date}: a page says more follow but holds none${after ? ` (after ${after})` : ''}`);
    after = page.data.at(-1)!.id;
  }
}
