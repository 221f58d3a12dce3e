import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { PLATFORM_API_KEY } from './support/app.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/**
 * The page's globals as far as the callbacks run inside Chromium use them (the project compiles without the
 * DOM library). Casts vanish in the compiled callbacks, which refer to the browser's own `globalThis`.
 */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null; documentElement: { scrollWidth: number } };
  __marker?: number;
}

/** The checkout's cart: 2 x TEA 128.00 + 1 x CUP 45.00 = 301.00; shipping 10.00; tax 6% = 18.06; total 329.06. */
const TOTALS = { subtotal: 'CN¥301.00', shipping: 'CN¥10.00', tax: 'CN¥18.06', total: 'CN¥329.06' };

describe('the customer order page /o/{token} (real stack, headless Chromium)', () => {
  let stack: Stack;
  let merchant: Merchant;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  interface Checkout {
    order: { id: string; orderNo: string; total: number };
    payment: { id: string; action: { type: string; url: string }; expiresAt: string };
    orderUrl: string;
  }

  async function checkout(m: Merchant = merchant, body?: Record<string, unknown>): Promise<Checkout & { token: string }> {
    const response = await stack.checkout(m, body && { body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const result = response.body as Checkout;
    const url = new URL(result.orderUrl);
    expect(url.origin).toBe(stack.baseUrl);
    const token = /^\/o\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
    expect(token).toBeDefined();
    return { ...result, token: token! };
  }

  async function paidOrder(m: Merchant = merchant) {
    const created = await checkout(m);
    await stack.pay(m, created.payment.id);
    await stack.waitForOrder(m, created.order.id, (o) => o.status === 'paid');
    return created;
  }

  async function get(path: string) {
    const response = await fetch(`${stack.baseUrl}${path}`, { redirect: 'manual' });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  function postForm(path: string, fields: Record<string, string>) {
    return fetch(`${stack.baseUrl}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  }

  const formTokenIn = (html: string) => /name="form_token" value="([^"]+)"/.exec(html)?.[1];
  const requestIdIn = (html: string) => /name="request_id" value="([^"]+)"/.exec(html)![1]!;
  const refundsOf = (orderId: string) => stack.db.selectFrom('refunds').selectAll().where('orderId', '=', orderId).execute();
  const statusLabel = (page: Page) => page.locator('#status-label').textContent();

  /** Each row's cells (header and data), trimmed. */
  async function cellsOf(page: Page, rows: string): Promise<string[][]> {
    const result: string[][] = [];
    for (const row of await page.locator(rows).all()) result.push((await row.locator('th, td').allTextContents()).map((text) => text.trim()));
    return result;
  }

  /** Waits (with a deadline) until the status line reads `label`, then returns when that happened. */
  async function statusBecomes(page: Page, label: string, timeout = 15_000): Promise<number> {
    await page.waitForFunction((expected) => (globalThis as unknown as PageGlobals).document.getElementById('status-label')?.textContent === expected, label, { timeout, polling: 50 });
    return Date.now();
  }

  it('shows itemised prices and Pay now, then follows payment, shipping and a refund live, without a reload', async () => {
    const { order, payment, orderUrl } = await checkout();
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    try {
      await page.goto(orderUrl);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('h1').textContent()).toContain(order.orderNo);
      expect(await page.locator('.site-header').textContent()).toContain('Tea House');

      const rows = await cellsOf(page, 'table.items tbody tr');
      expect(rows).toEqual([
        ['TEA', '2', 'CN¥128.00', 'CN¥256.00'],
        ['CUP', '1', 'CN¥45.00', 'CN¥45.00'],
      ]);
      const totals = await cellsOf(page, 'table.totals tr');
      expect(totals).toEqual([
        ['Subtotal', TOTALS.subtotal],
        ['Shipping', TOTALS.shipping],
        ['Tax', TOTALS.tax],
        ['Total', TOTALS.total],
      ]);

      expect(await statusLabel(page)).toBe('Awaiting payment');
      expect(await page.locator('#order-status').getAttribute('role')).toBe('status');
      expect(await page.locator('#order-status').getAttribute('aria-live')).toBe('polite');
      const payNow = page.getByRole('link', { name: 'Pay now' });
      expect(await payNow.getAttribute('href')).toBe(payment.action.url);
      expect(await page.locator('#pay-heading').textContent()).toBe(`Pay ${TOTALS.total}`);
      expect(await page.locator(`#order-live time[datetime="${new Date(payment.expiresAt).toISOString()}"]`).count()).toBe(1);
      // Readable at 375 px: nothing sticks out sideways.
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'customer-awaiting-payment');

      // Payment: the page must change by itself. The marker would vanish with a reload.
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).__marker = 1;
      });
      const shown = statusBecomes(page, 'Paid');
      await stack.pay(merchant, payment.id);
      await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
      const projectedAt = Date.now();
      const shownAt = await shown;
      // The API poll notices the projection within ~100 ms; the page must follow within about a second.
      expect(shownAt - projectedAt).toBeLessThan(1_500);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(1);
      expect(await page.getByRole('link', { name: 'Pay now' }).count()).toBe(0);
      expect(await page.locator('ul.payments').textContent()).toContain('Paid');
      expect(await page.locator('#status-detail').textContent()).toMatch(/payment has arrived/);
      await screenshot(page, 'customer-paid');

      // Shipping through the admin API: carrier and tracking number appear live.
      const confirm = await stack.request('POST', `/v1/admin/orders/${order.id}/confirm`, { key: merchant.adminKey });
      expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
      await statusBecomes(page, 'Confirmed');
      const ship = await stack.request('POST', `/v1/admin/orders/${order.id}/ship`, { key: merchant.adminKey, body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } });
      expect(ship.status, JSON.stringify(ship.body)).toBe(200);
      await page.locator('dl.shipment', { hasText: 'SF1234567890' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('dl.shipment').textContent()).toContain('SF Express');
      await statusBecomes(page, 'Shipped');
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(1);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'customer-shipped');

      // A refund request after shipping waits for the merchant: the message says so and the refund is listed.
      await page.getByLabel(/Amount in CNY/).fill('100.00');
      await page.getByLabel('Reason').fill('One cup arrived cracked');
      await Promise.all([page.waitForURL(/notice=refund_pending_approval/), page.getByRole('button', { name: 'Request refund' }).click()]);
      expect(await page.locator('#notice').textContent()).toBe('Refund of CN¥100.00 requested, waiting for the merchant’s approval. You will see the decision on this page.');
      const listed = page.locator('li.refund');
      expect(await listed.count()).toBe(1);
      expect(await listed.textContent()).toMatch(/CN¥100\.00.*Waiting for the merchant’s approval.*One cup arrived cracked/s);
      const [refund, ...more] = await refundsOf(order.id);
      expect(more).toEqual([]);
      expect(refund).toMatchObject({ amount: 10_000, status: 'pending_approval', initiatedBy: 'customer', reason: 'One cup arrived cracked' });

      // The merchant approves with a note: the refund and the note follow live.
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).__marker = 2;
      });
      const approve = await stack.request('POST', `/v1/admin/refunds/${refund!.id}/approve`, { key: merchant.adminKey, body: { note: 'Sorry about the cup' } });
      expect(approve.status, JSON.stringify(approve.body)).toBe(200);
      await page.locator('li.refund', { hasText: 'Sorry about the cup' }).waitFor({ timeout: 10_000 });
      await page.locator('li.refund .badge', { hasText: /^Refunded$/ }).waitFor({ timeout: 15_000 });
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(2);
    } finally {
      await page.close();
    }
  });

  it('Pay now goes to the gateway without a Referer, and the gateway sends the customer back to the page', async () => {
    const { order, payment, orderUrl } = await checkout();
    const page = await browser.newPage();
    try {
      const referers: Array<string | undefined> = [];
      page.on('request', (request) => {
        if (request.url().startsWith(payment.action.url)) referers.push(request.headers()['referer']);
      });
      await page.goto(orderUrl);
      await Promise.all([page.waitForURL(payment.action.url), page.getByRole('link', { name: 'Pay now' }).click()]);
      expect(referers).toEqual([undefined]);
      await Promise.all([page.waitForURL(orderUrl), page.getByRole('button', { name: `Pay ${TOTALS.total}` }).click()]);
      // The notification may land a moment after the redirect: either way the page shows it by itself.
      await statusBecomes(page, 'Paid');
      expect((await stack.order(merchant, order.id)).body.status).toBe('paid');
    } finally {
      await page.close();
    }
  });

  it('an unknown or malformed token gets a plain 404 page that reveals nothing', async () => {
    const { order } = await checkout();
    const wellFormed = 'A'.repeat(32);
    for (const path of [`/o/${wellFormed}`, '/o/%3Cscript%3Ealert(1)%3C%2Fscript%3E', `/o/${wellFormed}/fragment`, `/o/${wellFormed}/events`]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.text).toContain('Order not found');
      for (const secret of [order.orderNo, 'Tea House', 'CNY', 'Li Wei', '<script>alert']) expect(response.text).not.toContain(secret);
    }
    const post = await postForm(`/o/${wellFormed}/refunds`, { reason: 'x' });
    expect(post.status).toBe(404);
  });

  it('a gateway bringing the shopper back with a form POST lands on the page, changing nothing', async () => {
    const { order, token } = await checkout();
    const post = await postForm(`/o/${token}`, { respCode: '00', orderId: 'anything', txnAmt: '1' });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe(`/o/${token}`);
    expect((await stack.order(merchant, order.id)).body.status).toBe('awaiting_payment');
  });

  it('the page holds no key, shows its token only in its own URLs, and is sent no-store and no-referrer', async () => {
    const { token, order } = await paidOrder();
    const response = await get(`/o/${token}`);
    expect(response.status).toBe(200);
    const secrets = [merchant.secretKey, merchant.adminKey, PLATFORM_API_KEY, stack.config.masterKey.toString('base64'), sandboxSecret(stack.config.masterKey, merchant.merchantId)];
    for (const secret of secrets) expect(response.text).not.toContain(secret);
    expect(response.text).toContain(order.orderNo);
    const uses = [...response.text.matchAll(new RegExp(token, 'g'))].map((m) => response.text.slice(m.index - 3, m.index));
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.every((before) => before === '/o/')).toBe(true);

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(response.text).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("frame-ancestors 'none'");
    // The refund form: labelled inputs and the anti-forgery token.
    expect(response.text).toMatch(/<label for="refund-amount">/);
    expect(response.text).toMatch(/<label for="refund-reason">/);
    expect(formTokenIn(response.text)).toBeDefined();

    for (const path of [`/o/${token}/fragment`, `/o/${token}/events?v=0`]) {
      const controller = new AbortController();
      const part = await fetch(`${stack.baseUrl}${path}`, { signal: controller.signal });
      expect(part.headers.get('cache-control'), path).toBe('no-store');
      expect(part.headers.get('referrer-policy'), path).toBe('no-referrer');
      controller.abort();
    }
  });

  it('refuses a refund form without the right anti-forgery token (403) and creates no refund', async () => {
    const { token, order } = await paidOrder();
    const missing = await postForm(`/o/${token}/refunds`, { reason: 'forged', amount: '10.00' });
    expect(missing.status).toBe(403);
    const wrong = await postForm(`/o/${token}/refunds`, { reason: 'forged', amount: '10.00', form_token: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const otherOrders = await paidOrder();
    const borrowed = formTokenIn((await get(`/o/${otherOrders.token}`)).text)!;
    const crossOrder = await postForm(`/o/${token}/refunds`, { reason: 'forged', amount: '10.00', form_token: borrowed });
    expect(crossOrder.status).toBe(403);
    expect(await refundsOf(order.id)).toEqual([]);
    expect((await stack.order(merchant, order.id)).body.status).toBe('paid');
  });

  it('makes one refund from a refund form sent twice (double click, resend), and a new one from a new form', async () => {
    const { token, order } = await paidOrder();
    const html = (await get(`/o/${token}`)).text;
    const fields = { form_token: formTokenIn(html)!, request_id: requestIdIn(html), amount: '1.00', reason: 'a scratch' };
    const answers = await Promise.all([postForm(`/o/${token}/refunds`, fields), postForm(`/o/${token}/refunds`, fields)]);
    const again = await postForm(`/o/${token}/refunds`, fields);
    for (const answer of [...answers, again]) expect(answer.status).toBe(303);
    const refunds = await refundsOf(order.id);
    expect(refunds.map((r) => r.amount)).toEqual([100]);
    for (const answer of [...answers, again]) expect(new URL(answer.headers.get('location')!, stack.baseUrl).searchParams.get('refund')).toBe(refunds[0]!.id);

    const freshForm = (await get(`/o/${token}`)).text;
    const fresh = requestIdIn(freshForm);
    expect(fresh).not.toBe(fields.request_id);
    expect((await postForm(`/o/${token}/refunds`, { ...fields, request_id: fresh })).status).toBe(303);
    expect((await refundsOf(order.id)).map((r) => r.amount)).toEqual([100, 100]);

    // A form for everything that is left, sent again once it went through: nothing is left, yet the resend
    // finds the refund the first one made rather than a refusal.
    const last = (await get(`/o/${token}`)).text;
    const all = { form_token: formTokenIn(last)!, request_id: requestIdIn(last), amount: '', reason: 'changed my mind' };
    const first = new URL((await postForm(`/o/${token}/refunds`, all)).headers.get('location')!, stack.baseUrl);
    const resent = new URL((await postForm(`/o/${token}/refunds`, all)).headers.get('location')!, stack.baseUrl);
    expect(first.searchParams.get('refund')).toMatch(/\S/);
    expect(resent.searchParams.get('refund')).toBe(first.searchParams.get('refund'));
    expect((await refundsOf(order.id)).map((r) => r.amount)).toEqual([100, 100, order.total - 200]);
  });

  it('checks the refund form exactly and answers with a message on the page', async () => {
    const { token, order } = await paidOrder();
    const formToken = formTokenIn((await get(`/o/${token}`)).text)!;
    const post = async (fields: Record<string, string>) => {
      const response = await postForm(`/o/${token}/refunds`, { form_token: formToken, ...fields });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!, stack.baseUrl);
      expect(location.pathname).toBe(`/o/${token}`);
      return { notice: location.searchParams.get('notice'), page: (await get(location.pathname + location.search)).text };
    };

    const above = await post({ amount: '329.07', reason: 'too much' });
    expect(above.notice).toBe('refund_exceeds_paid');
    expect(above.page).toContain('you can ask for at most CN¥329.06');
    expect((await post({ amount: '1.005', reason: 'three decimals' })).notice).toBe('invalid_amount');
    expect((await post({ amount: '-1', reason: 'negative' })).notice).toBe('invalid_amount');
    expect((await post({ amount: '0', reason: 'zero' })).notice).toBe('invalid_amount');
    expect((await post({ amount: '1.00', reason: '   ' })).notice).toBe('reason_required');
    expect(await refundsOf(order.id)).toEqual([]);

    // Below the threshold and before shipping: processed at once; the amount is converted exactly.
    const part = await post({ amount: '0.29', reason: 'a small dent' });
    expect(part.notice).toBe('refund_processing');
    expect(part.page).toContain('Your refund of CN¥0.29 is being processed.');
    // Empty amount: everything still refundable.
    const rest = await post({ amount: '', reason: 'changed my mind' });
    expect(rest.notice).toBe('refund_processing');
    expect((await refundsOf(order.id)).map((r) => r.amount).sort((a, b) => a - b)).toEqual([29, order.total - 29]);
    const refunded = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    const page = (await get(`/o/${token}`)).text;
    expect(page).toContain('Refunded');
    expect(page).toContain(`This order was refunded in full: ${TOTALS.total}`);
    expect(page).toContain('Reason: changed my mind');
    // Nothing is left to refund: no form.
    expect(page).not.toContain('name="form_token"');
    expect(refunded.refundedAmount).toBe(order.total);
  });

  it('with tax-inclusive prices, shows the tax the total includes instead of adding it; the gateway charges the total', async () => {
    const inclusive = await stack.createMerchant({ settings: { pricesIncludeTax: true, taxRateBps: 1_300 } });
    const { order, payment, orderUrl } = await checkout(inclusive);
    // 256.00 at 13% includes 29.45 (29.4513), 45.00 includes 5.18 (5.1770): each line rounded on its own.
    const read = await stack.order(inclusive, order.id);
    expect(read.body).toMatchObject({ subtotal: 30_100, shippingFee: 1_000, tax: 3_463, taxIncluded: true, total: 31_100 });
    const charged = await stack.db.selectFrom('sandboxPayments').select('amount').where('id', '=', payment.id).executeTakeFirstOrThrow();
    expect(charged.amount).toBe(31_100);
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    try {
      await page.goto(orderUrl);
      expect(await cellsOf(page, 'table.totals tr')).toEqual([
        ['Subtotal', 'CN¥301.00'],
        ['Shipping', 'CN¥10.00'],
        ['Total', 'CN¥311.00'],
        ['incl. tax CN¥34.63'],
      ]);
      expect(await page.locator('#pay-heading').textContent()).toBe('Pay CN¥311.00');
      await screenshot(page, 'customer-tax-inclusive');
    } finally {
      await page.close();
    }
  });

  it('escapes what the customer typed', async () => {
    const { token } = await checkout(merchant, {
      customer: { name: '<script>alert("name")</script>', email: 'x@example.com', phone: '+86 138 0000 0001' },
      shippingAddress: { line1: '<img src=x onerror=alert(1)>', city: 'Hangzhou "&" <b>', postalCode: '310012', country: 'CN' },
    });
    const { status, text } = await get(`/o/${token}`);
    expect(status).toBe(200);
    expect(text).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(text).not.toContain('<script>alert');
    expect(text).not.toContain('<img src=x');
    expect(text).not.toContain('<b>');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('an expired order says why, and offers neither payment nor refund', async () => {
    const hasty = await stack.createMerchant({ settings: { paymentWindowSeconds: 1, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 0 } });
    const { token, order } = await checkout(hasty);
    await stack.waitForOrder(hasty, order.id, (o) => o.status === 'expired');
    const { status, text } = await get(`/o/${token}`);
    expect(status).toBe(200);
    expect(text).toMatch(/id="status-label" class="badge badge-neutral">Expired</);
    expect(text).toContain('The time to pay ran out before a payment arrived');
    expect(text).toContain('Nothing was charged.');
    expect(text).toContain('Reason: The payment window closed before payment.');
    expect(text).not.toContain('Pay now');
    expect(text).not.toContain('name="form_token"');
  });

  /** Reads an SSE response until `predicate` holds for what arrived, or fails at the deadline. */
  async function readStream(response: globalThis.Response, predicate: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stream did not say what was expected in ${timeoutMs} ms; got: ${JSON.stringify(text)}`)), timeoutMs);
    });
    try {
      while (!predicate(text)) {
        const { value, done } = await Promise.race([reader.read(), deadline]);
        if (done) throw new Error(`stream ended; got: ${JSON.stringify(text)}`);
        text += decoder.decode(value, { stream: true });
      }
      return text;
    } finally {
      clearTimeout(timer);
      reader.releaseLock();
    }
  }
  const orderEvents = (text: string) => [...text.matchAll(/event: order\ndata: (\d+)\nid: (\d+)/g)].map((m) => Number(m[1]));

  it('the event stream announces a version the page does not show yet, and later changes', async () => {
    const { token, order, payment } = await checkout();
    const { version: current } = await stack.db.selectFrom('orders').select('version').where('id', '=', order.id).executeTakeFirstOrThrow();

    const upToDate = new AbortController();
    try {
      const response = await fetch(`${stack.baseUrl}/o/${token}/events?v=${current}`, { signal: upToDate.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const opened = await readStream(response, (text) => text.includes('retry: '));
      expect(orderEvents(opened)).toEqual([]);
      await stack.pay(merchant, payment.id);
      const after = await readStream(response, (text) => orderEvents(text).length > 0);
      expect(orderEvents(after)[0]).toBeGreaterThan(current);
    } finally {
      upToDate.abort();
    }

    // A client that shows an older version hears about the current one at once.
    const behind = new AbortController();
    try {
      const response = await fetch(`${stack.baseUrl}/o/${token}/events?v=${current}`, { signal: behind.signal });
      const text = await readStream(response, (t) => orderEvents(t).length > 0, 3_000);
      expect(orderEvents(text)[0]).toBeGreaterThan(current);
    } finally {
      behind.abort();
    }
  });
});
