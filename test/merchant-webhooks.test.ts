import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchantWebhookActivities, deliverWebhookAttempt } from '../activities/merchant-webhooks.js';
import { allowedNetworks, checkWebhookTarget } from '../core/webhook-targets.js';
import { insertWebhookEndpoint } from '../db/merchant-webhooks.js';
import { issueApiKey } from '../db/merchants.js';
import { hashApiKey } from '../core/api-keys.js';
import { createSessionStore } from '../pages/admin/session.js';
import { testActivityDeps } from './support/app.js';
import { recordHistory } from './support/histories.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- webhook bodies and answers are JSON checked by the assertions */

type Verify = (header: string, body: string, secret: string, toleranceSeconds?: number) => boolean;

/** The README's verification recipe, exactly as written there (its first TypeScript block after the heading). */
async function readmeRecipe(): Promise<Verify> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Merchant webhooks'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README has no verification recipe');
  const file = join(tmpdir(), `paystead-verify-${randomBytes(6).toString('hex')}.ts`);
  writeFileSync(file, code);
  return ((await import(/* @vite-ignore */ file)) as { verifyPaysteadSignature: Verify }).verifyPaysteadSignature;
}

interface Received {
  path: string;
  signature: string;
  raw: string;
  event: any;
}

/** A merchant's server: records what arrives; `down` resets every connection, `/gone` answers 410. */
async function startReceiver() {
  const received: Received[] = [];
  const state = { down: false };
  const server = http.createServer((req, res) => {
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/silent') return; // never answers
      if (req.url === '/gone') {
        res.writeHead(410).end('gone');
        return;
      }
      received.push({ path: req.url ?? '', signature: String(req.headers['paystead-signature']), raw, event: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'.repeat(5000));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { received, state, url: (path: string) => `http://localhost:${port}${path}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('merchant webhooks: signed, durable, per mode, never into private networks', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let verify: Verify;

  beforeAll(async () => {
    [stack, receiver, verify] = await Promise.all([startStack({ WEBHOOK_FIRST_RETRY_SECONDS: '1' }), startReceiver(), readmeRecipe()]);
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  async function addEndpoint(merchant: Merchant, path: string, body: Record<string, unknown> = {}) {
    const created = await stack.request('POST', '/v1/admin/webhook-endpoints', { key: merchant.adminKey, body: { url: receiver.url(path), ...body } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    return created.body as { endpoint: any; secret: string };
  }

  async function paidOrder(merchant: Merchant): Promise<string> {
    const checkout = await stack.checkout(merchant);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    await stack.pay(merchant, checkout.body.payment.id);
    await stack.waitForOrder(merchant, checkout.body.order.id, (o) => o.status === 'paid');
    return checkout.body.order.id;
  }

  const deliveriesOf = async (merchant: Merchant, query: string) => {
    const answer = await stack.request('GET', `/v1/admin/webhook-deliveries?${query}`, { key: merchant.adminKey });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.deliveries as any[];
  };

  it('a whole sandbox order lifecycle arrives signed, each event once, in an order the receiver can rebuild', async () => {
    const merchant = await stack.createMerchant({ settings: { refundWindowSeconds: 2, refundApprovalThreshold: 0 } });
    const { endpoint, secret } = await addEndpoint(merchant, '/lifecycle');
    expect(endpoint).toMatchObject({ livemode: false, enabled: true, eventTypes: expect.arrayContaining(['order.paid', 'refund.succeeded']) });
    expect(JSON.stringify((await stack.request('GET', '/v1/admin/webhook-endpoints', { key: merchant.adminKey })).body)).not.toContain(secret);

    const orderId = await paidOrder(merchant);
    const refund = await stack.request('POST', `/v1/orders/${orderId}/refunds`, { key: merchant.secretKey, body: { amount: 100, reason: 'one cup chipped' } });
    expect(refund.body.status).toBe('pending_approval');
    expect((await stack.request('POST', `/v1/admin/refunds/${refund.body.id}/approve`, { key: merchant.adminKey, body: {} })).status).toBe(200);
    await stack.waitForOrder(merchant, orderId, (o) => o.refunds[0]?.status === 'succeeded');
    for (const action of ['confirm', 'ship', 'deliver']) {
      const answer = await stack.request('POST', `/v1/admin/orders/${orderId}/${action}`, { key: merchant.adminKey, ...(action === 'ship' && { body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } }) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    await stack.waitForOrder(merchant, orderId, (o) => o.status === 'completed');

    const expected = ['order.paid', 'refund.pending_approval', 'refund.succeeded', 'order.confirmed', 'order.shipped', 'order.delivered', 'order.completed'];
    const mine = () => receiver.received.filter((r) => r.path === '/lifecycle' && r.event.data.order.id === orderId);
    await until('every lifecycle event', async () => mine().length >= expected.length);
    const arrived = mine();
    for (const r of arrived) expect(verify(r.signature, r.raw, secret), r.signature).toBe(true);
    const rebuilt = [...arrived].sort((a, b) => a.event.createdAt.localeCompare(b.event.createdAt) || a.event.data.seq - b.event.data.seq);
    expect(rebuilt.map((r) => r.event.type)).toEqual(expected);
    expect(new Set(arrived.map((r) => r.event.id)).size).toBe(expected.length);
    expect(arrived.every((r) => r.event.livemode === false && r.event.data.order.livemode === false)).toBe(true);
    expect(rebuilt.at(-1)!.event.data.order).toMatchObject({ id: orderId, status: 'completed', refundedAmount: 100 });
    expect(rebuilt[0]!.event.data.order.status).toBe('paid');
    expect(rebuilt[2]!.event.id).toBe(`evt_${refund.body.id}_succeeded`);

    const log = await deliveriesOf(merchant, `orderId=${orderId}`);
    expect(log).toHaveLength(expected.length);
    for (const delivery of log) {
      expect(delivery.status).toBe('succeeded');
      expect(delivery.attempts[0]).toMatchObject({ statusCode: 200, error: null });
      expect(delivery.attempts[0].responseExcerpt.length).toBe(4096);
    }

    // The attempt's activity retried after its success was stored (Temporal never heard it complete) sends
    // nothing again; a resend, a workflow of its own, does send.
    const [first] = log;
    const deps = testActivityDeps(stack.db, stack.config, stack.client);
    const before = mine().length;
    expect(await deliverWebhookAttempt(deps, first.id, `webhook-${first.eventId}-${endpoint.id}`)).toBe('delivered');
    expect(mine()).toHaveLength(before);
    expect(await deliverWebhookAttempt(deps, first.id, `webhook-${first.eventId}-${endpoint.id}-resend-1`)).toBe('delivered');
    await until('the resend', async () => mine().length === before + 1);
  });

  it('the receiver down for a while, then back: every event arrives, one success each; 410 disables its endpoint', async () => {
    const merchant = await stack.createMerchant();
    const { secret } = await addEndpoint(merchant, '/flaky');
    const gone = await addEndpoint(merchant, '/gone', { eventTypes: ['order.paid'] });
    receiver.state.down = true;
    const orderId = await paidOrder(merchant);
    expect((await stack.request('POST', `/v1/admin/orders/${orderId}/confirm`, { key: merchant.adminKey })).status).toBe(200);
    // Both events tried and failed at least twice while the receiver was down.
    await until('failed attempts', async () => {
      const flaky = (await deliveriesOf(merchant, `orderId=${orderId}`)).filter((d) => d.url.endsWith('/flaky'));
      return flaky.length === 2 && flaky.every((d) => d.attempts.length >= 2 && d.attempts.every((a: any) => a.error !== null));
    });
    receiver.state.down = false;
    const log = await until('every delivery succeeded', async () => {
      const found = (await deliveriesOf(merchant, `orderId=${orderId}`)).filter((d) => d.url.endsWith('/flaky'));
      return found.every((d) => d.status === 'succeeded') && found;
    });
    expect(log.map((d) => d.type).sort()).toEqual(['order.confirmed', 'order.paid']);
    for (const d of log) expect(d.attempts.filter((a: any) => a.statusCode !== null && a.statusCode < 300)).toHaveLength(1);
    const paidDelivery = log.find((d) => d.type === 'order.paid');
    await recordHistory(`webhook-${paidDelivery.eventId}-${paidDelivery.endpointId}`, 'webhook-delivery-retried');
    const arrived = receiver.received.filter((r) => r.path === '/flaky' && r.event.data.order.id === orderId);
    expect(arrived.map((r) => r.event.type).sort()).toEqual(['order.confirmed', 'order.paid']);
    for (const r of arrived) {
      expect(verify(r.signature, r.raw, secret)).toBe(true);
      expect(verify(r.signature, r.raw, `whsec_${randomBytes(24).toString('base64url')}`)).toBe(false);
      expect(verify(r.signature, `${r.raw} `, secret)).toBe(false);
    }

    const disabled = await until('the 410 endpoint disabled', async () => {
      const endpoints = (await stack.request('GET', '/v1/admin/webhook-endpoints', { key: merchant.adminKey })).body.endpoints as any[];
      const found = endpoints.find((e) => e.id === gone.endpoint.id);
      return found?.enabled === false && found;
    });
    expect(disabled.disabledReason).toContain('410');
  });

  it('rotation: both secrets sign for a day; a resend carries both', async () => {
    const merchant = await stack.createMerchant();
    const { endpoint, secret: old } = await addEndpoint(merchant, '/rotate');
    const orderId = await paidOrder(merchant);
    const [delivery] = await until('the first delivery', async () => {
      const found = await deliveriesOf(merchant, `endpointId=${endpoint.id}`);
      return found.length === 1 && found[0].status === 'succeeded' && found;
    });
    const rotated = await stack.request('POST', `/v1/admin/webhook-endpoints/${endpoint.id}/rotate-secret`, { key: merchant.adminKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(rotated.body.endpoint.previousSecretExpiresAt).not.toBeNull();
    expect((await stack.request('POST', `/v1/admin/webhook-deliveries/${delivery.id}/resend`, { key: merchant.adminKey })).status).toBe(202);
    const resent = await until('the resend', async () => {
      const found = receiver.received.filter((r) => r.path === '/rotate' && r.event.data.order.id === orderId);
      return found.length === 2 && found[1];
    });
    expect(resent.signature.match(/v1=/g)).toHaveLength(2);
    expect(verify(resent.signature, resent.raw, old)).toBe(true);
    expect(verify(resent.signature, resent.raw, rotated.body.secret)).toBe(true);
    expect(verify(resent.signature, resent.raw, 'whsec_wrong')).toBe(false);

    expect((await stack.request('DELETE', `/v1/admin/webhook-endpoints/${endpoint.id}`, { key: merchant.adminKey })).status).toBe(204);
    expect((await stack.request('PATCH', `/v1/admin/webhook-endpoints/${endpoint.id}`, { key: merchant.adminKey, body: { enabled: false } })).status).toBe(404);
  });

  it('live endpoints: https to public addresses only, at creation and at delivery; test endpoints get only test events', async () => {
    const merchant = await stack.createMerchant();
    const live = await issueApiKey(stack.db, merchant.merchantId, 'admin', 'live');
    const refused = ['https://127.0.0.1/hooks', 'https://10.1.2.3/hooks', 'https://169.254.169.254/latest/meta-data', 'https://localhost/hooks', 'https://[::1]/hooks', 'https://[::ffff:127.0.0.1]/hooks', 'https://[fd00::1]/hooks', 'http://example.com/hooks'];
    for (const url of refused) {
      const answer = await stack.request('POST', '/v1/admin/webhook-endpoints', { key: live!.key, body: { url } });
      expect(answer.status, url).toBe(422);
      expect(answer.body.error.code).toBe('invalid_webhook_url');
    }
    // The live key sees none of the test endpoints and cannot touch one.
    const { endpoint: mine } = await addEndpoint(merchant, '/other-mode');
    expect((await stack.request('GET', '/v1/admin/webhook-endpoints', { key: live!.key })).body.endpoints).toEqual([]);
    for (const [method, path] of [['PATCH', ''], ['DELETE', ''], ['POST', '/rotate-secret']] as const) {
      const crossed = await stack.request(method, `/v1/admin/webhook-endpoints/${mine.id}${path}`, { key: live!.key, ...(method === 'PATCH' && { body: { enabled: false } }) });
      expect(crossed.status, `${method} ${path}`).toBe(404);
    }
    expect((await stack.request('GET', `/v1/admin/webhook-deliveries?endpointId=${mine.id}`, { key: live!.key })).body.deliveries).toEqual([]);
    const metadata = await stack.request('POST', '/v1/admin/webhook-endpoints', { key: merchant.adminKey, body: { url: 'http://169.254.169.254/' } });
    expect(metadata.status).toBe(422);
    const allowed = allowedNetworks(['10.0.0.0/8']);
    await expect(checkWebhookTarget('https://10.1.2.3/hooks', 'live', allowed)).resolves.toMatchObject({ address: '10.1.2.3' });

    // A live endpoint saved when its name was public, now resolving to loopback: refused at delivery time.
    const { endpoint: testEndpoint } = await addEndpoint(merchant, '/modes');
    const liveEndpoint = await insertWebhookEndpoint(stack.db, stack.config.masterKey, { id: `whe_live_${randomBytes(4).toString('hex')}`, merchantId: merchant.merchantId, mode: 'live', url: receiver.url('/modes').replace('http:', 'https:'), eventTypes: ['order.paid'], enabled: true }, 'whsec_x');
    const orderId = await paidOrder(merchant);
    await until('the test delivery', async () => (await deliveriesOf(merchant, `endpointId=${testEndpoint.id}`)).some((d) => d.orderId === orderId && d.status === 'succeeded'));
    expect(await stack.db.selectFrom('webhookDeliveries').select('id').where('endpointId', '=', liveEndpoint.id).execute()).toEqual([]);

    const event = await stack.db.selectFrom('merchantEvents').selectAll().where('orderId', '=', orderId).executeTakeFirstOrThrow();
    await stack.db.insertInto('webhookDeliveries').values({ id: 'whd_rebinding', eventId: event.id, endpointId: liveEndpoint.id, merchantId: merchant.merchantId, orderId, status: 'pending', startedAt: new Date() }).execute();
    expect(await deliverWebhookAttempt(testActivityDeps(stack.db, stack.config, stack.client), 'whd_rebinding', 'webhook-test')).toBe('retry');
    const attempt = await stack.db.selectFrom('webhookAttempts').selectAll().where('deliveryId', '=', 'whd_rebinding').executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ statusCode: null });
    expect(attempt.error).toContain('loopback');
    expect(receiver.received.filter((r) => r.path === '/modes').every((r) => r.event.livemode === false)).toBe(true);
  });
  it('a receiver that never answers is cut off after 5 s; a delivery failing for 3 days is abandoned and its endpoint disabled', async () => {
    const merchant = await stack.createMerchant();
    const { endpoint } = await addEndpoint(merchant, '/silent', { eventTypes: ['order.confirmed'] });
    const orderId = await paidOrder(merchant);
    const event = await stack.db.selectFrom('orderEvents').select('seq').where('orderId', '=', orderId).where('event', '=', 'payment_succeeded').executeTakeFirstOrThrow();
    // An event this endpoint does not want, delivered by hand: the workflow path is the tests above.
    const eventId = `evt_${orderId}_${event.seq}`;
    await stack.db.insertInto('webhookDeliveries').values({ id: 'whd_silent', eventId, endpointId: endpoint.id, merchantId: merchant.merchantId, orderId, status: 'pending', startedAt: new Date() }).execute();
    const deps = testActivityDeps(stack.db, stack.config, stack.client);
    const { abandonWebhookDelivery } = createMerchantWebhookActivities(deps);
    const started = Date.now();
    expect(await deliverWebhookAttempt(deps, 'whd_silent', 'webhook-test')).toBe('retry');
    expect(Date.now() - started).toBeLessThan(7_000);
    const attempt = await stack.db.selectFrom('webhookAttempts').selectAll().where('deliveryId', '=', 'whd_silent').executeTakeFirstOrThrow();
    expect(attempt.error).toContain('no answer within 5000 ms');

    // Failing since just now: abandoning the delivery leaves the endpoint enabled; failing for 3 days disables it.
    await abandonWebhookDelivery('whd_silent');
    const endpointNow = () => stack.db.selectFrom('webhookEndpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(await endpointNow()).toMatchObject({ enabled: true });
    await stack.db.updateTable('webhookDeliveries').set({ status: 'pending' }).where('id', '=', 'whd_silent').execute();
    await stack.db.updateTable('webhookEndpoints').set({ failingSince: new Date(Date.now() - 3 * 24 * 3600 * 1000) }).where('id', '=', endpoint.id).execute();
    await abandonWebhookDelivery('whd_silent');
    expect(await endpointNow()).toMatchObject({ enabled: false, disabledReason: 'Every delivery failed for 3 days.' });
    const listed = (await stack.request('GET', '/v1/admin/webhook-endpoints', { key: merchant.adminKey })).body.endpoints;
    expect(listed[0]).toMatchObject({ enabled: false, disabledReason: 'Every delivery failed for 3 days.' });
  }, 20_000);

  it('admin pages: add an endpoint (secret shown once), see deliveries on the order page, resend, disable, delete', async () => {
    const merchant = await stack.createMerchant();
    const { token, session } = await createSessionStore(stack.db).create(merchant.merchantId, hashApiKey(merchant.adminKey), 'test');
    const headers = { cookie: `paystead_admin=${token}` };
    const get = async (path: string) => (await fetch(`${stack.baseUrl}${path}`, { headers })).text();
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }) });

    const created = await post('/admin/settings/webhooks', { url: receiver.url('/pages'), 'eventType-order.paid': 'on' });
    expect(created.status).toBe(200);
    const secret = /whsec_[A-Za-z0-9_-]+/.exec(await created.text())?.[0];
    expect(secret).toBeDefined();
    const settings = await get('/admin/settings');
    expect(settings).toContain(receiver.url('/pages'));
    expect(settings).not.toContain(secret!);
    const refused = await post('/admin/settings/webhooks', { url: 'http://169.254.169.254/', 'eventType-order.paid': 'on' });
    expect(refused.status).toBe(303);
    expect(await get(refused.headers.get('location')!)).toContain('link-local');

    const orderId = await paidOrder(merchant);
    const [delivery] = await until('the delivery', async () => {
      const found = await deliveriesOf(merchant, `orderId=${orderId}`);
      return found.length === 1 && found[0].status === 'succeeded' && found;
    });
    const orderPage = await get(`/admin/orders/${orderId}`);
    expect(orderPage).toContain('Webhook deliveries');
    expect(orderPage).toContain('order.paid');
    expect(orderPage).toContain(`/webhooks/${delivery.id}/resend`);
    expect((await post(`/admin/orders/${orderId}/webhooks/${delivery.id}/resend`, {})).status).toBe(303);
    const arrived = await until('the resend', async () => {
      const found = receiver.received.filter((r) => r.path === '/pages');
      return found.length === 2 && found;
    });
    for (const r of arrived) expect(verify(r.signature, r.raw, secret!)).toBe(true);
    expect(arrived[1]!.event.id).toBe(arrived[0]!.event.id);

    expect((await post(`/admin/settings/webhooks/${delivery.endpointId}/disable`, {})).status).toBe(303);
    expect(await get('/admin/settings')).toContain('Disabled: disabled by the merchant');
    const resendDisabled = await stack.request('POST', `/v1/admin/webhook-deliveries/${delivery.id}/resend`, { key: merchant.adminKey });
    expect(resendDisabled.body.error?.code).toBe('endpoint_disabled');
    expect((await post(`/admin/settings/webhooks/${delivery.endpointId}/delete`, {})).status).toBe(303);
    expect(await get('/admin/settings')).not.toContain(receiver.url('/pages'));
  });
});
