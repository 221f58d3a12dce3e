import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../core/api-keys.js';
import type { Mode } from '../core/modes.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import { issueApiKey } from '../db/merchants.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { createSessionStore } from '../pages/admin/session.js';
import { ORDER_ACTION_ROWS, REFUND_DECISION_ROWS } from '../services/order-actions.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document and the answers are JSON */

/** One merchant's keys in both modes: test keys come with the merchant, live keys are issued here. */
type ModeKeys = Record<Mode, Merchant>;
/** A paid order of one mode with a refund waiting for approval. */
interface Placed {
  id: string;
  orderNo: string;
  workflowId: string;
  refundId: string;
}

const MODES: readonly Mode[] = ['test', 'live'];
const otherMode = (mode: Mode): Mode => (mode === 'test' ? 'live' : 'test');

/**
 * Every merchant route falls in one of these groups (the test fails on a route in none): routes on one
 * object (an order or refund id in the path) and lists, which must keep the modes apart; checkout, which
 * makes an object of the key's mode; gateway credentials, kept per mode; catalog, settings and quotes,
 * shared by both modes.
 */
const LISTS = ['GET /v1/admin/orders'];
const CREATES = ['POST /v1/checkouts'];
const PER_MODE_SETTINGS = ['GET /v1/admin/gateways', 'PUT /v1/admin/gateways/{gateway}/credentials', 'DELETE /v1/admin/gateways/{gateway}/credentials'];
/** Reconciliation is per mode: test/reconciliation.test.ts checks the other mode's key sees none of it. */
const RECONCILIATION = ['GET /v1/admin/reconciliation/runs', 'POST /v1/admin/reconciliation/runs', 'GET /v1/admin/reconciliation/discrepancies', 'GET /v1/admin/reconciliation/unmatched-notifications'];
/** Webhook endpoints and deliveries are per mode: test/merchant-webhooks.test.ts checks them across modes. */
const WEBHOOKS = ['GET /v1/admin/webhook-endpoints', 'POST /v1/admin/webhook-endpoints', 'GET /v1/admin/webhook-deliveries'];
const SHARED = ['GET /v1/admin/products', 'POST /v1/admin/products', 'PATCH /v1/admin/products/{sku}', 'GET /v1/admin/settings', 'PUT /v1/admin/settings', 'POST /v1/quotes'];
const isObjectRoute = (path: string) => path.includes('{id}');

describe('test mode and live mode never cross (every merchant route with a key of the other mode)', () => {
  let sim: AlipaySimulator;
  let stack: Stack;
  let keys: ModeKeys;
  let others: ModeKeys;
  const placed = {} as Record<Mode, Placed>;
  const idempotencyKey = `same-key-${Date.now()}`;

  async function withLiveKeys(merchant: Merchant): Promise<ModeKeys> {
    const [secret, admin] = await Promise.all([issueApiKey(stack.db, merchant.merchantId, 'secret', 'live'), issueApiKey(stack.db, merchant.merchantId, 'admin', 'live')]);
    expect(secret?.key).toMatch(/^sk_live_/);
    expect(admin?.key).toMatch(/^ak_live_/);
    return { test: merchant, live: { merchantId: merchant.merchantId, secretKey: secret!.key, adminKey: admin!.key } };
  }

  /** Pays for a checkout's order, then asks for a refund that waits for the merchant (the threshold is 0). */
  async function paidWithPendingRefund(merchant: Merchant, checkout: any, pay: () => Promise<unknown>): Promise<Placed> {
    const id: string = checkout.order.id;
    await pay();
    await stack.waitForOrder(merchant, id, (o) => o.status === 'paid');
    const refund = await stack.request('POST', `/v1/orders/${id}/refunds`, { key: merchant.secretKey, body: { amount: 100, reason: 'one cup chipped' } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.status).toBe('pending_approval');
    return { id, orderNo: checkout.order.orderNo, workflowId: await stack.workflowId(id), refundId: refund.body.id };
  }

  beforeAll(async () => {
    sim = await startAlipaySimulator();
    stack = await startStack({ ALIPAY_GATEWAY_URL: sim.gatewayUrl });
    await stack.startWorker();
    const settings = { refundApprovalThreshold: 0 };
    keys = await withLiveKeys(await stack.createMerchant({ settings }));
    others = await withLiveKeys(await stack.createMerchant({ settings }));
    // Live credentials, saved with the live admin key: the test mode has none for Alipay.
    await stack.setCredentials(keys.live, 'alipay', sim.merchantCredentials());

    const test = await stack.checkout(keys.test, { idempotencyKey });
    expect(test.status, JSON.stringify(test.body)).toBe(201);
    expect(test.body.order.livemode).toBe(false);
    placed.test = await paidWithPendingRefund(keys.test, test.body, () => stack.pay(keys.test, test.body.payment.id));

    // The same Idempotency-Key with the live key: a new order (crossing over would replay the test order,
    // or refuse the key as used for another body).
    const live = await stack.checkout(keys.live, { idempotencyKey, paymentMethod: 'alipay', body: { paymentFlow: 'qr_code' } });
    expect(live.status, JSON.stringify(live.body)).toBe(201);
    expect(live.body.order.livemode).toBe(true);
    placed.live = await paidWithPendingRefund(keys.live, live.body, () => sim.pay(toTradeNo(live.body.payment.id)));
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });

  /** The merchant routes of the OpenAPI document: every /v1 path but the platform's, with each operation. */
  async function merchantRoutes(): Promise<Array<{ method: string; path: string; operation: any; spec: any }>> {
    const spec = (await stack.request('GET', '/openapi.json')).body;
    return Object.entries(spec.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/v1/') && !path.startsWith('/v1/platform'))
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation, spec })));
  }

  /** A body that passes the route's schema (its required fields only), so only the lookup can refuse it. */
  function validBody(spec: any, operation: any): unknown {
    let schema = operation.requestBody?.content?.['application/json']?.schema;
    if (!schema) return undefined;
    if (schema.$ref) schema = spec.components.schemas[schema.$ref.split('/').at(-1)];
    const sample = (property: any) => (property.enum ? property.enum[0] : property.type === 'string' ? 'checked across modes' : property.type === 'boolean' ? true : 1);
    return Object.fromEntries((schema.required ?? []).map((name: string) => [name, sample(schema.properties[name])]));
  }

  /** The key a route takes: admin routes the admin key, the others the storefront's secret key. */
  const keyFor = (merchant: Merchant, path: string) => (path.startsWith('/v1/admin/') ? merchant.adminKey : merchant.secretKey);
  const idFor = (order: Placed, path: string) => (/\/refunds\/\{id\}/.test(path) ? order.refundId : order.id);
  const errorOf = (response: { status: number; body: any }) => ({ status: response.status, code: response.body?.error?.code });

  it('checkout makes an order of the key’s mode, read back with livemode and tagged PaysteadLivemode in Temporal', async () => {
    expect(placed.test.id).not.toBe(placed.live.id);
    expect(placed.test.workflowId).not.toBe(placed.live.workflowId);
    for (const mode of MODES) {
      const read = await stack.order(keys[mode], placed[mode].id);
      expect(read.status).toBe(200);
      expect(read.body.livemode).toBe(mode === 'live');
      const run = await stack.client.workflow.getHandle(placed[mode].workflowId).describe();
      expect(run.typedSearchAttributes.get(ORDER_SEARCH_KEYS.livemode)).toBe(mode === 'live');
    }
    // A retry in each mode replays that mode's order.
    const again = await stack.checkout(keys.test, { idempotencyKey });
    expect(again.status).toBe(201);
    expect(again.body.order).toMatchObject({ id: placed.test.id, livemode: false });
  });

  it('every merchant route answers a key of the other mode exactly as it answers another merchant, and changes nothing', async () => {
    const routes = await merchantRoutes();
    const known = [...LISTS, ...CREATES, ...PER_MODE_SETTINGS, ...WEBHOOKS, ...RECONCILIATION, ...SHARED];
    const unclassified = routes.map((r) => `${r.method} ${r.path}`).filter((route) => !known.includes(route) && !isObjectRoute(route));
    expect(unclassified, 'a new merchant route: say how it keeps the modes apart').toEqual([]);
    const objectRoutes = routes.filter((r) => isObjectRoute(r.path));
    // The order routes, their actions, refunds and refund decisions: a dozen at least.
    expect(objectRoutes.length).toBeGreaterThanOrEqual(12);

    const before = Object.fromEntries(await Promise.all(MODES.map(async (mode) => [mode, (await stack.order(keys[mode], placed[mode].id)).body])));
    for (const { method, path, operation, spec } of objectRoutes) {
      const body = validBody(spec, operation);
      for (const mode of MODES) {
        const url = path.replace('{id}', idFor(placed[mode], path));
        const crossed = await stack.request(method, url, { key: keyFor(keys[otherMode(mode)], path), body });
        const foreign = await stack.request(method, url, { key: keyFor(others[mode], path), body });
        expect(errorOf(crossed), `${method} ${url} with a ${otherMode(mode)} key on a ${mode} object: ${crossed.text}`).toEqual({ status: 404, code: 'not_found' });
        expect(errorOf(crossed), `${method} ${path}: as for another merchant's object`).toEqual(errorOf(foreign));
      }
    }
    for (const mode of MODES) expect((await stack.order(keys[mode], placed[mode].id)).body).toEqual(before[mode]);
  });

  it('lists show only the key’s mode, searched or not; catalog and settings are the same in both modes; gateway credentials are per mode', async () => {
    for (const path of LISTS.map((route) => route.replace(/^GET /, ''))) {
      for (const mode of MODES) {
        const ids = async (query: string) => {
          const page = await stack.request('GET', `${path}${query}`, { key: keys[mode].adminKey });
          expect(page.status).toBe(200);
          expect(page.body.orders.every((o: any) => o.livemode === (mode === 'live'))).toBe(true);
          return page.body.orders.map((o: any) => o.id);
        };
        expect(await ids('')).toEqual([placed[mode].id]);
        expect(await ids('?status=paid')).toEqual([placed[mode].id]);
        expect(await ids(`?q=${placed[otherMode(mode)].orderNo}`)).toEqual([]);
        expect(await ids(`?q=${placed[mode].orderNo}`)).toEqual([placed[mode].id]);
      }
    }
    for (const path of ['/v1/admin/products', '/v1/admin/settings']) {
      const [test, live] = await Promise.all(MODES.map((mode) => stack.request('GET', path, { key: keys[mode].adminKey })));
      expect(test!.status).toBe(200);
      expect(live!.body).toEqual(test!.body);
    }
    const alipay = async (mode: Mode) => (await stack.request('GET', '/v1/admin/gateways', { key: keys[mode].adminKey })).body.gateways.find((g: any) => g.gateway === 'alipay');
    expect((await alipay('live')).configured).toBe(true);
    expect((await alipay('test')).configured).toBe(false);
  });

  describe('admin pages', () => {
    /** A signed-in admin session of this merchant and mode, with a client that sends its cookie and CSRF token. */
    async function session(merchant: Merchant, mode: Mode) {
      const { token, session } = await createSessionStore(stack.db).create(merchant.merchantId, hashApiKey(merchant.adminKey), mode);
      const headers = { cookie: `paystead_admin=${token}` };
      return {
        get: (path: string) => fetch(`${stack.baseUrl}${path}`, { redirect: 'manual', headers }),
        post: (path: string, fields: Record<string, string>) =>
          fetch(`${stack.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }) }),
      };
    }

    it('the order list shows only the session’s mode', async () => {
      for (const mode of MODES) {
        const page = await session(keys[mode], mode);
        for (const query of ['', `?q=${placed[otherMode(mode)].orderNo}`]) {
          const list = await page.get(`/admin${query}`);
          expect(list.status).toBe(200);
          const html = await list.text();
          expect(html).not.toContain(`/admin/orders/${placed[otherMode(mode)].id}`);
          if (query === '') expect(html).toContain(`/admin/orders/${placed[mode].id}`);
        }
      }
    });

    it('an order of the other mode, its actions and its refunds are a 404, as another merchant’s are', async () => {
      const fields = { reason: 'checked across modes', note: 'checked across modes', carrier: 'SF Express', trackingNumber: 'SF1', amount: '1' };
      const posts = (order: Placed) => [
        ...ORDER_ACTION_ROWS.map((row) => `/admin/orders/${order.id}/${row.name}`),
        `/admin/orders/${order.id}/refunds`,
        ...REFUND_DECISION_ROWS.map((row) => `/admin/orders/${order.id}/refunds/${order.refundId}/${row.name}`),
      ];
      for (const mode of MODES) {
        const before = (await stack.order(keys[mode], placed[mode].id)).body;
        for (const visitor of [await session(keys[otherMode(mode)], otherMode(mode)), await session(others[mode], mode)]) {
          expect((await visitor.get(`/admin/orders/${placed[mode].id}`)).status).toBe(404);
          for (const path of posts(placed[mode])) expect((await visitor.post(path, fields)).status, path).toBe(404);
        }
        expect((await stack.order(keys[mode], placed[mode].id)).body).toEqual(before);
      }
    });
  });
});
