import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore, SESSION_TTL_MS } from '../pages/admin/session.js';
import { createTestApp, PLATFORM_API_KEY, testConfig } from './support/app.js';
import { launchBrowser, screenshot, watchedPage } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** The default cart: 2 x TEA 128.00 + 1 x CUP 45.00, shipping 10.00, tax 6% = 18.06: total CNY 329.06. */
const TOTAL = 'CNY 329.06';

describe('merchant admin pages /admin (real stack, headless Chromium and plain HTTP)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  interface Created {
    order: { id: string; orderNo: string; total: number };
    payment: { id: string };
  }

  async function placeOrder(m: Merchant, body?: Record<string, unknown>): Promise<Created> {
    const response = await stack.checkout(m, body && { body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Created;
  }

  async function paidOrder(m: Merchant, body?: Record<string, unknown>): Promise<Created> {
    const created = await placeOrder(m, body);
    await stack.pay(m, created.payment.id);
    await stack.waitForOrder(m, created.order.id, (o) => o.status === 'paid');
    return created;
  }

  // ---- plain HTTP helpers ---------------------------------------------------------------------------

  const cookiesOf = (response: globalThis.Response) => response.headers.getSetCookie();
  const cookieValue = (setCookies: string[], name: string) => setCookies.map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1]).find((v) => v !== undefined);
  const csrfIn = (html: string) => {
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(token, 'the page has a CSRF field').toBeDefined();
    return token!;
  };

  /** Signs in over plain HTTP, as a browser without JavaScript would; returns a tiny client for the session. */
  async function signIn(key: string, base: { fetch: (path: string, init?: RequestInit) => Promise<globalThis.Response> } = { fetch: (path, init) => fetch(`${stack.baseUrl}${path}`, init) }) {
    const form = await base.fetch('/admin/login');
    expect(form.status).toBe(200);
    const loginCookie = cookieValue(cookiesOf(form), 'paystead_admin_login');
    expect(loginCookie).toBeDefined();
    const posted = await base.fetch('/admin/login', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${loginCookie}` },
      body: new URLSearchParams({ _csrf: csrfIn(await form.text()), key }),
    });
    const setCookies = cookiesOf(posted);
    const session = cookieValue(setCookies, 'paystead_admin');
    const cookie = `paystead_admin=${session}`;
    const client = {
      status: posted.status,
      location: posted.headers.get('location'),
      setCookies,
      session,
      get: (path: string) => base.fetch(path, { redirect: 'manual', headers: { cookie } }),
      post: (path: string, fields: Record<string, string>) =>
        base.fetch(path, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }),
      /** The CSRF token of this session, from any signed-in page. */
      async csrf() {
        const page = await client.get('/admin');
        expect(page.status).toBe(200);
        return csrfIn(await page.text());
      },
    };
    return client;
  }

  // ---- browser helpers ------------------------------------------------------------------------------

  const newPage = (viewport: { width: number; height: number }) => watchedPage(browser, { viewport });

  /** How wide the page's content is (the project compiles without the DOM library, hence the cast). */
  const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);

  async function statusText(page: Page): Promise<string> {
    return (await page.locator('[role=status]').first().textContent()) ?? '';
  }

  /** Submits the form holding `button` and waits for the page after the redirect to show a flash message. */
  async function submitAndWait(page: Page, buttonName: string | RegExp, expected: RegExp) {
    await Promise.all([page.waitForURL(/flash=/), page.getByRole('button', { name: buttonName }).click()]);
    await page.waitForSelector('.flash-success, .flash-error');
    const alerts = await page.locator('[role=alert]').allTextContents();
    expect(alerts.join(' '), 'no error after the action').toBe('');
    expect(await statusText(page)).toMatch(expected);
  }

  it('a merchant signs in, finds an order, confirms and ships it, approves a refund and signs out', { timeout: 120_000 }, async () => {
    const merchant = await stack.createMerchant();
    const { order } = await paidOrder(merchant);
    await placeOrder(merchant); // another order, which the search must leave out

    const { context, page, complaints } = await newPage({ width: 1200, height: 900 });
    try {
      // Not signed in: the admin sends us to the sign-in page.
      await page.goto(`${stack.baseUrl}/admin`);
      await page.waitForURL(/\/admin\/login\?next=%2Fadmin$/);

      // A wrong key first: an error, nothing else.
      await page.getByLabel('Admin key').fill('ak_not-a-real-key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('[role=alert]');
      expect(await page.locator('[role=alert]').textContent()).toContain('That admin key is not valid.');
      expect(await page.getByLabel('Admin key').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Admin key').fill(merchant.adminKey);
      // Signed in, the admin opens on the to-do page; the orders list is one link away.
      await Promise.all([page.waitForURL(`${stack.baseUrl}/admin/todo`), page.getByRole('button', { name: 'Sign in' }).click()]);
      await Promise.all([page.waitForURL(`${stack.baseUrl}/admin`), page.getByRole('link', { name: 'Orders', exact: true }).click()]);
      expect(await page.locator('table tbody tr').count()).toBe(2);

      // Search by order number: exactly this order, its total formatted in its currency.
      await page.getByLabel('Search').fill(order.orderNo.toLowerCase());
      await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Show orders' }).click()]);
      const rows = page.locator('table tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain(TOTAL);
      expect(await rows.first().locator('.badge').textContent()).toBe('Paid');
      await screenshot(page, 'admin-orders');

      await Promise.all([page.waitForURL(/\/admin\/orders\//), page.getByRole('link', { name: order.orderNo }).click()]);
      expect(await page.locator('h1').textContent()).toContain(order.orderNo);
      expect(await page.locator('#items-heading + table').textContent()).toContain('CNY 128.00');

      await submitAndWait(page, 'Confirm order', /Order confirmed/);
      expect(await page.locator('h1 .badge').textContent()).toBe('Confirmed');

      await page.getByLabel('Carrier').fill('SF Express');
      await page.getByLabel('Tracking number').fill('SF1234567890');
      await submitAndWait(page, 'Mark as shipped', /shipped with SF Express/);
      const shipment = (await page.locator('#shipment').textContent()) ?? '';
      expect(shipment).toContain('SF Express');
      expect(shipment).toContain('SF1234567890');
      expect(await page.locator('h1 .badge').textContent()).toBe('Shipped');

      // After shipping, a customer's refund waits for the merchant.
      const requested = await stack.request('POST', `/v1/orders/${order.id}/refunds`, { key: merchant.secretKey, body: { amount: 4_500, reason: 'The cup arrived broken' } });
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      expect(requested.body.status).toBe('pending_approval');
      await page.reload();
      await page.getByRole('heading', { name: /Refund request of CNY 45\.00/ }).waitFor();
      await page.getByLabel('Note (optional)').fill('Sorry about the cup');
      await submitAndWait(page, 'Approve refund', /approved/);
      // Processing, then succeeded once the gateway reports back (the page refreshes itself meanwhile).
      await page.waitForSelector('#refunds .badge-good', { timeout: 30_000 });
      const refunds = (await page.locator('#refunds').textContent()) ?? '';
      expect(refunds).toContain('Succeeded');
      expect(refunds).toContain('Sorry about the cup');
      expect(refunds).toContain('The cup arrived broken');
      expect(await page.locator('#timeline').textContent()).toContain('Refund approved');
      await screenshot(page, 'admin-order');
      await page.setViewportSize({ width: 375, height: 800 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
      await screenshot(page, 'admin-order-375');
      await page.setViewportSize({ width: 1200, height: 900 });

      await Promise.all([page.waitForURL(/\/admin\/settings$/), page.getByRole('link', { name: 'Settings' }).click()]);
      expect(await page.locator('#verification').textContent()).toContain('Verified');
      await screenshot(page, 'admin-settings');

      await Promise.all([page.waitForURL(/\/admin\/login\?signed_out=1$/), page.getByRole('button', { name: 'Sign out' }).click()]);
      await page.goto(`${stack.baseUrl}/admin`);
      await page.waitForURL(/\/admin\/login/);
      expect(await page.getByLabel('Admin key').isVisible()).toBe(true);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('settings: saves prices in major units exactly, adds a product, keeps gateway credentials write-only', { timeout: 90_000 }, async () => {
    const merchant = await stack.createMerchant({ verified: false });
    const { context, page, complaints } = await newPage({ width: 375, height: 800 });
    try {
      await page.goto(`${stack.baseUrl}/admin/settings`);
      await page.getByLabel('Admin key').fill(merchant.adminKey);
      await Promise.all([page.waitForURL(/\/admin\/settings$/), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(await page.locator('#verification').textContent()).toContain('only the sandbox gateway');

      // A mistake first: the form comes back with the problem and what was typed.
      await page.getByLabel('Shipping fee (CNY)').fill('12.505');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.waitForSelector('#settings-form [role=alert]');
      expect(await page.locator('#settings-form [role=alert]').textContent()).toContain('at most 2 decimal places');
      expect(await page.getByLabel('Shipping fee (CNY)').inputValue()).toBe('12.505');

      await page.getByLabel('Shipping fee (CNY)').fill('12.50');
      await page.getByLabel('Tax rate (%)').fill('6.25');
      await submitAndWait(page, 'Save settings', /Settings saved/);
      const settings = await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey });
      expect(settings.body.settings).toMatchObject({ shippingFee: 1_250, taxRateBps: 625 });

      await page.getByLabel('SKU').fill('POT');
      await page.getByLabel('Name', { exact: true }).last().fill('Clay teapot');
      await page.getByLabel('Price (CNY)').last().fill('299.90');
      await submitAndWait(page, 'Add product', /Product POT added at CNY 299\.90/);
      const products = await stack.request('GET', '/v1/admin/products', { key: merchant.adminKey });
      expect(products.body.products).toContainEqual(expect.objectContaining({ sku: 'POT', unitAmount: 29_990, active: true }));

      const secret = `sk_test_${Math.random().toString(36).slice(2)}`;
      await page.getByLabel('Secret key').fill(secret);
      await page.getByLabel('Webhook signing secret').fill('whsec_abc123');
      await submitAndWait(page, 'Save Stripe credentials', /Stripe credentials saved/);
      expect(await page.locator('#gateway-stripe .badge').textContent()).toBe('Configured');
      expect(await page.content()).not.toContain(secret);
      expect(await page.getByLabel('Secret key').inputValue()).toBe('');
      const stored = await stack.db.selectFrom('gatewayCredentials').select('ciphertext').where('merchantId', '=', merchant.merchantId).where('gateway', '=', 'stripe').executeTakeFirstOrThrow();
      expect(stored.ciphertext).not.toContain(secret);

      // Readable at 375 px: nothing wider than the screen.
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
      await screenshot(page, 'admin-settings-375');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('redirects to sign-in without a session; a wrong or non-admin key is a 401 that reveals nothing', async () => {
    const merchant = await stack.createMerchant();
    const anonymous = await fetch(`${stack.baseUrl}/admin/orders/ord_x?y=1`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Forders%2Ford_x%3Fy%3D1');

    for (const key of ['ak_wrong', merchant.secretKey, PLATFORM_API_KEY]) {
      const attempt = await signIn(key);
      expect(attempt.status).toBe(401);
      expect(attempt.session).toBeUndefined();
    }
    const wrong = await fetch(`${stack.baseUrl}/admin/login`).then(async (form) => {
      const cookie = cookieValue(cookiesOf(form), 'paystead_admin_login');
      return fetch(`${stack.baseUrl}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${cookie}` },
        body: new URLSearchParams({ _csrf: csrfIn(await form.text()), key: merchant.secretKey }),
      });
    });
    const html = await wrong.text();
    expect(html).toContain('That admin key is not valid.');
    expect(html).not.toContain(merchant.secretKey);

    // The sign-in form itself is protected against cross-site posts.
    const forged = await fetch(`${stack.baseUrl}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key: merchant.adminKey }) });
    expect(forged.status).toBe(403);
    expect(cookieValue(cookiesOf(forged), 'paystead_admin')).toBeUndefined();
  });

  it('sets a session cookie that is HttpOnly, SameSite=Strict, limited to /admin, and Secure behind https', async () => {
    const merchant = await stack.createMerchant();
    const client = await signIn(merchant.adminKey);
    expect(client.status).toBe(303);
    expect(client.location).toBe('/admin/todo');
    const cookie = client.setCookies.find((c) => c.startsWith('paystead_admin='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\/admin(;|$)/);
    expect(cookie).not.toMatch(/; Secure/i); // the test stack is served over http
    expect(cookie).not.toContain(merchant.adminKey);
    expect(client.session).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The same app behind an https public URL marks the cookie Secure.
    const httpsApp = createTestApp({ db: stack.db, temporal: stack.client, config: testConfig(stack.config.database.url, stack.taskQueue, { PUBLIC_BASE_URL: 'https://shop.example' }) });
    const secure = await signIn(merchant.adminKey, { fetch: async (path, init) => httpsApp.request(`https://shop.example${path}`, init) });
    expect(secure.status).toBe(303);
    expect(secure.setCookies.find((c) => c.startsWith('paystead_admin='))).toMatch(/; Secure/i);
  });

  it('refuses a POST without the session CSRF token (403) and changes nothing; with it, the action runs', async () => {
    const merchant = await stack.createMerchant();
    const { order } = await paidOrder(merchant);
    const client = await signIn(merchant.adminKey);
    const path = `/admin/orders/${order.id}/confirm`;

    expect((await client.post(path, {})).status).toBe(403);
    expect((await client.post(path, { _csrf: 'forged-token' })).status).toBe(403);
    const other = await signIn(merchant.adminKey); // another session's token does not count either
    expect((await client.post(path, { _csrf: await other.csrf() })).status).toBe(403);
    expect((await stack.order(merchant, order.id)).body.status).toBe('paid');

    const done = await client.post(path, { _csrf: await client.csrf() });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(new RegExp(`^/admin/orders/${order.id}\\?flash=`));
    expect((await stack.order(merchant, order.id)).body.status).toBe('confirmed');
    const after = await client.get(done.headers.get('location')!);
    const html = await after.text();
    expect(html).toContain('Order confirmed.');
    // The flash is shown once.
    expect(await (await client.get(done.headers.get('location')!)).text()).not.toContain('Order confirmed.');
  });

  it("shows the workflow's refusal of an action as the flash message after the redirect", async () => {
    const merchant = await stack.createMerchant();
    const { order } = await paidOrder(merchant);
    const client = await signIn(merchant.adminKey);
    const shipped = await client.post(`/admin/orders/${order.id}/ship`, { _csrf: await client.csrf(), carrier: 'SF Express', trackingNumber: 'SF1' });
    expect(shipped.status).toBe(303);
    const html = await (await client.get(shipped.headers.get('location')!)).text();
    expect(html).toMatch(/role="alert"[^>]*>Only an order that is confirmed can be shipped; this order is paid\./);
    expect((await stack.order(merchant, order.id)).body.status).toBe('paid');

    // A refund typed in major units is converted exactly; the form sent twice makes one refund.
    const form = await (await client.get(`/admin/orders/${order.id}`)).text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(form)![1]!;
    const fields = { _csrf: await client.csrf(), request_id: requestId, amount: '12.50', reason: 'Goodwill' };
    const refunded = await client.post(`/admin/orders/${order.id}/refunds`, fields);
    expect(refunded.status).toBe(303);
    expect((await client.post(`/admin/orders/${order.id}/refunds`, fields)).status).toBe(303);
    const after = await stack.waitForOrder(merchant, order.id, (o) => o.refunds.length === 1);
    expect(after.refunds[0]).toMatchObject({ amount: 1_250, reason: 'Goodwill', initiatedBy: 'merchant' });
    expect((await stack.db.selectFrom('refunds').select('id').where('orderId', '=', order.id).execute()).length).toBe(1);
  });

  it('shows the payment review forms only in needs_review; both actions run from them, in the captured currency', async () => {
    const merchant = await stack.createMerchant({ settings: { paymentCheckIntervalSeconds: 1 } });
    const client = await signIn(merchant.adminKey);
    const page = async (orderId: string) => (await client.get(`/admin/orders/${orderId}`)).text();
    const review = async (capture: { amount?: number; currency?: string }) => {
      const created = await placeOrder(merchant);
      await stack.pay(merchant, created.payment.id, capture);
      await stack.waitForOrder(merchant, created.order.id, (o) => o.status === 'needs_review');
      return created.order;
    };

    const { order: paid } = await paidOrder(merchant);
    expect(await page(paid.id)).not.toContain('accept-payment');

    // Accepted in another currency: paid, the capture shown in its currency.
    const foreign = await review({ currency: 'USD', amount: 4_600 });
    const html = await page(foreign.id);
    expect(html).toContain(`action="/admin/orders/${foreign.id}/accept-payment"`);
    expect(html).toContain(`action="/admin/orders/${foreign.id}/refund-payment"`);
    const accepted = await client.post(`/admin/orders/${foreign.id}/accept-payment`, { _csrf: await client.csrf(), note: '' });
    expect(accepted.status).toBe(303);
    expect(await (await client.get(accepted.headers.get('location')!)).text()).toMatch(/Payment of USD 46\.00 accepted; the order is paid\./);
    expect((await stack.order(merchant, foreign.id)).body).toMatchObject({ status: 'paid', paidAmount: 4_600 });

    // Refunded: a reason is required; then the capture goes back in its currency and the order is cancelled.
    const short = await review({ currency: 'USD', amount: 1_000 });
    const unexplained = await client.post(`/admin/orders/${short.id}/refund-payment`, { _csrf: await client.csrf(), reason: ' ' });
    expect(await (await client.get(unexplained.headers.get('location')!)).text()).toMatch(/role="alert"/);
    const refunded = await client.post(`/admin/orders/${short.id}/refund-payment`, { _csrf: await client.csrf(), reason: 'Wrong currency.' });
    expect(await (await client.get(refunded.headers.get('location')!)).text()).toContain('Order cancelled; the captured');
    const done = await stack.waitForOrder(merchant, short.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(done).toMatchObject({ status: 'cancelled', refundedAmount: 1_000 });
    expect(done.refunds[0]).toMatchObject({ amount: 1_000, currency: 'USD' });
    expect(await page(short.id)).not.toContain('refund-payment');
  });

  it('puts no key or secret in the HTML of the order page', async () => {
    const merchant = await stack.createMerchant();
    const { order } = await paidOrder(merchant);
    const client = await signIn(merchant.adminKey);
    const response = await client.get(`/admin/orders/${order.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain(order.orderNo);
    expect(html).toContain(TOTAL);
    for (const secret of [merchant.adminKey, merchant.secretKey, PLATFORM_API_KEY, stack.config.masterKey.toString('base64'), client.session!]) {
      expect(html).not.toContain(secret);
    }
  });

  it('with tax-inclusive prices, the order page shows the tax the total includes, with no tax line added', async () => {
    const merchant = await stack.createMerchant({ settings: { pricesIncludeTax: true, taxRateBps: 1_300 } });
    const { order } = await placeOrder(merchant);
    const html = await (await (await signIn(merchant.adminKey)).get(`/admin/orders/${order.id}`)).text();
    expect(html).toContain('CNY 311.00');
    expect(html).toContain('incl. tax CNY 34.63');
    expect(html).not.toContain('<dt>Tax</dt>');
  });

  it("gives another merchant's session a 404 for this order, for reading and for acting", async () => {
    const owner = await stack.createMerchant();
    const stranger = await stack.createMerchant();
    const { order } = await paidOrder(owner);
    const client = await signIn(stranger.adminKey);
    const read = await client.get(`/admin/orders/${order.id}`);
    expect(read.status).toBe(404);
    expect(await read.text()).not.toContain(order.orderNo);
    const act = await client.post(`/admin/orders/${order.id}/confirm`, { _csrf: await client.csrf() });
    expect(act.status).toBe(404);
    expect((await stack.order(owner, order.id)).body.status).toBe('paid');
    // The owner sees it.
    expect((await (await signIn(owner.adminKey)).get(`/admin/orders/${order.id}`)).status).toBe(200);
  });

  it('escapes what customers typed: a name containing <script> is shown as text', async () => {
    const merchant = await stack.createMerchant();
    const name = '<script>alert("pwned")</script> Li';
    const { order } = await placeOrder(merchant, { customer: { name, email: 'li@example.com', phone: '+86 138 0000 0001' } });
    const client = await signIn(merchant.adminKey);
    for (const path of [`/admin/orders/${order.id}`, '/admin']) {
      const html = await (await client.get(path)).text();
      expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Li');
      expect(html).not.toContain('<script>alert(');
    }
  });

  it('links the order to its run in the Temporal Web UI only when TEMPORAL_UI_URL is configured', async () => {
    const merchant = await stack.createMerchant();
    const { order } = await placeOrder(merchant);
    const workflowId = await stack.workflowId(order.id);

    const plain = await (await (await signIn(merchant.adminKey)).get(`/admin/orders/${order.id}`)).text();
    expect(plain).not.toContain('Workflow run');

    const withUi = createTestApp({ db: stack.db, temporal: stack.client, config: testConfig(stack.config.database.url, stack.taskQueue, { TEMPORAL_UI_URL: 'http://temporal-ui.example:8233/' }) });
    const client = await signIn(merchant.adminKey, { fetch: async (path, init) => withUi.request(`http://localhost${path}`, init) });
    const html = await (await client.get(`/admin/orders/${order.id}`)).text();
    expect(html).toContain(`href="http://temporal-ui.example:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}"`);
    expect(html).toContain(workflowId);
  });

  it('filters the list by status and pages through it, newest first', { timeout: 90_000 }, async () => {
    const merchant = await stack.createMerchant();
    const { order: paid } = await paidOrder(merchant);
    const waiting: string[] = [];
    for (let i = 0; i < 20; i++) waiting.push((await placeOrder(merchant)).order.orderNo);
    const client = await signIn(merchant.adminKey);
    const ordersIn = (html: string) => [...html.matchAll(/<a href="\/admin\/orders\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

    const first = await (await client.get('/admin')).text();
    expect(ordersIn(first)).toEqual(waiting.slice().reverse());
    const older = /<a href="([^"]+)" rel="next">Older orders<\/a>/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toMatch(/^\/admin\?cursor=/);
    const second = await (await client.get(older!)).text();
    expect(ordersIn(second)).toEqual([paid.orderNo]);
    expect(second).not.toContain('Older orders');
    expect(second).toContain('Newest orders');

    const onlyPaid = await (await client.get('/admin?status=paid&q=')).text();
    expect(ordersIn(onlyPaid)).toEqual([paid.orderNo]);
    expect(onlyPaid).toMatch(/<option value="paid" selected="">/);

    const bad = await client.get('/admin?status=nonsense');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/role="alert"/);
  });

  it('refuses settings that break a rule of the API (check interval above the payment window) and keeps the old ones', async () => {
    const merchant = await stack.createMerchant();
    const client = await signIn(merchant.adminKey);
    const fields = { shippingFee: '10.00', taxRateBps: '6', paymentWindowSeconds: '60', paymentCheckIntervalSeconds: '120', latePaymentGraceSeconds: '10', refundWindowSeconds: '60', refundApprovalThreshold: '1000.00' };
    const refused = await client.post('/admin/settings', { _csrf: await client.csrf(), ...fields, shippingFee: '99.99' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('The payment check interval must not be longer than the payment window.');
    expect(html).toContain('value="99.99"'); // what was typed comes back
    expect((await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey })).body.settings).toMatchObject({ shippingFee: 1_000, paymentCheckIntervalSeconds: 30 });

    const saved = await client.post('/admin/settings', { _csrf: await client.csrf(), ...fields, paymentCheckIntervalSeconds: '15', autoConfirm: 'on', pricesIncludeTax: 'on' });
    expect(saved.status).toBe(303);
    expect((await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey })).body.settings).toMatchObject({ paymentCheckIntervalSeconds: 15, autoConfirm: true, pricesIncludeTax: true });
    expect(await (await client.get('/admin/settings')).text()).toMatch(/<input[^>]*name="pricesIncludeTax"[^>]*checked/);
    // An unticked box turns it off again.
    expect((await client.post('/admin/settings', { _csrf: await client.csrf(), ...fields, paymentCheckIntervalSeconds: '15' })).status).toBe(303);
    expect((await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey })).body.settings.pricesIncludeTax).toBe(false);
  });

  it('sessions expire after 8 hours and keep no token, only its hash', async () => {
    const merchant = await stack.createMerchant();
    let now = Date.now();
    const sessions = createSessionStore(stack.db, () => now);
    const { token, session } = await sessions.create(merchant.merchantId, 'hash', 'test');
    expect(await sessions.get(token)).toEqual(session);
    const stored = await stack.db.selectFrom('adminSessions').selectAll().where('merchantId', '=', merchant.merchantId).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    now += SESSION_TTL_MS - 1;
    expect(await sessions.get(token)).toEqual(session);
    now += 1;
    expect(await sessions.get(token)).toBeUndefined();
  });

  it('keeps a message for one page view, at most 20 per session, and none for a session that ended', async () => {
    const merchant = await stack.createMerchant();
    const sessions = createSessionStore(stack.db);
    const { token, session } = await sessions.create(merchant.merchantId, 'hash', 'test');
    const flashId = await sessions.addFlash(session, { kind: 'success', message: 'done' });
    expect(await sessions.takeFlash(session, flashId)).toEqual({ kind: 'success', message: 'done' });
    expect(await sessions.takeFlash(session, flashId)).toBeUndefined();
    const ids: string[] = [];
    for (let i = 0; i < 22; i += 1) ids.push(await sessions.addFlash(session, { kind: 'error', message: `m${i}` }));
    expect(await sessions.takeFlash(session, ids[1])).toBeUndefined();
    expect(await sessions.takeFlash(session, ids[2])).toEqual({ kind: 'error', message: 'm2' });
    const other = await sessions.create(merchant.merchantId, 'hash', 'test');
    expect(await sessions.takeFlash(other.session, ids[3])).toBeUndefined();
    // Signed out meanwhile (another tab): the message is dropped, the action's answer still a redirect.
    await sessions.destroy(token);
    const late = await sessions.addFlash(session, { kind: 'success', message: 'late' });
    expect(await sessions.takeFlash(session, late)).toBeUndefined();
    expect(await stack.db.selectFrom('adminFlashes').select('id').where('sessionId', '=', session.id).execute()).toEqual([]);
  });

  it('keeps staff signed in across an API restart: sessions live in Postgres', async () => {
    const merchant = await stack.createMerchant();
    const client = await signIn(merchant.adminKey);
    expect((await client.get('/admin')).status).toBe(200);
    // Another app over the same database, as after a restart or on a second instance.
    const restarted = createTestApp({ db: stack.db, temporal: stack.client, config: stack.config });
    const page = await restarted.request('http://localhost/admin', { headers: { cookie: `paystead_admin=${client.session}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign out');
  });

  it('ends the session when its admin key is revoked', async () => {
    const merchant = await stack.createMerchant();
    const issued = await stack.request('POST', `/v1/platform/merchants/${merchant.merchantId}/keys`, { key: PLATFORM_API_KEY, body: { kind: 'admin' } });
    expect(issued.status).toBe(201);
    const client = await signIn(issued.body.key);
    expect((await client.get('/admin')).status).toBe(200);
    const revoked = await stack.request('DELETE', `/v1/platform/merchants/${merchant.merchantId}/keys/${issued.body.id}`, { key: PLATFORM_API_KEY });
    expect(revoked.status).toBe(200);
    const after = await client.get('/admin');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin/login?next=%2Fadmin');
  });

  it('suspension ends live-mode sessions and refuses live admin keys; test-mode sessions and sign-ins go on', async () => {
    const merchant = await stack.createMerchant();
    const liveSession = await signIn(merchant.liveAdminKey!);
    const testSession = await signIn(merchant.adminKey);
    expect((await liveSession.get('/admin')).status).toBe(200);
    expect((await stack.request('POST', `/v1/platform/merchants/${merchant.merchantId}/suspend`, { key: PLATFORM_API_KEY })).status).toBe(200);
    expect((await liveSession.get('/admin')).status).toBe(303);
    expect((await testSession.get('/admin')).status).toBe(200);
    expect((await signIn(merchant.liveAdminKey!)).status).toBe(403);
    expect((await signIn(merchant.adminKey)).status).toBe(303);
  });
});
