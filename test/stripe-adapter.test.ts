// The Stripe adapter against the simulator, without the order workflow: the request it sends, how it
// finds sessions and refunds again, how it classifies errors, and what it makes of webhooks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../core/ids.js';
import { fromStripeAmount, toStripeAmount } from '../gateways/stripe/amounts.js';
import { createStripeAdapter, sessionExpiry } from '../gateways/stripe/adapter.js';
import { GatewayError, NotificationRejected, type GatewayContext, type RawNotification } from '../gateways/types.js';
import { startStripeSimulator, type StripeSimulator } from './simulators/stripe/simulator.js';
import type { Delivery } from './simulators/stripe/webhooks.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('stripe adapter', () => {
  let sim: StripeSimulator;
  let receiver: NotificationReceiver;
  const adapter = () => createStripeAdapter({ apiUrl: sim.url, timeoutMs: 5_000 });

  beforeAll(async () => {
    sim = await startStripeSimulator();
    receiver = await startNotificationReceiver(() => ({ status: 200, contentType: 'application/json', body: '{"received":true}' }));
  });
  afterAll(async () => {
    await sim?.close();
    await receiver.close();
  });

  /** A merchant with its own Stripe account (or one shared with `sharing`) and webhook endpoint. */
  function merchant(sharing?: GatewayContext): GatewayContext {
    const merchantId = newId('mch');
    const notifyUrl = `${receiver.url}/webhooks/stripe/${merchantId}`;
    const credentials = sim.merchantCredentials(notifyUrl, sharing && { secretKey: sharing.credentials.secretKey! });
    return { merchantId, mode: 'live' as const, credentials, notifyUrl };
  }

  function request(overrides: Partial<{ amount: number; currency: string; expiresAt: string; createdAt: string }> = {}) {
    const paymentId = newId('pay');
    const createdAt = overrides.createdAt ?? new Date().toISOString();
    return { paymentId, orderNo: `ORD-${paymentId.slice(-6)}`, amount: 12_345, currency: 'USD', description: 'Order ORD-1', returnUrl: 'https://shop.example/o/tok', expiresAt: new Date(Date.parse(createdAt) + 5 * 60_000).toISOString(), createdAt, ...overrides };
  }

  /** The webhooks this merchant's endpoint received, after the simulator has finished sending. */
  async function webhooksOf(ctx: GatewayContext): Promise<RawNotification[]> {
    await sim.idle();
    return receiver.received.filter((r) => r.path === new URL(ctx.notifyUrl).pathname);
  }

  async function paidPayment(ctx: GatewayContext, notify: Delivery = { mode: 'drop' }) {
    const req = request();
    await adapter().createPayment(ctx, req);
    sim.pay(req.paymentId, { notify });
    return req;
  }

  it('creates a Checkout Session carrying our ids, once per payment id', async () => {
    const ctx = merchant();
    const req = request();
    const created = await adapter().createPayment(ctx, req);
    const session = sim.session(req.paymentId);
    expect(created).toEqual({ action: { type: 'redirect', url: session.url }, gatewayReference: session.id });
    expect(session).toMatchObject({ amount_total: 12_345, currency: 'usd', client_reference_id: req.paymentId, adaptive_pricing: { enabled: false }, success_url: req.returnUrl, cancel_url: req.returnUrl });
    expect(session.metadata).toEqual({ payment_id: req.paymentId, order_no: req.orderNo, merchant_id: ctx.merchantId });
    // Stripe's minimum lifetime applies, though our window is five minutes.
    expect(session.expires_at).toBe(sessionExpiry(req));
    expect(session.expires_at - session.created).toBeGreaterThanOrEqual(30 * 60);

    const again = await adapter().createPayment(ctx, req);
    expect(again).toEqual(created);
    const posts = sim.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST' && r.idempotencyKey === req.paymentId);
    expect(posts.map((r) => r.replayed)).toEqual([false, true]);
  });

  it('keeps the session within Stripe’s 30 minutes to 24 hours, computed from the order’s creation', () => {
    const createdAt = '2026-01-01T00:00:00.000Z';
    const at = (minutes: number) => new Date(Date.parse(createdAt) + minutes * 60_000).toISOString();
    const base = Date.parse(createdAt) / 1000;
    expect(sessionExpiry({ createdAt, expiresAt: at(2) })).toBe(base + 90 * 60);
    expect(sessionExpiry({ createdAt, expiresAt: at(120) })).toBe(base + 120 * 60);
    expect(sessionExpiry({ createdAt, expiresAt: at(48 * 60) })).toBe(base + 23 * 3600);
  });

  it('converts amounts only where Stripe’s unit differs from ours', async () => {
    expect(toStripeAmount(500, 'JPY')).toBe(500);
    expect(toStripeAmount(12_345, 'USD')).toBe(12_345);
    expect(toStripeAmount(5, 'ISK')).toBe(500);
    expect(fromStripeAmount(500, 'ISK')).toBe(5);
    expect(fromStripeAmount(550, 'ISK')).toBeUndefined();
    expect(toStripeAmount(1_230, 'KWD')).toBe(1_230);
    expect(toStripeAmount(1_500, 'BIF')).toBe(1_500);
    // ISO 4217 counts MGA in hundredths (our table); Stripe in whole ariary.
    expect(toStripeAmount(1_500, 'MGA')).toBe(15);
    expect(() => toStripeAmount(1_550, 'MGA')).toThrow(GatewayError);
    const ctx = merchant();
    const jpy = request({ amount: 500, currency: 'JPY' });
    await adapter().createPayment(ctx, jpy);
    expect(sim.session(jpy.paymentId)).toMatchObject({ amount_total: 500, currency: 'jpy' });
  });

  it('finds a session by our payment id, paging back through newer ones', async () => {
    const ctx = merchant();
    const oldest = request();
    await adapter().createPayment(ctx, oldest);
    const a = adapter();
    for (let i = 0; i < 105; i++) await a.createPayment(ctx, request());
    expect(await a.queryPayment(ctx, oldest)).toEqual({ status: 'pending', gatewayReference: sim.session(oldest.paymentId).id });
    const lists = sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1/checkout/sessions').slice(-2);
    expect(lists.map((r) => r.params.starting_after !== undefined)).toEqual([false, true]);
    expect(await a.queryPayment(ctx, { paymentId: newId('pay'), createdAt: oldest.createdAt })).toEqual({ status: 'not_found' });
  });

  it('looks a session or refund up by the reference we heard, without listing', async () => {
    const ctx = merchant();
    const a = adapter();
    const open = request();
    await a.createPayment(ctx, open);
    const paid = await paidPayment(ctx);
    const { id: sessionId } = sim.session(open.paymentId);
    const intent = sim.session(paid.paymentId).payment_intent!;
    const refund = { refundId: newId('rfd'), paymentId: paid.paymentId, gatewayReference: intent, amount: 1_000, paymentAmount: 12_345, currency: 'USD', reason: 'broken', createdAt: new Date().toISOString() };
    const refunded = await a.refund(ctx, refund);
    const since = sim.requests.length;

    expect(await a.queryPayment(ctx, { ...open, gatewayReference: sessionId })).toEqual({ status: 'pending', gatewayReference: sessionId });
    expect(await a.queryPayment(ctx, { ...paid, gatewayReference: intent })).toMatchObject({ status: 'succeeded', gatewayReference: intent });
    expect(await a.queryRefund(ctx, { ...refund, refundReference: refunded.gatewayReference })).toEqual(refunded);
    // A reference that is not this payment's or refund's finds nothing rather than something else.
    expect(await a.queryPayment(ctx, { ...paid, gatewayReference: sessionId })).toEqual({ status: 'not_found' });
    expect(await a.queryPayment(ctx, { ...open, gatewayReference: 'cs_test_unknown' })).toEqual({ status: 'not_found' });
    expect(await a.queryRefund(ctx, { ...refund, refundId: newId('rfd'), refundReference: refunded.gatewayReference })).toEqual({ status: 'not_found' });

    const calls = sim.requests.slice(since).map((r) => `${r.method} ${r.path.replace(/\/(cs|re)_\w+$/, '/$1_…')}${r.params.payment_intent ? ' by payment_intent' : ''}`);
    expect(calls).toEqual([
      'GET /v1/checkout/sessions/cs_…',
      'GET /v1/checkout/sessions by payment_intent',
      'GET /v1/refunds/re_…',
      'GET /v1/checkout/sessions/cs_…',
      'GET /v1/checkout/sessions/cs_…',
      'GET /v1/refunds/re_…',
    ]);
  });

  it('reports a paid session with Stripe’s amount and the PaymentIntent as reference', async () => {
    const ctx = merchant();
    const req = await paidPayment(ctx);
    const session = sim.session(req.paymentId);
    expect(await adapter().queryPayment(ctx, req)).toEqual({ status: 'succeeded', amount: 12_345, currency: 'USD', gatewayReference: session.payment_intent });
  });

  it('reports a delayed method as pending until it settles, then failed when it fails', async () => {
    const ctx = merchant();
    const req = request();
    await adapter().createPayment(ctx, req);
    sim.pay(req.paymentId, { delayed: true, notify: { mode: 'drop' } });
    expect((await adapter().queryPayment(ctx, req)).status).toBe('pending');
    sim.settleDelayed(req.paymentId, 'failed', { mode: 'drop' });
    expect((await adapter().queryPayment(ctx, req)).status).toBe('failed');
  });

  it('closes an open session by expiring it, and reports a paid one as paid instead', async () => {
    const ctx = merchant();
    const open = request();
    await adapter().createPayment(ctx, open);
    expect((await adapter().closePayment(ctx, open)).status).toBe('closed');
    expect(sim.session(open.paymentId).status).toBe('expired');
    expect((await adapter().closePayment(ctx, open)).status).toBe('closed');
    const paid = await paidPayment(ctx);
    expect((await adapter().closePayment(ctx, paid)).status).toBe('succeeded');
    expect(await adapter().closePayment(ctx, { paymentId: newId('pay'), createdAt: open.createdAt })).toEqual({ status: 'not_found' });
  });

  it('refunds by PaymentIntent (from either reference) once per refund id, and finds refunds again', async () => {
    const ctx = merchant();
    const req = await paidPayment(ctx);
    const session = sim.session(req.paymentId);
    const refund = (refundId: string, amount: number, gatewayReference: string) => ({ refundId, paymentId: req.paymentId, gatewayReference, amount, paymentAmount: 12_345, currency: 'USD', reason: 'broken', createdAt: new Date().toISOString() });
    const first = refund(newId('rfd'), 1_000, session.id);
    const result = await adapter().refund(ctx, first);
    expect(result).toEqual({ status: 'succeeded', gatewayReference: expect.stringMatching(/^re_/) });
    expect(await adapter().refund(ctx, first)).toEqual(result);
    expect(sim.refunds(req.paymentId)).toHaveLength(1);
    expect(sim.refunds(req.paymentId)[0]!.metadata).toMatchObject({ refund_id: first.refundId, payment_id: req.paymentId, merchant_id: ctx.merchantId });
    expect(await adapter().queryRefund(ctx, first)).toEqual(result);
    expect(await adapter().queryRefund(ctx, { ...first, refundId: newId('rfd') })).toEqual({ status: 'not_found' });

    sim.setRefundBehaviour(ctx.credentials.secretKey!, { result: 'pending', settle: 'failed', settleAfterMs: 50, notify: { mode: 'drop' } });
    const second = refund(newId('rfd'), 2_000, session.payment_intent!);
    expect((await adapter().refund(ctx, second)).status).toBe('processing');
    await vi.waitFor(async () => expect((await adapter().queryRefund(ctx, second)).status).toBe('failed'), { timeout: 5_000 });
    const tooMuch = await caught(adapter().refund(ctx, refund(newId('rfd'), 20_000, session.payment_intent!)));
    expect(tooMuch).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('amount_too_large') });
  });

  it('classifies errors for the retry policy and keeps the key out of messages', async () => {
    const ctx = merchant();
    for (const [status, kind] of [[500, 'server'], [503, 'server'], [429, 'rate_limited'], [401, 'auth']] as const) {
      sim.failNext({ status, route: 'POST /v1/checkout/sessions' });
      expect(await caught(adapter().createPayment(ctx, request()))).toMatchObject({ name: 'GatewayError', kind });
    }
    const wrongKey = { ...ctx, credentials: { ...ctx.credentials, secretKey: 'sk_test_not_a_key_stripe_knows' } };
    const refused = (await caught(adapter().createPayment(wrongKey, request()))) as GatewayError;
    expect(refused).toMatchObject({ kind: 'auth', message: 'stripe create checkout session: Stripe refused the secret key (HTTP 401)' });
    expect(await caught(adapter().createPayment({ ...ctx, credentials: {} }, request()))).toMatchObject({ kind: 'auth', message: expect.stringContaining('secretKey is missing') });
    const tooSmall = await caught(adapter().createPayment(ctx, request({ amount: 10 })));
    expect(tooSmall).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('at least 50') });

    const hanging = createServer(() => undefined);
    const hangingUrl = await listen(hanging);
    const slow = createStripeAdapter({ apiUrl: hangingUrl, timeoutMs: 300 });
    expect(await caught(slow.queryPayment(ctx, request()))).toMatchObject({ kind: 'timeout' });
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    const nowhere = createStripeAdapter({ apiUrl: hangingUrl, timeoutMs: 300 });
    expect(await caught(nowhere.queryPayment(ctx, request()))).toMatchObject({ kind: 'network' });
  });

  describe('webhooks', () => {
    it('verifies the signature, then re-fetches the session: its state decides', async () => {
      const ctx = merchant();
      const req = await paidPayment(ctx, { mode: 'deliver' });
      const [delivered] = await webhooksOf(ctx);
      expect(delivered!.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const notification = await adapter().verifyNotification(ctx, delivered!);
      expect(notification).toMatchObject({ kind: 'payment', paymentId: req.paymentId, status: 'succeeded', amount: 12_345, currency: 'USD', gatewayReference: sim.session(req.paymentId).payment_intent });
      expect(notification.eventId).toBe(JSON.parse(delivered!.body).id);

      // A correctly signed "completed" for a session nobody paid changes nothing: Stripe says it is open.
      const unpaid = request();
      await adapter().createPayment(ctx, unpaid);
      sim.sendEvent(unpaid.paymentId, 'checkout.session.completed');
      const hint = (await webhooksOf(ctx)).at(-1)!;
      expect(await adapter().verifyNotification(ctx, hint)).toMatchObject({ paymentId: unpaid.paymentId, status: 'pending' });
    });

    it('rejects forged, stale and tampered deliveries', async () => {
      const ctx = merchant();
      const req = request();
      await adapter().createPayment(ctx, req);
      for (const mode of ['foreign-secret', 'stale', 'corrupt'] as const) sim.sendEvent(req.paymentId, 'checkout.session.completed', { mode });
      const deliveries = await webhooksOf(ctx);
      expect(deliveries).toHaveLength(3);
      for (const delivery of deliveries) {
        const error = await caught(adapter().verifyNotification(ctx, delivery));
        expect(error).toBeInstanceOf(NotificationRejected);
        expect(error).toMatchObject({ httpStatus: 401 });
      }
      expect(await caught(adapter().verifyNotification(ctx, { headers: {}, body: deliveries[0]!.body }))).toMatchObject({ httpStatus: 401 });
      expect(await caught(adapter().verifyNotification({ ...ctx, credentials: { secretKey: ctx.credentials.secretKey! } }, deliveries[0]!))).toMatchObject({ message: expect.stringContaining('webhookSecret is missing') });
    });

    it('rejects another merchant’s event arriving through a shared Stripe account', async () => {
      const first = merchant();
      const second = merchant(first);
      const req = await paidPayment(second, { mode: 'deliver' });
      const [atFirst] = await webhooksOf(first);
      const [atSecond] = await webhooksOf(second);
      expect(await caught(adapter().verifyNotification(first, atFirst!))).toMatchObject({ httpStatus: 400, message: expect.stringContaining('another merchant') });
      expect(await adapter().verifyNotification(second, atSecond!)).toMatchObject({ paymentId: req.paymentId, status: 'succeeded' });
    });

    it('reads refund events from the re-fetched refund', async () => {
      const ctx = merchant();
      const req = await paidPayment(ctx);
      sim.setRefundBehaviour(ctx.credentials.secretKey!, { result: 'pending', settle: 'succeeded', settleAfterMs: 10 });
      const refundId = newId('rfd');
      await adapter().refund(ctx, { refundId, paymentId: req.paymentId, gatewayReference: sim.session(req.paymentId).payment_intent!, amount: 300, paymentAmount: 12_345, currency: 'USD', reason: 'late', createdAt: new Date().toISOString() });
      await vi.waitFor(async () => expect(await webhooksOf(ctx)).toHaveLength(1), { timeout: 5_000 });
      const [updated] = await webhooksOf(ctx);
      expect(JSON.parse(updated!.body).type).toBe('refund.updated');
      expect(await adapter().verifyNotification(ctx, updated!)).toMatchObject({ kind: 'refund', refundId, paymentId: req.paymentId, status: 'succeeded' });
    });

    it('acknowledges with the JSON Stripe expects', () => {
      expect(adapter().acknowledge(true)).toEqual({ status: 200, contentType: 'application/json', body: '{"received":true}' });
      expect(adapter().acknowledge(false).status).toBe(500);
    });
  });
});
