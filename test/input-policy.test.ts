import { createHash } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_API_KEY } from './support/app.js';
import { ADDRESS, CUSTOMER, startStack, type Merchant, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

describe('input policy: text that cannot be stored, sizes, amounts, quantities, cursors, methods', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant({ products: [{ sku: 'TEA', unitAmount: 12_800 }, { sku: 'MAX', unitAmount: Number.MAX_SAFE_INTEGER }, { sku: 'GOLD', unitAmount: 1e12 }] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const expectRefused = (response: { status: number; body: any }, status = 400, code = 'invalid_text') => {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.code).toBe(code);
  };

  async function paidOrder() {
    const created = await stack.checkout(merchant, { items: [{ sku: 'TEA', quantity: 1 }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await stack.pay(merchant, created.body.payment.id);
    await stack.waitForOrder(merchant, created.body.order.id, (o) => o.status === 'paid');
    return created.body as { order: { id: string }; orderUrl: string };
  }

  it('refuses a checkout with NUL in the customer name, making no order and no workflow', async () => {
    const key = `nul-${Date.now()}`;
    const response = await stack.checkout(merchant, { idempotencyKey: key, body: { customer: { ...CUSTOMER, name: 'Li\u0000Wei' } } });
    expectRefused(response);
    expect(response.body.error.details[0].path).toBe('body.customer.name');
    expect(await stack.db.selectFrom('orders').select('id').where('idempotencyKey', '=', key).execute()).toEqual([]);
    const workflowId = `order-${merchant.merchantId}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    await expect(stack.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // Other controls and a lone surrogate in an address line alike; names and address lines are one line.
    const twoLines = await stack.checkout(merchant, { body: { customer: { ...CUSTOMER, name: 'Li\nWei' } } });
    expectRefused(twoLines, 400, 'invalid_request');
    expect(twoLines.body.error.details).toEqual([{ path: 'customer.name', message: 'must be one line' }]);
    expectRefused(await stack.checkout(merchant, { body: { shippingAddress: { ...ADDRESS, line1: '88 Wensan\u0007Road' } } }));
    expectRefused(await stack.checkout(merchant, { body: { shippingAddress: { ...ADDRESS, city: 'Hang\ud800zhou' } } }));
  });

  it('refuses a refund reason that cannot be stored, through the API and the customer page, and the order stays as it was', async () => {
    const { order, orderUrl } = await paidOrder();
    expectRefused(await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { reason: 'broken \ud800' } }));
    // A reason may run over several lines: refused only for what cannot be stored, nothing changed yet.
    const multiline = await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { amount: 0, reason: 'broken\ncup' } });
    expectRefused(multiline, 400, 'invalid_request');
    expect(multiline.body.error.details.map((d: any) => d.path)).toEqual(['amount']);

    const path = new URL(orderUrl).pathname;
    const page = await fetch(`${stack.baseUrl}${path}`);
    const formToken = /name="form_token" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(formToken).toBeDefined();
    const posted = await fetch(`${stack.baseUrl}${path}/refunds`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `form_token=${encodeURIComponent(formToken!)}&amount=&reason=broken%00cup`,
    });
    expect(posted.status).toBe(400);

    const read = await stack.order(merchant, order.id);
    expect(read.body.status).toBe('paid');
    expect(read.body.refunds).toEqual([]);
    expect(await stack.db.selectFrom('refunds').select('id').where('orderId', '=', order.id).execute()).toEqual([]);
  });

  it('answers 400, not 500, for NUL in a query, a path id, a product name or a merchant name', async () => {
    expectRefused(await stack.request('GET', '/v1/admin/orders?q=%00', { key: merchant.adminKey }));
    expectRefused(await stack.request('GET', '/v1/orders/ord_%00', { key: merchant.secretKey }));
    expectRefused(await stack.request('POST', `/webhooks/sandbox/${merchant.merchantId}%00`, { body: {} }));
    expectRefused(await stack.request('POST', '/v1/admin/products', { key: merchant.adminKey, body: { sku: 'NUL', name: 'Tea\u0000', unitAmount: 1, currency: 'CNY' } }));
    expectRefused(
      await stack.request('POST', '/v1/platform/merchants', {
        key: PLATFORM_API_KEY,
        body: { name: 'Tea\u0000House', contactEmail: 'owner@tea.example', businessLicenceNo: 'BL-12345678', taxRegistrationNo: 'TX-12345678' },
      }),
    );
    expect((await stack.request('GET', '/v1/orders/%E0%A4%A', { key: merchant.secretKey })).status).toBe(400);
    // Nesting as deep as 64 KiB allows is refused, not walked until the stack runs out.
    const deep = await fetch(`${stack.baseUrl}/v1/quotes`, { method: 'POST', headers: { authorization: `Bearer ${merchant.secretKey}`, 'content-type': 'application/json' }, body: `${'['.repeat(30_000)}${']'.repeat(30_000)}` });
    expect(deep.status).toBe(400);
  });

  it('refuses a notification that cannot be stored, and does not store it', async () => {
    const before = await stack.db.selectFrom('webhookEvents').select('id').where('merchantId', '=', merchant.merchantId).execute();
    const raw = await fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"evt\u0000"}' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).error.code).toBe('invalid_text');
    expect(await stack.db.selectFrom('webhookEvents').select('id').where('merchantId', '=', merchant.merchantId).execute()).toEqual(before);
  });

  it('refuses bodies over 64 KiB with 413, with or without a length, and stores nothing', async () => {
    const big = 'x'.repeat(70 * 1024);
    expectRefused(await stack.request('POST', '/v1/quotes', { key: merchant.secretKey, body: { items: [{ sku: 'TEA', quantity: 1 }], pad: big } }), 413, 'payload_too_large');
    const before = await stack.db.selectFrom('webhookEvents').select('id').where('merchantId', '=', merchant.merchantId).execute();
    const sized = await fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(sized.status).toBe(413);
    const chunks = [new TextEncoder().encode(big.slice(0, 40_000)), new TextEncoder().encode(big.slice(40_000))];
    const streamed = await fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ pull: (controller) => (chunks.length ? controller.enqueue(chunks.shift()!) : controller.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await stack.db.selectFrom('webhookEvents').select('id').where('merchantId', '=', merchant.merchantId).execute()).toEqual(before);
  });

  it('answers 422 amount_too_large for totals beyond the safe range, and caps quantities per sku after merging lines', async () => {
    expectRefused(await stack.request('POST', '/v1/quotes', { key: merchant.secretKey, body: { items: [{ sku: 'MAX', quantity: 1 }], shippingAddress: ADDRESS } }), 422, 'amount_too_large');
    expectRefused(await stack.request('POST', '/v1/quotes', { key: merchant.secretKey, body: { items: [{ sku: 'GOLD', quantity: 10_000 }], shippingAddress: ADDRESS } }), 422, 'amount_too_large');
    expectRefused(await stack.checkout(merchant, { items: [{ sku: 'GOLD', quantity: 10_000 }] }), 422, 'amount_too_large');
    const merged = await stack.request('POST', '/v1/quotes', { key: merchant.secretKey, body: { items: Array.from({ length: 100 }, () => ({ sku: 'TEA', quantity: 10_000 })), shippingAddress: ADDRESS } });
    expectRefused(merged, 422, 'invalid_items');
    expect(merged.body.error.details).toEqual([{ code: 'quantity_too_large', sku: 'TEA', quantity: 1_000_000, max: 10_000 }]);
  });

  it('answers 400 for a cursor JavaScript reads but Postgres would not, on the API and the admin page', async () => {
    const cursor = Buffer.from(JSON.stringify(['1', 'x'])).toString('base64url');
    expect(cursor).toBe('WyIxIiwieCJd');
    expectRefused(await stack.request('GET', `/v1/admin/orders?cursor=${cursor}`, { key: merchant.adminKey }), 400, 'invalid_cursor');

    const login = await fetch(`${stack.baseUrl}/admin/login`);
    const loginCookie = login.headers.getSetCookie().map((c) => /^paystead_admin_login=([^;]*)/.exec(c)?.[1]).find(Boolean);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1];
    const signedIn = await fetch(`${stack.baseUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${loginCookie}` },
      body: new URLSearchParams({ _csrf: csrf!, key: merchant.adminKey }),
    });
    const session = signedIn.headers.getSetCookie().map((c) => /^paystead_admin=([^;]*)/.exec(c)?.[1]).find(Boolean);
    expect(session).toBeDefined();
    const list = await fetch(`${stack.baseUrl}/admin?cursor=${cursor}`, { headers: { cookie: `paystead_admin=${session}` } });
    expect(list.status).toBe(400);
    expect(await list.text()).toContain('cursor is not valid');
  });

  it('answers 405 with Allow for a method a path does not have, and 400 for control characters in a page path', async () => {
    const trace = await stack.request('TRACE', '/v1/quotes', { key: merchant.secretKey });
    expect(trace.status).toBe(405);
    expect(trace.headers.get('allow')).toBe('POST');
    const get = await stack.request('GET', '/v1/quotes', { key: merchant.secretKey });
    expect(get.status).toBe(405);
    const put = await stack.request('PUT', '/healthz');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect((await stack.request('GET', '/no/such/path')).status).toBe(404);
    const crlf = await stack.request('POST', '/o/x%0d%0aSet-Cookie:%20a=b');
    expect(crlf.status).toBe(400);
    expect(crlf.headers.get('set-cookie')).toBeNull();
  });

  it('answers 400 when a route that requires a body gets none, and changes nothing', async () => {
    const before = await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey });
    for (const [method, path] of [['PUT', '/v1/admin/settings'], ['PATCH', '/v1/admin/products/TEA'], ['POST', '/v1/admin/refunds/ref_none/approve']] as const) {
      expectRefused(await stack.request(method, path, { key: merchant.adminKey }), 400, 'invalid_request');
    }
    expect((await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey })).body).toEqual(before.body);
    expect((await stack.request('PATCH', '/v1/admin/products/TEA', { key: merchant.adminKey, body: {} })).status).toBe(200);
  });

  it('documents the policy’s answers: 400 on every route, 413 where a body is taken, 422 amount_too_large on quotes and checkouts', async () => {
    const doc = (await stack.request('GET', '/openapi.json')).body;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect(operation.responses['400'], `${method} ${path}`).toBeDefined();
        if (operation.requestBody) expect(operation.responses['413'], `${method} ${path}`).toBeDefined();
      }
    }
    expect(doc.paths['/v1/quotes'].post.responses['422']).toBeDefined();
    expect(doc.paths['/v1/checkouts'].post.responses['422']).toBeDefined();
  });
});
