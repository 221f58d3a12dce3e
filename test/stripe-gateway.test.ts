// Stripe end to end: the HTTP API, the order workflow on Temporal, the adapter and the `stripe` client,
// against the Stripe simulator.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from './simulators/stripe/simulator.js';
import type { DeliveryMode } from './simulators/stripe/webhooks.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { cancelUnpaid, expectLatePaymentRefunded } from './support/late-payment.js';

const events = (order: { timeline: Array<{ event: string }> }) => order.timeline.map((e) => e.event);

type StripeMerchant = Merchant & { stripe: { secretKey: string; webhookSecret: string } };

describe('Stripe through the order workflow', () => {
  let sim: StripeSimulator;
  let stack: Stack;
  let merchant: StripeMerchant;

  beforeAll(async () => {
    sim = await startStripeSimulator();
    stack = await startStack({ STRIPE_API_URL: sim.url });
    await stack.startWorker();
    merchant = await stripeMerchant({ paymentCheckIntervalSeconds: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.close();
  });

  const webhookUrl = (m: Merchant) => `${stack.baseUrl}/webhooks/stripe/${m.merchantId}/test`;

  /**
   * A merchant charging USD, with a webhook endpoint on its own Stripe account, on `sharing`'s account, or
   * with the credentials `override` gives.
   */
  async function stripeMerchant(settings: Record<string, unknown> = {}, options: { sharing?: StripeMerchant; override?: Record<string, string> } = {}): Promise<StripeMerchant> {
    const m = await stack.createMerchant({ settings: { currency: 'USD', ...settings } });
    const stripe = { ...sim.merchantCredentials(webhookUrl(m), options.sharing?.stripe), ...options.override };
    await stack.setCredentials(m, 'stripe', stripe);
    return { ...m, stripe };
  }

  async function checkout(m: Merchant = merchant) {
    const response = await stack.checkout(m, { paymentMethod: 'stripe' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string; total: number }; payment: { id: string; action: { type: string; url: string } } };
  }

  async function paidOrder(m: StripeMerchant) {
    const body = await checkout(m);
    sim.pay(body.payment.id);
    await stack.waitForOrder(m, body.order.id, (o) => o.status === 'paid');
    return body;
  }

  const webhookEvents = (paymentId: string) => stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'providerEventId']).where('paymentId', '=', paymentId).execute();
  const deliveriesTo = (m: Merchant) => sim.deliveries.filter((d) => d.url === webhookUrl(m));
  const sessionPosts = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');

  it('redirects to Checkout and is paid when the shopper pays; the webhook is acknowledged with {"received":true}', async () => {
    const { order, payment } = await checkout();
    const session = sim.session(payment.id);
    expect(payment.action).toEqual({ type: 'redirect', url: session.url });
    expect(session).toMatchObject({ amount_total: order.total, currency: 'usd', client_reference_id: payment.id, metadata: { payment_id: payment.id, merchant_id: merchant.merchantId } });
    const before = sim.deliveries.length;
    sim.pay(payment.id);
    const paid = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(order.total);
    expect(paid.payments[0]).toMatchObject({ status: 'succeeded', gatewayReference: sim.session(payment.id).payment_intent });
    await sim.idle();
    const delivered = sim.deliveries.slice(before);
    expect(delivered.map((d) => [d.status, d.contentType, d.body])).toEqual([[200, 'application/json', '{"received":true}']]);
    expect(await webhookEvents(payment.id)).toEqual([{ status: 'signalled', verified: true, providerEventId: delivered[0]!.eventId }]);
  });

  it('acknowledges a duplicated (and delayed) webhook without signalling it twice', async () => {
    const { order, payment } = await checkout();
    sim.pay(payment.id, { notify: { mode: 'duplicate', delayMs: 200 } });
    const paid = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    expect(events(paid).filter((e) => e === 'payment_succeeded')).toHaveLength(1);
    await sim.idle();
    const stored = await webhookEvents(payment.id);
    expect(stored.map((e) => e.status).sort()).toEqual(['duplicate', 'signalled']);
    expect(new Set(stored.map((e) => e.providerEventId)).size).toBe(1);
  });

  it('waits for a delayed payment method to settle; events arriving out of order cannot move it back', async () => {
    const m = await stripeMerchant({ paymentCheckIntervalSeconds: 30 });
    const { order, payment } = await checkout(m);
    sim.pay(payment.id, { delayed: true, notify: { mode: 'reorder' } });
    sim.settleDelayed(payment.id, 'succeeded');
    const paid = await stack.waitForOrder(m, order.id, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(order.total);
    await sim.idle();
    // The completion came after the settlement; re-fetched, both say what the session is now: paid.
    expect(deliveriesTo(m).map((d) => [d.type, d.status])).toEqual([['checkout.session.async_payment_succeeded', 200], ['checkout.session.completed', 200]]);
    expect((await stack.order(m, order.id)).body.status).toBe('paid');
  });

  it('refunds a delayed payment that settles after the order was cancelled, automatically', async () => {
    const m = await stripeMerchant({ paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 30 });
    const { order, payment } = await checkout(m);
    // The bank debit is under way when the customer cancels; it settles afterwards.
    sim.pay(payment.id, { delayed: true });
    await cancelUnpaid(stack, m, order.id);
    sim.settleDelayed(payment.id, 'succeeded');
    await expectLatePaymentRefunded(stack, m, order, sim.session(payment.id).payment_intent as string);
    expect(sim.refunds(payment.id).map((r) => [r.amount, r.status])).toEqual([[order.total, 'succeeded']]);
  });

  it('expires the Checkout Session when the payment window ends', async () => {
    const m = await stripeMerchant({ paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 1 });
    const { order, payment } = await checkout(m);
    const expired = await stack.waitForOrder(m, order.id, (o) => o.status === 'expired');
    expect(expired.payments[0].status).toBe('closed');
    const session = sim.session(payment.id);
    expect(session.status).toBe('expired');
    expect(sim.requests.filter((r) => r.path === `/v1/checkout/sessions/${session.id}/expire`).map((r) => r.status)).toEqual([200]);
  });

  it('refunds in parts, the first settled by webhook, the second retried after a lost answer without refunding twice', async () => {
    const m = await stripeMerchant({ paymentCheckIntervalSeconds: 30 });
    const { order, payment } = await paidOrder(m);
    const refund = (body: unknown) => stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: m.adminKey, body });

    sim.setRefundBehaviour(m.stripe.secretKey, { result: 'pending', settle: 'succeeded', settleAfterMs: 100 });
    const first = await refund({ amount: 10_000, reason: 'one cup broke' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await stack.waitForOrder(m, order.id, (o) => o.refunds[0]?.status === 'succeeded');
    const refundEvents = await stack.db.selectFrom('webhookEvents').select(['status', 'refundId']).where('merchantId', '=', m.merchantId).where('kind', '=', 'refund').execute();
    expect(refundEvents).toEqual([{ status: 'signalled', refundId: first.body.id }]);

    // Stripe refunds the rest, but its answer is lost: the retry finds the refund instead of repeating it.
    sim.setRefundBehaviour(m.stripe.secretKey, { result: 'succeeded' });
    sim.failNext({ status: 500, route: 'POST /v1/refunds', afterProcessing: true });
    const rest = await refund({ reason: 'customer changed their mind' });
    const refunded = await stack.waitForOrder(m, order.id, (o) => o.status === 'refunded');
    expect(refunded.refundedAmount).toBe(order.total);
    expect(refunded.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
    const ledger = sim.refunds(payment.id);
    expect(ledger.map((r) => [r.metadata.refund_id, r.amount, r.status])).toEqual([[first.body.id, 10_000, 'succeeded'], [rest.body.id, order.total - 10_000, 'succeeded']]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.idempotencyKey === rest.body.id).map((r) => r.status)).toEqual([500]);
  });

  it('recovers a lost webhook by looking the session up', async () => {
    const { order, payment } = await checkout();
    sim.pay(payment.id, { notify: { mode: 'drop' } });
    const paid = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(order.total);
    expect(await webhookEvents(payment.id)).toEqual([]);
  });

  describe('webhooks that must change nothing', () => {
    let quiet: StripeMerchant;
    beforeAll(async () => {
      // No look-ups during these tests: only webhooks could move the order.
      quiet = await stripeMerchant({ paymentCheckIntervalSeconds: 60 });
    });

    const rejected = (m: Merchant, paymentId: string) =>
      stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'verificationError']).where('merchantId', '=', m.merchantId).where('body', 'like', `%${paymentId}%`).execute();

    async function unchanged(m: Merchant, orderId: string) {
      const order = (await stack.order(m, orderId)).body;
      expect(order.status).toBe('awaiting_payment');
      expect(order.paidAmount).toBe(0);
      expect(events(order)).not.toContain('payment_succeeded');
    }

    it.each<[DeliveryMode, RegExp]>([
      ['foreign-secret', /No signatures found/],
      ['stale', /Timestamp outside the tolerance zone/],
      ['corrupt', /No signatures found/],
    ])('rejects a %s delivery with 401 and stores it as rejected', async (mode, reason) => {
      const { order, payment } = await checkout(quiet);
      sim.sendEvent(payment.id, 'checkout.session.completed', { mode });
      await sim.idle();
      expect(deliveriesTo(quiet).filter((d) => d.mode === mode).at(-1)!.status).toBe(401);
      const stored = await rejected(quiet, payment.id);
      expect(stored).toEqual([{ status: 'rejected', verified: false, verificationError: expect.stringMatching(reason) }]);
      await unchanged(quiet, order.id);
    });

    it('rejects another merchant’s event arriving through a shared Stripe account', async () => {
      const neighbour = await stripeMerchant({ paymentCheckIntervalSeconds: 60 }, { sharing: quiet });
      const { order: mine } = await checkout(quiet);
      const { order: theirs, payment } = await checkout(neighbour);
      sim.pay(payment.id);
      await stack.waitForOrder(neighbour, theirs.id, (o) => o.status === 'paid');
      await sim.idle();
      expect(deliveriesTo(quiet).filter((d) => d.eventId === deliveriesTo(neighbour).at(-1)!.eventId).map((d) => d.status)).toEqual([400, 400, 400, 400]);
      expect(new Set((await rejected(quiet, payment.id)).map((e) => e.verificationError))).toEqual(new Set([expect.stringMatching(/belongs to another merchant/)]));
      await unchanged(quiet, mine.id);
    });

    it('accepts a genuine "completed" event for an unpaid session as a mere hint: the session is still open', async () => {
      const { order, payment } = await checkout(quiet);
      sim.sendEvent(payment.id, 'checkout.session.completed');
      await sim.idle();
      expect(deliveriesTo(quiet).at(-1)!.status).toBe(200);
      const stored = await stack.db.selectFrom('webhookEvents').select(['verified', 'notification']).where('paymentId', '=', payment.id).execute();
      expect(stored).toEqual([{ verified: true, notification: expect.objectContaining({ kind: 'payment', status: 'pending' }) }]);
      await unchanged(quiet, order.id);
      // The order was live all along: a real payment now pays it.
      sim.pay(payment.id);
      await stack.waitForOrder(quiet, order.id, (o) => o.status === 'paid');
    });
  });

  it('retries a 500 and a 429 from Stripe until the Checkout Session is created', async () => {
    sim.failNext({ status: 500, route: 'POST /v1/checkout/sessions' });
    sim.failNext({ status: 429, route: 'POST /v1/checkout/sessions' });
    const before = sessionPosts().length;
    const { payment } = await checkout();
    expect(sessionPosts().slice(before).map((r) => [r.status, r.idempotencyKey])).toEqual([[500, payment.id], [429, payment.id], [200, payment.id]]);
    expect(sim.session(payment.id).status).toBe('open');
  });

  it('fails the checkout with a clear reason on a refused key or invalid parameters, without retrying', async () => {
    const failedCheckout = async (m: Merchant, message: RegExp) => {
      const before = sessionPosts().length;
      const response = await stack.checkout(m, { paymentMethod: 'stripe' });
      expect(response.status, JSON.stringify(response.body)).toBe(502);
      expect(response.body.error.message).toMatch(message);
      expect(sessionPosts().slice(before)).toHaveLength(1);
      const order = await vi.waitFor(() => stack.db.selectFrom('orders').select('id').where('merchantId', '=', m.merchantId).executeTakeFirstOrThrow(), { timeout: 5_000 });
      const cancelled = await stack.waitForOrder(m, order.id, (o) => o.status === 'cancelled');
      expect(cancelled.statusReason).toMatch(message);
      expect(cancelled.statusReason).not.toMatch(/sk_test/);
      expect(events(cancelled)).toContain('payment_creation_failed');
    };
    const wrongKey = await stripeMerchant({}, { override: { secretKey: 'sk_test_revoked0000000000000000' } });
    await failedCheckout(wrongKey, /Stripe refused the secret key \(HTTP 401\)/);

    const cheap = await stack.createMerchant({ settings: { currency: 'USD', shippingFee: 0, taxRateBps: 0 }, products: [{ sku: 'PIN', unitAmount: 30 }] });
    await stack.setCredentials(cheap, 'stripe', sim.merchantCredentials(webhookUrl(cheap)));
    const response = await stack.checkout(cheap, { paymentMethod: 'stripe', items: [{ sku: 'PIN', quantity: 1 }] });
    expect(response.status).toBe(502);
    expect(response.body.error.message).toMatch(/must add up to at least 50 usd \[amount_too_small\]/);
  });

  it('takes any currency, zero-decimal ones in their own units', async () => {
    const yen = await stack.createMerchant({ settings: { currency: 'JPY', shippingFee: 500, taxRateBps: 1000 }, products: [{ sku: 'TEA', unitAmount: 1_800 }, { sku: 'CUP', unitAmount: 900 }] });
    await stack.setCredentials(yen, 'stripe', sim.merchantCredentials(webhookUrl(yen)));
    const { order, payment } = await checkout(yen);
    expect(sim.session(payment.id)).toMatchObject({ amount_total: order.total, currency: 'jpy' });
    sim.pay(payment.id);
    expect((await stack.waitForOrder(yen, order.id, (o) => o.status === 'paid')).paidAmount).toBe(order.total);
  });
});
