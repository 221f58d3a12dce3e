// The Stripe adapter against stripe-mock, Stripe's own mock server, which checks each request against
// Stripe's OpenAPI spec: an unknown or malformed parameter is a 400 and fails here. stripe-mock keeps no
// state and answers with fixtures, so only acceptance and parsing are asserted, never business results.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import { findOrBuildStripeMock, startStripeMock, type StripeMock } from '../devstack/stripe-mock.js';
import { createStripeAdapter } from '../gateways/stripe/adapter.js';
import type { GatewayAdapter, GatewayContext } from '../gateways/types.js';
import { signature } from './simulators/stripe/webhooks.js';

type Json = { [key: string]: unknown };

describe('Stripe adapter against stripe-mock', () => {
  let mock: StripeMock;
  let proxy: Server;
  let adapter: GatewayAdapter;
  /** Every call the adapter made, with stripe-mock's status. */
  let calls: Array<{ call: string; status: number; body: string }> = [];
  /** What the fixtures are made to say: our ids (so the adapter recognises them) and a session state. */
  let fixtures: { paymentId: string; refundId: string; session?: Json } = { paymentId: '', refundId: '' };

  const ctx: GatewayContext = { merchantId: newId('mch'), credentials: { secretKey: 'sk_test_123', webhookSecret: 'whsec_contract' }, mode: 'test', notifyUrl: 'http://127.0.0.1/unused' };

  function adopt(value: unknown): void {
    if (Array.isArray(value)) return value.forEach(adopt);
    if (!value || typeof value !== 'object') return;
    const object = value as Json;
    const ids = { payment_id: fixtures.paymentId, merchant_id: ctx.merchantId };
    if (object.object === 'checkout.session') Object.assign(object, { client_reference_id: fixtures.paymentId, metadata: ids }, fixtures.session);
    if (object.object === 'refund') object.metadata = { ...ids, refund_id: fixtures.refundId };
    Object.values(object).forEach(adopt);
  }

  beforeAll(async () => {
    mock = await startStripeMock(await findOrBuildStripeMock());
    // Between the adapter and stripe-mock: records each call and gives the fixtures our ids.
    proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length').map(([name, v]) => [name, String(v)]));
        const method = request.method ?? 'GET';
        void fetch(`${mock.url}${request.url ?? '/'}`, { method, headers, ...(method !== 'GET' && { body: Buffer.concat(chunks) }) })
          .then(async (answer) => {
            let body = await answer.text();
            calls.push({ call: `${method} ${(request.url ?? '').split('?')[0]}`, status: answer.status, body });
            if (answer.ok) {
              const json: unknown = JSON.parse(body);
              adopt(json);
              body = JSON.stringify(json);
            }
            response.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
          })
          .catch((error: unknown) => response.writeHead(502).end(String(error)));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    adapter = createStripeAdapter({ apiUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, timeoutMs: 10_000 });
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await mock?.stop();
  });
  afterEach(() => {
    const refused = calls.filter((c) => c.status !== 200);
    calls = [];
    // Including calls whose refusal the adapter would absorb (an expire Stripe declines).
    expect(refused).toEqual([]);
  });

  function payment() {
    const paymentId = newId('pay');
    fixtures = { paymentId, refundId: newId('rfd') };
    const createdAt = new Date().toISOString();
    return { paymentId, orderNo: 'ORD-CONTRACT', amount: 12_345, currency: 'USD', description: 'Order ORD-CONTRACT', returnUrl: 'https://shop.example/o/token', expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(), createdAt };
  }

  it('creates a Checkout Session', async () => {
    const created = await adapter.createPayment(ctx, payment());
    expect(created).toEqual({ action: { type: 'redirect', url: expect.stringMatching(/^https:\/\//) }, gatewayReference: expect.stringMatching(/^cs_/) });
    expect(calls.map((c) => c.call)).toEqual(['POST /v1/checkout/sessions']);
  });

  it('looks a session up, and reads a complete unpaid one through its PaymentIntent', async () => {
    const request = payment();
    expect((await adapter.queryPayment(ctx, request)).status).toBe('pending');
    fixtures.session = { status: 'complete', payment_status: 'unpaid' };
    expect(['pending', 'failed']).toContain((await adapter.queryPayment(ctx, request)).status);
    expect(calls.map((c) => c.call)).toEqual(['GET /v1/checkout/sessions', 'GET /v1/checkout/sessions', expect.stringMatching(/^GET \/v1\/payment_intents\/pi_/)]);
  });

  it('expires an open session to close it', async () => {
    await adapter.closePayment(ctx, payment());
    expect(calls.map((c) => c.call)).toEqual(['GET /v1/checkout/sessions', expect.stringMatching(/^POST \/v1\/checkout\/sessions\/cs_\w+\/expire$/)]);
  });

  it('refunds by PaymentIntent, from either reference, and finds the refund again', async () => {
    const request = payment();
    const refund = { refundId: fixtures.refundId, paymentId: request.paymentId, amount: 1_000, paymentAmount: 12_345, currency: 'USD', reason: 'one cup broke', createdAt: new Date().toISOString() };
    expect((await adapter.refund(ctx, { ...refund, gatewayReference: 'pi_3MtwBwLkdIwHu7ix28a3tqPa' })).gatewayReference).toMatch(/^re_/);
    await adapter.refund(ctx, { ...refund, gatewayReference: 'cs_test_a1b2c3' });
    expect((await adapter.queryRefund(ctx, refund)).status).not.toBe('not_found');
    expect(calls.map((c) => c.call)).toEqual(['POST /v1/refunds', 'GET /v1/checkout/sessions/cs_test_a1b2c3', 'POST /v1/refunds', 'GET /v1/refunds']);
  });

  it('re-fetches what a webhook names', async () => {
    const request = payment();
    const signed = (object: Json, type: string) => {
      const body = JSON.stringify({ id: `evt_${Date.now()}`, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } });
      return { headers: { 'stripe-signature': signature(ctx.credentials.webhookSecret!, body, Math.floor(Date.now() / 1000)) }, body };
    };
    const paid = await adapter.verifyNotification(ctx, signed({ id: 'cs_test_a1b2c3', object: 'checkout.session' }, 'checkout.session.completed'));
    expect(paid).toMatchObject({ kind: 'payment', paymentId: request.paymentId });
    const refunded = await adapter.verifyNotification(ctx, signed({ id: 're_1Nispe2eZvKYlo2Cd31jOCgZ', object: 'refund' }, 'refund.updated'));
    expect(refunded).toMatchObject({ kind: 'refund', refundId: fixtures.refundId });
    expect(calls.map((c) => c.call)).toEqual(['GET /v1/checkout/sessions/cs_test_a1b2c3', 'GET /v1/refunds/re_1Nispe2eZvKYlo2Cd31jOCgZ']);
  });
});
