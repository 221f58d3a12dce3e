import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { createSandboxAdapter, createSandboxRoutes } from '../gateways/sandbox/index.js';
import { SANDBOX_SIGNATURE_HEADER, sandboxSecret, signNotification } from '../gateways/sandbox/signature.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import { GatewayError, NotificationRejected, type GatewayAdapter, type GatewayContext } from '../gateways/types.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver, type ReceivedNotification } from './support/notification-receiver.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Creation time of the payments and refunds below: the sandbox identifies them by id alone. */
const NOW = new Date().toISOString();

describe('sandbox gateway', () => {
  const masterKey = randomBytes(32);
  /** Notify paths whose next N deliveries the receiver answers with 500. */
  const failuresLeft = new Map<string, number>();
  let database: TestDatabase;
  let sandboxServer: Server;
  let receiver: NotificationReceiver;
  let baseUrl: string;
  let adapter: GatewayAdapter;

  beforeAll(async () => {
    database = await createTestDatabase();
    const app = new Hono();
    app.route('/sandbox', createSandboxRoutes({ db: database.db, masterKey, logger: pino({ level: 'silent' }) }));
    app.onError((error, c) => (error instanceof ApiError ? c.json(error.toBody(), error.status) : c.json({ error: { code: 'internal_error', message: error.message } }, 500)));
    sandboxServer = await new Promise<Server>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server as Server));
    });
    baseUrl = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;

    receiver = await startNotificationReceiver(({ path }) => {
      const failures = failuresLeft.get(path) ?? 0;
      if (failures === 0) return { status: 200, contentType: 'application/json', body: '{"received":true}' };
      failuresLeft.set(path, failures - 1);
      return { status: 500 };
    });
    adapter = createSandboxAdapter({ baseUrl, masterKey, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await stop(sandboxServer);
    await receiver?.close();
    await database?.drop();
  });

  /** Every test is its own merchant, so its notifications (and refund behaviour) are its own. */
  function newMerchant(): GatewayContext {
    const merchantId = newId('mch');
    return { merchantId, mode: 'test', credentials: {}, notifyUrl: `${receiver.url}/notify/${merchantId}` };
  }

  function notificationsFor(ctx: GatewayContext): ReceivedNotification[] {
    const path = new URL(ctx.notifyUrl).pathname;
    return receiver.received.filter((request) => request.path === path);
  }

  async function verified(ctx: GatewayContext): Promise<GatewayNotification[]> {
    return Promise.all(notificationsFor(ctx).map((request) => adapter.verifyNotification(ctx, request)));
  }

  function paymentRequest(overrides: Partial<{ amount: number; currency: string; description: string; expiresAt: string }> = {}) {
    const paymentId = newId('pay');
    return {
      paymentId,
      orderNo: `ORD-${paymentId.slice(-8)}`,
      amount: 12345,
      currency: 'CNY',
      description: 'Two mugs',
      returnUrl: `https://shop.example/orders/${paymentId}/return`,
      expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      createdAt: NOW,
      ...overrides,
    };
  }

  async function createPayment(ctx: GatewayContext, overrides: Parameters<typeof paymentRequest>[0] = {}) {
    const request = paymentRequest(overrides);
    const created = await adapter.createPayment(ctx, request);
    if (created.action.type !== 'redirect') throw new Error('the sandbox redirects to its hosted page');
    return { request, payUrl: created.action.url, created };
  }

  async function payOnPage(payUrl: string, outcome: string): Promise<Response> {
    return fetch(payUrl, { method: 'POST', body: new URLSearchParams({ outcome }), redirect: 'manual' });
  }

  async function control(ctx: GatewayContext, method: 'POST' | 'PUT', path: string, body: unknown): Promise<Response> {
    return fetch(`${baseUrl}/sandbox/api/merchants/${ctx.merchantId}/control${path}`, {
      method,
      headers: { authorization: `Bearer ${sandboxSecret(masterKey, ctx.merchantId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function complete(ctx: GatewayContext, paymentId: string, body: unknown) {
    const response = await control(ctx, 'POST', `/payments/${paymentId}/complete`, body);
    expect(response.status).toBe(200);
    return (await response.json()) as { payment: { status: string; capturedAmount: number }; deliveries: { eventId: string; status: string }[] };
  }

  async function chargeCount(paymentId: string): Promise<number> {
    const row = await database.db.selectFrom('sandboxPayments').select('chargeCount').where('id', '=', paymentId).executeTakeFirstOrThrow();
    return row.chargeCount;
  }

  async function paidPayment(ctx: GatewayContext, amount: number) {
    const { request, payUrl } = await createPayment(ctx, { amount });
    expect((await payOnPage(payUrl, 'succeeded')).status).toBe(303);
    return request;
  }

  it('creates a payment idempotently by id and reports it pending', async () => {
    const ctx = newMerchant();
    const { request, payUrl, created } = await createPayment(ctx);
    expect(payUrl).toBe(`${baseUrl}/sandbox/pay/${request.paymentId}`);
    expect(created.gatewayReference).toMatch(/^sbx_/);

    const again = await adapter.createPayment(ctx, request);
    expect(again).toEqual(created);
    const rows = await database.db.selectFrom('sandboxPayments').select('id').where('id', '=', request.paymentId).execute();
    expect(rows).toHaveLength(1);

    const conflict = await caught(adapter.createPayment(ctx, { ...request, amount: request.amount + 1 }));
    expect(conflict).toBeInstanceOf(GatewayError);
    expect(conflict).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('different amount') });

    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toEqual({
      status: 'pending',
      amount: 12345,
      currency: 'CNY',
      gatewayReference: created.gatewayReference,
    });
    expect(await adapter.queryPayment(ctx, { paymentId: newId('pay'), createdAt: NOW })).toEqual({ status: 'not_found' });
    // Another merchant cannot see it.
    expect(await adapter.queryPayment(newMerchant(), { paymentId: request.paymentId, createdAt: NOW })).toEqual({ status: 'not_found' });
  });

  it('shows the hosted page with the amount and order number, escaping the description', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx, { description: '<script>alert("x")</script> & mugs' });
    const response = await fetch(payUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('CN¥123.45');
    expect(page).toContain(request.orderNo);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; mugs');
    expect(page).not.toContain('<script>');
    expect(page).toMatch(/<form method="post">\s*<input type="hidden" name="outcome" value="succeeded">/);
    expect(page).toContain('value="failed"');
    expect((await fetch(`${baseUrl}/sandbox/pay/${newId('pay')}`)).status).toBe(404);
  });

  it('takes the payment on the hosted page, redirects back and delivers one signed notification', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx);
    const response = await payOnPage(payUrl, 'succeeded');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(request.returnUrl);

    const result = await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW });
    expect(result).toMatchObject({ status: 'succeeded', amount: 12345, currency: 'CNY' });
    expect(Date.parse(result.paidAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    // The page delivers before it redirects: the notification is already in.
    const [notification, ...more] = notificationsFor(ctx);
    expect(more).toEqual([]);
    expect(notification?.headers['content-type']).toBe('application/json');
    expect(notification?.headers[SANDBOX_SIGNATURE_HEADER.toLowerCase()]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verified(ctx)).toEqual([
      {
        kind: 'payment',
        eventId: expect.stringMatching(/^evt_/),
        paymentId: request.paymentId,
        status: 'succeeded',
        amount: 12345,
        currency: 'CNY',
        gatewayReference: result.gatewayReference,
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('reports a payment failed on the hosted page as failed', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx);
    expect((await payOnPage(payUrl, 'failed')).status).toBe(303);
    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'failed' });
    expect(await chargeCount(request.paymentId)).toBe(0);
    expect(await verified(ctx)).toEqual([expect.objectContaining({ kind: 'payment', status: 'failed', paymentId: request.paymentId })]);
  });

  it('never charges twice, paid one after the other or all at once', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx);
    expect((await payOnPage(payUrl, 'succeeded')).status).toBe(303);
    const second = await payOnPage(payUrl, 'succeeded');
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('Payment received');
    expect(await chargeCount(request.paymentId)).toBe(1);
    expect(notificationsFor(ctx)).toHaveLength(1);

    const concurrent = await createPayment(ctx);
    const responses = await Promise.all(Array.from({ length: 6 }, () => payOnPage(concurrent.payUrl, 'succeeded')));
    expect(responses.filter((response) => response.status === 303)).toHaveLength(1);
    expect(await chargeCount(concurrent.request.paymentId)).toBe(1);
    expect(notificationsFor(ctx)).toHaveLength(2);
  });

  it('closes a pending payment, which can then not be paid', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx);
    expect(await adapter.closePayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'closed' });

    const response = await payOnPage(payUrl, 'succeeded');
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('Payment closed');
    expect(await chargeCount(request.paymentId)).toBe(0);
    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'closed' });
    expect(notificationsFor(ctx)).toEqual([]);
    expect(await adapter.closePayment(ctx, { paymentId: newId('pay'), createdAt: NOW })).toEqual({ status: 'not_found' });
  });

  it('reports a paid payment as succeeded when asked to close it', async () => {
    const ctx = newMerchant();
    const request = await paidPayment(ctx, 500);
    expect(await adapter.closePayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded', amount: 500 });
  });

  it('refuses to take an expired payment', async () => {
    const ctx = newMerchant();
    const { request, payUrl } = await createPayment(ctx, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await fetch(payUrl)).status).toBe(409);
    const response = await payOnPage(payUrl, 'succeeded');
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('Payment expired');
    expect((await control(ctx, 'POST', `/payments/${request.paymentId}/complete`, { outcome: 'succeeded' })).status).toBe(409);
    expect(await chargeCount(request.paymentId)).toBe(0);
    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'pending' });
    expect(notificationsFor(ctx)).toEqual([]);
  });

  it('captures a different amount and currency when told to, and reports what it captured', async () => {
    const ctx = newMerchant();
    const { request } = await createPayment(ctx);
    const { payment, deliveries } = await complete(ctx, request.paymentId, { outcome: 'succeeded', amount: 100, currency: 'USD' });
    expect(payment).toMatchObject({ status: 'succeeded', capturedAmount: 100 });
    expect(deliveries).toEqual([{ eventId: expect.stringMatching(/^evt_/), status: 'delivered' }]);
    expect(await verified(ctx)).toEqual([expect.objectContaining({ status: 'succeeded', amount: 100, currency: 'USD' })]);
    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded', amount: 100, currency: 'USD' });
  });

  it('delivers the same event twice when told to duplicate', async () => {
    const ctx = newMerchant();
    const { request } = await createPayment(ctx);
    const { deliveries } = await complete(ctx, request.paymentId, { outcome: 'succeeded', notification: { mode: 'duplicate' } });
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]?.eventId).toBe(deliveries[1]?.eventId);
    const [first, second] = notificationsFor(ctx);
    expect(second?.body).toBe(first?.body);
    const events = await verified(ctx);
    expect(events).toHaveLength(2);
    expect(events[0]?.eventId).toBe(deliveries[0]?.eventId);
    expect(events[1]).toEqual(events[0]);
  });

  it('delivers nothing when told to drop, while the payment still succeeds', async () => {
    const ctx = newMerchant();
    const { request } = await createPayment(ctx);
    const { deliveries } = await complete(ctx, request.paymentId, { outcome: 'succeeded', notification: { mode: 'drop' } });
    expect(deliveries).toEqual([]);
    expect(notificationsFor(ctx)).toEqual([]);
    expect(await adapter.queryPayment(ctx, { paymentId: request.paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded', amount: 12345 });
  });

  it('delivers an older pending event after the success when told to reorder', async () => {
    const ctx = newMerchant();
    const { request } = await createPayment(ctx);
    await complete(ctx, request.paymentId, { outcome: 'succeeded', notification: { mode: 'reorder' } });
    const [success, stale] = await verified(ctx);
    expect(success).toMatchObject({ kind: 'payment', status: 'succeeded', paymentId: request.paymentId });
    expect(stale).toMatchObject({ kind: 'payment', status: 'pending', paymentId: request.paymentId });
    expect(stale?.eventId).not.toBe(success?.eventId);
    expect(Date.parse(stale?.occurredAt ?? '')).toBeLessThan(Date.parse(success?.occurredAt ?? ''));
  });

  it('delivers a delayed notification later', async () => {
    const ctx = newMerchant();
    const { request } = await createPayment(ctx);
    const { deliveries } = await complete(ctx, request.paymentId, { outcome: 'succeeded', notification: { delayMs: 300 } });
    expect(deliveries).toEqual([{ eventId: expect.stringMatching(/^evt_/), status: 'scheduled' }]);
    expect(notificationsFor(ctx)).toEqual([]);
    await vi.waitFor(() => expect(notificationsFor(ctx)).toHaveLength(1), { timeout: 5000, interval: 50 });
    expect((await verified(ctx))[0]?.eventId).toBe(deliveries[0]?.eventId);
  });

  it('retries a refused delivery, then gives up without failing the request', async () => {
    const ctx = newMerchant();
    const path = new URL(ctx.notifyUrl).pathname;
    failuresLeft.set(path, 2);
    const first = await createPayment(ctx);
    expect((await complete(ctx, first.request.paymentId, { outcome: 'succeeded' })).deliveries[0]?.status).toBe('delivered');
    expect(new Set(notificationsFor(ctx).map((request) => request.body)).size).toBe(1);
    expect(notificationsFor(ctx)).toHaveLength(3);

    failuresLeft.set(path, 10);
    const second = await createPayment(ctx);
    expect((await complete(ctx, second.request.paymentId, { outcome: 'succeeded' })).deliveries[0]?.status).toBe('failed');
    expect(notificationsFor(ctx)).toHaveLength(6);
    failuresLeft.delete(path);
  });

  it('refunds in parts up to what was captured, notifying each', async () => {
    const ctx = newMerchant();
    const payment = await paidPayment(ctx, 10_000);
    const refund = (refundId: string, amount: number) =>
      adapter.refund(ctx, { refundId, paymentId: payment.paymentId, amount, paymentAmount: 10_000, currency: 'CNY', reason: 'customer asked', createdAt: NOW });
    const firstId = newId('rfd');
    const secondId = newId('rfd');

    expect(await refund(firstId, 4000)).toMatchObject({ status: 'processing', gatewayReference: expect.stringMatching(/^sbx_/) });
    await vi.waitFor(async () => expect(await adapter.queryRefund(ctx, { refundId: firstId, paymentId: payment.paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded' }), { timeout: 5000, interval: 25 });
    await refund(secondId, 6000);
    await vi.waitFor(async () => expect(await adapter.queryRefund(ctx, { refundId: secondId, paymentId: payment.paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded' }), { timeout: 5000, interval: 25 });

    const over = await caught(refund(newId('rfd'), 1));
    expect(over).toBeInstanceOf(GatewayError);
    expect(over).toMatchObject({ kind: 'invalid_request', retryable: false });

    await vi.waitFor(() => expect(notificationsFor(ctx)).toHaveLength(3), { timeout: 5000, interval: 25 });
    const refundEvents = (await verified(ctx)).filter((event) => event.kind === 'refund');
    expect(refundEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'refund', refundId: firstId, paymentId: payment.paymentId, status: 'succeeded' }),
        expect.objectContaining({ kind: 'refund', refundId: secondId, paymentId: payment.paymentId, status: 'succeeded' }),
      ]),
    );
    expect(refundEvents).toHaveLength(2);
    expect(await adapter.queryRefund(ctx, { refundId: newId('rfd'), paymentId: payment.paymentId, createdAt: NOW })).toEqual({ status: 'not_found' });
  });

  it('records a refund once per refund id and refuses unpaid payments', async () => {
    const ctx = newMerchant();
    const payment = await paidPayment(ctx, 3000);
    const request = { refundId: newId('rfd'), paymentId: payment.paymentId, amount: 1000, paymentAmount: 3000, currency: 'CNY', reason: 'damaged', createdAt: NOW };
    await adapter.refund(ctx, request);
    await adapter.refund(ctx, request);
    const rows = await database.db.selectFrom('sandboxRefunds').select('id').where('paymentId', '=', payment.paymentId).execute();
    expect(rows).toHaveLength(1);
    expect(await caught(adapter.refund(ctx, { ...request, amount: 999 }))).toMatchObject({ kind: 'invalid_request' });

    const unpaid = await createPayment(ctx);
    const refused = await caught(adapter.refund(ctx, { ...request, refundId: newId('rfd'), paymentId: unpaid.request.paymentId }));
    expect(refused).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('pending') });
  });

  it('fails refunds when the merchant behaviour says so, without holding their amount', async () => {
    const ctx = newMerchant();
    expect((await control(ctx, 'PUT', '/behaviour', { refundOutcome: 'failed', refundDelayMs: 10 })).status).toBe(200);
    const payment = await paidPayment(ctx, 2000);
    const refundId = newId('rfd');
    const request = { refundId, paymentId: payment.paymentId, amount: 2000, paymentAmount: 2000, currency: 'CNY', reason: 'test', createdAt: NOW };
    await adapter.refund(ctx, request);
    await vi.waitFor(async () => expect(await adapter.queryRefund(ctx, request)).toMatchObject({ status: 'failed', failureReason: expect.any(String) }), { timeout: 5000, interval: 25 });
    await vi.waitFor(() => expect(notificationsFor(ctx)).toHaveLength(2), { timeout: 5000, interval: 25 });
    expect((await verified(ctx))[1]).toMatchObject({ kind: 'refund', refundId, status: 'failed' });
    // A failed refund gives its amount back: the whole payment can be refunded again.
    expect(await adapter.refund(ctx, { ...request, refundId: newId('rfd') })).toMatchObject({ status: 'processing' });
  });

  it('refuses a wrong bearer secret as an authentication error', async () => {
    const ctx = newMerchant();
    const impostor = createSandboxAdapter({ baseUrl, masterKey: randomBytes(32) });
    const error = await caught(impostor.createPayment(ctx, paymentRequest()));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    const raw = await fetch(`${baseUrl}/sandbox/api/merchants/${ctx.merchantId}/payments/${newId('pay')}`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('rejects forged, tampered, stale and other merchants\' notifications', async () => {
    const ctx = newMerchant();
    await paidPayment(ctx, 700);
    const [genuine] = notificationsFor(ctx);
    if (!genuine) throw new Error('expected a notification');
    await expect(adapter.verifyNotification(ctx, genuine)).resolves.toMatchObject({ kind: 'payment', amount: 700 });

    const now = Math.floor(Date.now() / 1000);
    const header = SANDBOX_SIGNATURE_HEADER.toLowerCase();
    const signedBy = (secret: string, body = genuine.body, at = now) => ({ headers: { ...genuine.headers, [header]: signNotification(secret, body, at) }, body });
    const ownSecret = sandboxSecret(masterKey, ctx.merchantId);

    const attempts = {
      forged: signedBy(sandboxSecret(randomBytes(32), ctx.merchantId)),
      tampered: { headers: genuine.headers, body: genuine.body.replace('"amount":700', '"amount":1') },
      stale: signedBy(ownSecret, genuine.body, now - 301),
      otherMerchant: signedBy(sandboxSecret(masterKey, newId('mch'))),
      unsigned: { headers: { 'content-type': 'application/json' }, body: genuine.body },
    };
    expect(attempts.tampered.body).not.toBe(genuine.body);
    for (const [name, raw] of Object.entries(attempts)) {
      const error = await caught(adapter.verifyNotification(ctx, raw));
      expect(error, name).toBeInstanceOf(NotificationRejected);
      expect((error as NotificationRejected).httpStatus, name).toBe(401);
    }
    expect(await caught(adapter.verifyNotification(ctx, attempts.stale))).toMatchObject({ message: expect.stringMatching(/stale/) });

    const notJson = await caught(adapter.verifyNotification(ctx, signedBy(ownSecret, 'not json')));
    expect(notJson).toMatchObject({ name: 'NotificationRejected', httpStatus: 400 });
    const notAnEvent = await caught(adapter.verifyNotification(ctx, signedBy(ownSecret, '{"id":"evt_1"}')));
    expect(notAnEvent).toMatchObject({ name: 'NotificationRejected', httpStatus: 400 });
  });

  it('acknowledges with the JSON the sandbox expects', () => {
    expect(adapter.acknowledge(true)).toEqual({ status: 200, contentType: 'application/json', body: '{"received":true}' });
    expect(adapter.acknowledge(false)).toEqual({ status: 500, contentType: 'application/json', body: '{"received":false}' });
  });

  it('classifies failed calls for the retry policy', async () => {
    const ctx = newMerchant();
    const answering = (status: number) =>
      createSandboxAdapter({ baseUrl, masterKey, fetch: async () => Response.json({ error: { code: 'x', message: 'nope' } }, { status }) });
    const kinds = await Promise.all([500, 503, 429, 403, 401, 400, 409].map(async (status) => ((await caught(answering(status).queryPayment(ctx, { paymentId: 'pay_x', createdAt: NOW }))) as GatewayError).kind));
    expect(kinds).toEqual(['server', 'server', 'rate_limited', 'auth', 'auth', 'invalid_request', 'invalid_request']);

    const unreachable = createSandboxAdapter({ baseUrl, masterKey, fetch: async () => Promise.reject(new TypeError('fetch failed')) });
    expect(await caught(unreachable.queryPayment(ctx, { paymentId: 'pay_x', createdAt: NOW }))).toMatchObject({ kind: 'network', retryable: true });

    // A server that accepts the connection and never answers.
    const silent = createServer(() => undefined);
    const silentUrl = await listen(silent);
    try {
      const slow = createSandboxAdapter({ baseUrl: silentUrl, masterKey, timeoutMs: 200 });
      expect(await caught(slow.queryPayment(ctx, { paymentId: 'pay_x', createdAt: NOW }))).toMatchObject({ kind: 'timeout', retryable: true });
    } finally {
      await stop(silent);
    }
  });
  it('injects the faults a plan asks for, then behaves normally again', async () => {
    const ctx = newMerchant();
    const control = (method: string, body?: unknown) =>
      fetch(`${baseUrl}/sandbox/api/merchants/${ctx.merchantId}/control/faults`, {
        method,
        headers: { authorization: `Bearer ${sandboxSecret(masterKey, ctx.merchantId)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await control('PUT', { operations: ['createPayment'], error500: { count: 1 }, error429: { count: 1 } })).status).toBe(200);
    const first = await caught(adapter.createPayment(ctx, paymentRequest()));
    const second = await caught(adapter.createPayment(ctx, paymentRequest()));
    expect([(first as GatewayError).kind, (second as GatewayError).kind].sort()).toEqual(['rate_limited', 'server']);
    // Each counted fault fires once: the next call succeeds.
    const { payUrl } = await createPayment(ctx);
    expect(payUrl).toContain('/sandbox/pay/');
    expect((await control('DELETE')).status).toBe(200);
    const wrongKey = await fetch(`${baseUrl}/sandbox/api/merchants/${ctx.merchantId}/control/faults`, { method: 'PUT', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{}' });
    expect(wrongKey.status).toBe(401);
  });
});
