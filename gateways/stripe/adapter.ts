// Stripe through Checkout Sessions: the shopper pays on Stripe's hosted page, we learn the outcome from
// webhooks (re-fetching what they name) or by looking the session up. Our ids travel in metadata and as
// the idempotency keys, so a retried call never creates a second session or refund.
import type Stripe from 'stripe';
import { GatewayError, NotificationRejected, type GatewayAdapter, type GatewayContext, type PaymentRef, type RefundRequest } from '../types.js';
import { toStripeAmount } from './amounts.js';
import { memoByCredentials } from '../credential-memo.js';
import { limitText } from '../text-limits.js';
import { isInvalidRequest, isMissing, orMissing, stripeClient, toGatewayError } from './client.js';
import { ownIds, verifiedEvent } from './notifications.js';
import { idOf, paymentResult, refundResult } from './results.js';
import { STRIPE_PROFILE } from './profile.js';
import { stripeDay } from './statement.js';

export interface StripeAdapterDeps {
  apiUrl: string;
  timeoutMs?: number;
}

/** Stripe lets a Checkout Session live between 30 minutes and 24 hours. */
const MIN_SESSION_SECONDS = 30 * 60;
const MAX_SESSION_SECONDS = 24 * 60 * 60;
/** Our clock and Stripe's may disagree a little about when something was created. */
const CLOCK_SKEW_SECONDS = 5 * 60;

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Stripe's `expires_at` for our payment window. A window shorter than Stripe's minimum is stretched (the
 * workflow expires the session itself when ours closes). It is computed from the order's creation time,
 * not the clock, so a retried create sends identical parameters and Stripe replays the first answer
 * instead of refusing the idempotency key; one extra hour of margin leaves room for a late first attempt.
 */
export function sessionExpiry(request: { expiresAt: string; createdAt: string }): number {
  const created = unixSeconds(request.createdAt);
  const earliest = created + MIN_SESSION_SECONDS + 60 * 60;
  const latest = created + MAX_SESSION_SECONDS - 60 * 60;
  return Math.min(Math.max(unixSeconds(request.expiresAt), earliest), latest);
}

export function createStripeAdapter(deps: StripeAdapterDeps): GatewayAdapter {
  const options = { apiUrl: deps.apiUrl, timeoutMs: deps.timeoutMs ?? 10_000 };
  const clientOf = memoByCredentials((credentials) => stripeClient(options, credentials));

  /** Runs Stripe calls for one merchant, their errors classified. */
  async function withStripe<T>(ctx: GatewayContext, what: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
    const stripe = clientOf(ctx.credentials);
    try {
      return await fn(stripe);
    } catch (error) {
      throw toGatewayError(error, what);
    }
  }

  /**
   * Finds our Checkout Session: by the reference we heard (the session, or its PaymentIntent once paid), or
   * else from our payment id alone, when the answer to its creation was lost. Sessions can only be listed,
   * newest first, not searched; ours was created after the order, so only sessions created since then are
   * paged through, looking for our id in `client_reference_id`.
   */
  async function findSession(stripe: Stripe, payment: PaymentRef): Promise<Stripe.Checkout.Session | undefined> {
    const reference = payment.gatewayReference;
    if (reference?.startsWith('cs_')) {
      const session = await orMissing(() => stripe.checkout.sessions.retrieve(reference));
      return session?.client_reference_id === payment.paymentId ? session : undefined;
    }
    const filter = reference?.startsWith('pi_') ? { payment_intent: reference } : { created: { gte: unixSeconds(payment.createdAt) - CLOCK_SKEW_SECONDS } };
    for await (const session of stripe.checkout.sessions.list({ ...filter, limit: 100 })) {
      if (session.client_reference_id === payment.paymentId) return session;
    }
    return undefined;
  }

  async function sessionResult(stripe: Stripe, session: Stripe.Checkout.Session): Promise<ReturnType<typeof paymentResult>> {
    const intentId = idOf(session.payment_intent);
    const unsettled = session.status === 'complete' && session.payment_status === 'unpaid' && intentId !== undefined;
    return paymentResult(session, unsettled ? (await stripe.paymentIntents.retrieve(intentId)).status : undefined);
  }

  /** The PaymentIntent to refund: the reference is the intent once paid, the session before we learnt it. */
  async function paymentIntentOf(stripe: Stripe, request: RefundRequest): Promise<string> {
    const reference = request.gatewayReference;
    if (reference?.startsWith('pi_')) return reference;
    if (!reference?.startsWith('cs_')) throw new GatewayError('invalid_request', `stripe refund: payment ${request.paymentId} has no Stripe reference`);
    const intent = idOf((await stripe.checkout.sessions.retrieve(reference)).payment_intent);
    if (!intent) throw new GatewayError('invalid_request', `stripe refund: payment ${request.paymentId} was never paid at Stripe`);
    return intent;
  }

  return {
    ...STRIPE_PROFILE,

    // Checkout is a hosted page: whatever flow the shopper asked for, they are sent there.
    async createPayment(ctx, request) {
      const currency = request.currency.toUpperCase();
      const ids = { payment_id: request.paymentId, order_no: request.orderNo, merchant_id: ctx.merchantId };
      const session = await withStripe(ctx, 'create checkout session', (stripe) =>
        stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [{ quantity: 1, price_data: { currency: currency.toLowerCase(), unit_amount: toStripeAmount(request.amount, currency), product_data: { name: request.description } } }],
            client_reference_id: request.paymentId,
            metadata: ids,
            payment_intent_data: { metadata: ids, description: request.description },
            success_url: request.returnUrl,
            cancel_url: request.returnUrl,
            expires_at: sessionExpiry(request),
            // The shopper pays exactly our amount in our currency, never a converted one we would not recognise.
            adaptive_pricing: { enabled: false },
          },
          { idempotencyKey: request.paymentId },
        ),
      );
      if (!session.url) throw new GatewayError('server', `stripe create checkout session: session ${session.id} has no URL`);
      return { action: { type: 'redirect', url: session.url }, gatewayReference: session.id };
    },

    async queryPayment(ctx, payment) {
      return withStripe(ctx, 'query payment', async (stripe) => {
        const session = await findSession(stripe, payment);
        return session ? sessionResult(stripe, session) : { status: 'not_found' };
      });
    },

    async closePayment(ctx, payment) {
      return withStripe(ctx, 'close payment', async (stripe) => {
        const session = await findSession(stripe, payment);
        if (!session) return { status: 'not_found' };
        if (session.status !== 'open') return sessionResult(stripe, session);
        try {
          return await sessionResult(stripe, await stripe.checkout.sessions.expire(session.id));
        } catch (error) {
          // Stripe expires only open sessions: this one completed meanwhile, so report what it is now.
          if (!isInvalidRequest(error)) throw error;
          return sessionResult(stripe, await stripe.checkout.sessions.retrieve(session.id));
        }
      });
    },

    async refund(ctx, request) {
      return withStripe(ctx, 'refund', async (stripe) => {
        const refund = await stripe.refunds.create(
          {
            payment_intent: await paymentIntentOf(stripe, request),
            amount: toStripeAmount(request.amount, request.currency.toUpperCase()),
            metadata: { refund_id: request.refundId, payment_id: request.paymentId, merchant_id: ctx.merchantId, reason: limitText(request.reason, 500) },
          },
          { idempotencyKey: request.refundId },
        );
        return refundResult(refund);
      });
    },

    /**
     * By its reference when we have it; else, like sessions, listed from just before ours was requested and
     * matched by our id in metadata.
     */
    async queryRefund(ctx, { refundId, createdAt, refundReference }) {
      return withStripe(ctx, 'query refund', async (stripe) => {
        if (refundReference?.startsWith('re_')) {
          const refund = await orMissing(() => stripe.refunds.retrieve(refundReference));
          return refund?.metadata?.refund_id === refundId ? refundResult(refund) : { status: 'not_found' };
        }
        for await (const refund of stripe.refunds.list({ created: { gte: unixSeconds(createdAt) - CLOCK_SKEW_SECONDS }, limit: 100 })) {
          if (refund.metadata?.refund_id === refundId) return refundResult(refund);
        }
        return { status: 'not_found' };
      });
    },

    async fetchStatement(ctx, day) {
      return { day, lines: await withStripe(ctx, 'balance transactions', (stripe) => stripeDay(stripe, ctx.merchantId, day)) };
    },

    async verifyNotification(ctx, raw) {
      const { kind, objectId, event } = verifiedEvent(ctx, raw);
      const occurredAt = new Date(event.created * 1000).toISOString();
      // Trouble reaching Stripe fails the delivery (answered 500, so Stripe tries again later).
      const refetch = <T>(what: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> =>
        withStripe(ctx, what, async (stripe) => {
          try {
            return await fn(stripe);
          } catch (error) {
            if (isMissing(error)) throw new NotificationRejected(`stripe event ${event.id}: ${objectId} is unknown to this merchant's Stripe account`, 400);
            throw error;
          }
        });
      if (kind === 'payment') {
        return refetch('fetch checkout session', async (stripe) => {
          const session = await stripe.checkout.sessions.retrieve(objectId);
          const paymentId = ownIds(ctx, session.metadata, `checkout session ${session.id}`).payment_id;
          if (!paymentId) throw new NotificationRejected(`stripe checkout session ${session.id} carries no payment id`, 400);
          return { kind, eventId: event.id, paymentId, ...(await sessionResult(stripe, session)), occurredAt };
        });
      }
      const refund = await refetch('fetch refund', (stripe) => stripe.refunds.retrieve(objectId));
      const ids = ownIds(ctx, refund.metadata, `refund ${refund.id}`);
      if (!ids.refund_id) throw new NotificationRejected(`stripe refund ${refund.id} carries no refund id`, 400);
      return { kind, eventId: event.id, refundId: ids.refund_id, ...(ids.payment_id && { paymentId: ids.payment_id }), ...refundResult(refund), occurredAt };
    },

  };
}
