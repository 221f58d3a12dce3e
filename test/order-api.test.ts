import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../core/search-attributes.js';
import { ADDRESS, CUSTOMER, startStack, type Merchant, type Stack } from './support/stack.js';

describe('order API: idempotency, tenancy, validation, operations', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('returns the same order for the same key and body, and 422 for the same key with another body', async () => {
    const key = `idem-${Date.now()}`;
    const first = await stack.checkout(merchant, { idempotencyKey: key });
    const again = await stack.checkout(merchant, { idempotencyKey: key });
    expect(again.status).toBe(201);
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(again.body.payment).toEqual(first.body.payment);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await stack.checkout(merchant, { idempotencyKey: key, items: [{ sku: 'TEA', quantity: 5 }] });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await stack.db.selectFrom('orders').select('id').where('idempotencyKey', '=', key).execute()).toHaveLength(1);
    // Every API answer says how long the API itself took; an order read, also how long reading it took.
    for (const response of [first, again, other]) {
      expect(response.headers.get('server-timing')).toMatch(/^total;dur=\d+(\.\d+)?;desc="Paystead API"$/);
    }
    const read = await stack.order(merchant, first.body.order.id);
    expect(read.headers.get('server-timing')).toMatch(/^db;dur=\d+(\.\d+)?,total;dur=\d+(\.\d+)?;desc="Paystead API"$/);
  });

  it('makes one order from concurrent retries with one key', async () => {
    const key = `race-${Date.now()}`;
    const responses = await Promise.all([1, 2, 3].map(() => stack.checkout(merchant, { idempotencyKey: key })));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.order.id)).size).toBe(1);
    expect(await stack.db.selectFrom('sandboxPayments').select('id').where('id', '=', responses[0]!.body.payment.id).execute()).toHaveLength(1);
  });

  it('rejects client-sent prices and malformed requests without creating anything', async () => {
    const before = await stack.db.selectFrom('orders').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const priced = await stack.request('POST', '/v1/checkouts', {
      key: merchant.secretKey,
      headers: { 'idempotency-key': `p-${Date.now()}` },
      body: { items: [{ sku: 'TEA', quantity: 1, unitAmount: 1 }], customer: CUSTOMER, shippingAddress: ADDRESS, paymentMethod: 'sandbox' },
    });
    expect(priced.status).toBe(400);
    expect(priced.body.error.code).toBe('invalid_request');
    const total = await stack.request('POST', '/v1/checkouts', {
      key: merchant.secretKey,
      headers: { 'idempotency-key': `t-${Date.now()}` },
      body: { items: [{ sku: 'TEA', quantity: 1 }], customer: CUSTOMER, shippingAddress: ADDRESS, paymentMethod: 'sandbox', total: 1 },
    });
    expect(total.status).toBe(400);
    const noKey = await stack.request('POST', '/v1/checkouts', { key: merchant.secretKey, body: { items: [{ sku: 'TEA', quantity: 1 }], customer: CUSTOMER, shippingAddress: ADDRESS, paymentMethod: 'sandbox' } });
    expect(noKey.status).toBe(400);
    const unknown = await stack.checkout(merchant, { items: [{ sku: 'NOPE', quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_items', details: [{ code: 'unknown_sku', sku: 'NOPE' }] });
    const after = await stack.db.selectFrom('orders').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("never shows or changes another merchant's order", async () => {
    const other = await stack.createMerchant();
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    const refund = await stack.request('POST', `/v1/admin/orders/${body.order.id}/refunds`, { key: merchant.adminKey, body: { amount: 100, reason: 'x' } });

    expect((await stack.order(other, body.order.id)).status).toBe(404);
    expect((await stack.order(other, body.order.id, other.adminKey)).status).toBe(404);
    for (const path of ['confirm', 'deliver']) {
      expect((await stack.request('POST', `/v1/admin/orders/${body.order.id}/${path}`, { key: other.adminKey })).status).toBe(404);
    }
    expect((await stack.request('POST', `/v1/orders/${body.order.id}/refunds`, { key: other.secretKey, body: { reason: 'x' } })).status).toBe(404);
    expect((await stack.request('POST', `/v1/admin/refunds/${refund.body.id}/reject`, { key: other.adminKey, body: { note: 'no' } })).status).toBe(404);
    const list = await stack.request('GET', '/v1/admin/orders', { key: other.adminKey });
    expect(list.body.orders.map((o: { id: string }) => o.id)).not.toContain(body.order.id);
    // A storefront's secret key cannot act as merchant staff.
    expect((await stack.request('POST', `/v1/admin/orders/${body.order.id}/confirm`, { key: merchant.secretKey })).status).toBe(403);
    expect((await stack.order(merchant, body.order.id)).body.status).toBe('paid');
  });

  it('limits an unverified merchant to the sandbox gateway', async () => {
    const pending = await stack.createMerchant({ verified: false });
    const real = await stack.checkout(pending, { paymentMethod: 'alipay' });
    expect(real.status).toBe(403);
    expect(real.body.error.code).toBe('merchant_not_verified');
    expect((await stack.checkout(pending, { paymentMethod: 'sandbox' })).status).toBe(201);
  });

  it('refuses to ship an unpaid order with a 409 and a clear message, changing nothing', async () => {
    const { body } = await stack.checkout(merchant);
    const ship = await stack.request('POST', `/v1/admin/orders/${body.order.id}/ship`, { key: merchant.adminKey, body: { carrier: 'SF', trackingNumber: '1' } });
    expect(ship.status).toBe(409);
    expect(ship.body.error).toEqual({ code: 'order_conflict', message: 'Only an order that is confirmed can be shipped; this order is awaiting payment.' });
    const order = (await stack.order(merchant, body.order.id)).body;
    expect(order.status).toBe('awaiting_payment');
    expect(order.shipment).toBeNull();
  });

  it('lists orders newest first with status filter, search and cursor pagination', async () => {
    const m = await stack.createMerchant();
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push((await stack.checkout(m)).body.order);
    await stack.pay(m, (await stack.order(m, made[0].id)).body.payments[0].id);
    await stack.waitForOrder(m, made[0].id, (o) => o.status === 'paid');

    const page1 = await stack.request('GET', '/v1/admin/orders?limit=2', { key: m.adminKey });
    expect(page1.body.orders.map((o: { id: string }) => o.id)).toEqual([made[4].id, made[3].id]);
    const page2 = await stack.request('GET', `/v1/admin/orders?limit=2&cursor=${page1.body.nextCursor}`, { key: m.adminKey });
    expect(page2.body.orders.map((o: { id: string }) => o.id)).toEqual([made[2].id, made[1].id]);
    const page3 = await stack.request('GET', `/v1/admin/orders?limit=2&cursor=${page2.body.nextCursor}`, { key: m.adminKey });
    expect(page3.body.orders.map((o: { id: string }) => o.id)).toEqual([made[0].id]);
    expect(page3.body.nextCursor).toBeNull();

    const paid = await stack.request('GET', '/v1/admin/orders?status=paid', { key: m.adminKey });
    expect(paid.body.orders.map((o: { id: string }) => o.id)).toEqual([made[0].id]);
    const byNo = await stack.request('GET', `/v1/admin/orders?q=${made[2].orderNo.toLowerCase()}`, { key: m.adminKey });
    expect(byNo.body.orders.map((o: { id: string }) => o.id)).toEqual([made[2].id]);
    const byEmail = await stack.request('GET', `/v1/admin/orders?q=${encodeURIComponent(CUSTOMER.email.toUpperCase())}`, { key: m.adminKey });
    expect(byEmail.body.orders).toHaveLength(5);
    expect((await stack.request('GET', '/v1/admin/orders?cursor=garbage', { key: m.adminKey })).status).toBe(400);
  });

  it('lets operators find a run by order number, merchant and status through search attributes', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    const query = `${SEARCH_ATTRIBUTES.orderNo} = '${body.order.orderNo}' AND ${SEARCH_ATTRIBUTES.merchantId} = '${merchant.merchantId}' AND ${SEARCH_ATTRIBUTES.orderStatus} = 'paid' AND ${SEARCH_ATTRIBUTES.paymentMethod} = 'sandbox'`;
    const deadline = Date.now() + 10_000;
    let found: string[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      found = [];
      for await (const run of stack.client.workflow.list({ query })) found.push(run.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toHaveLength(1);
  });

  it('finishes an order on a new worker after the first one stopped mid-order, with one charge and one payment', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.stopWorker();
    await stack.pay(merchant, body.payment.id);
    await new Promise((r) => setTimeout(r, 500));
    expect((await stack.order(merchant, body.order.id)).body.status).toBe('awaiting_payment');
    await stack.startWorker();
    const paid = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    expect(paid.payments).toHaveLength(1);
    const ledger = await stack.db.selectFrom('sandboxPayments').select(['chargeCount']).where('orderNo', '=', body.order.orderNo).execute();
    expect(ledger).toEqual([{ chargeCount: 1 }]);
    await stack.recordHistory(body.order.id, 'worker-restarted');
  });
});
