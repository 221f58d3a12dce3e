// The QR codes a shopper scans, as a browser draws them: WeChat Pay Native and Alipay precreate checkouts
// against their simulators, the customer page (and the merchant's admin page) in headless Chromium, the QR
// element's screenshot decoded back to text, then the payment made at the gateway and the page following it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { timeLeft } from '../pages/shared/qr-code.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { decodeQr, launchBrowser, screenshot, watchedPage } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** The default cart: 2 x TEA 128.00 + 1 x CUP 45.00, shipping 10.00, tax 6%. */
const TOTAL = 'CN¥329.06';

/** What the callbacks run inside Chromium use (the project compiles without the DOM library). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
  __marker?: number;
}

describe('QR codes on the customer and admin order pages (real stack, simulators, headless Chromium)', () => {
  let wechatpay: WechatPaySimulator;
  let alipay: AlipaySimulator;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    wechatpay = await startWechatPaySimulator();
    alipay = await startAlipaySimulator();
    stack = await startStack({ WECHATPAY_BASE_URL: wechatpay.url, WECHATPAY_TEST_BASE_URL: wechatpay.url, ALIPAY_GATEWAY_URL: alipay.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: alipay.gatewayUrl });
    await stack.startWorker();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await alipay?.stop();
    await wechatpay?.stop();
  });

  interface Gateway {
    name: 'wechatpay' | 'alipay';
    label: string;
    credentials: () => Record<string, string>;
    body: Record<string, unknown>;
    /** The browser's size: one desktop, one phone. */
    viewport: { width: number; height: number };
    /** The shopper scans the code and pays at the gateway. */
    pay: (code: string, paymentId: string) => Promise<unknown>;
  }

  const gateways: Gateway[] = [
    { name: 'wechatpay', label: 'WeChat Pay', credentials: () => wechatpay.merchantCredentials(), body: {}, viewport: { width: 1024, height: 900 }, pay: async (code) => wechatpay.scanAndPay(code) },
    { name: 'alipay', label: 'Alipay', credentials: () => alipay.merchantCredentials(), body: { paymentFlow: 'qr_code' }, viewport: { width: 375, height: 812 }, pay: (_code, paymentId) => alipay.pay(toTradeNo(paymentId)) },
  ];

  async function qrOrder(gateway: Gateway) {
    const merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 900, paymentCheckIntervalSeconds: 30 } });
    await stack.setCredentials(merchant, gateway.name, gateway.credentials());
    const response = await stack.checkout(merchant, { paymentMethod: gateway.name, body: gateway.body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { order, payment, orderUrl } = response.body as { order: { id: string }; payment: { id: string }; orderUrl: string };
    // The code the gateway gave, as the order holds it.
    const stored = (await stack.order(merchant, order.id)).body;
    const action = stored.payments[0].action as { type: string; code: string };
    expect(action.type).toBe('qr_code');
    return { merchant, orderId: order.id, paymentId: payment.id, orderUrl, code: action.code, expiresAt: stored.payments[0].expiresAt as string };
  }

  const newPage = (viewport = { width: 1024, height: 900 }) => watchedPage(browser, { viewport, deviceScaleFactor: 1 });

  const decodeQrOf = (page: Page, name: string) => decodeQr(page.locator('.qr'), name);

  const countdown = (page: Page) => page.locator('.qr-pay .countdown').textContent();

  it.each(gateways.map((g) => [g.label, g] as const))('%s: the customer page draws the code the gateway gave, counts down, and turns paid by itself', { timeout: 90_000 }, async (_label, gateway) => {
    const { merchant, orderId, paymentId, orderUrl, code, expiresAt } = await qrOrder(gateway);
    const { context, page, complaints } = await newPage(gateway.viewport);
    try {
      await page.goto(orderUrl);
      expect(await decodeQrOf(page, `customer-qr-${gateway.name}`)).toBe(code);
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(gateway.viewport.width);
      await screenshot(page, `customer-qr-${gateway.name}-page`);
      // Beside it, what the shopper checks before scanning.
      const caption = (await page.locator('.qr-pay figcaption').textContent()) ?? '';
      expect(caption).toContain(TOTAL);
      expect(caption).toContain('Tea House');
      expect(await page.locator('.qr-gateway').textContent()).toBe(gateway.label);
      expect(await page.locator('.qr').getAttribute('aria-label')).toBe(`QR code to pay ${TOTAL} to Tea House with ${gateway.label}`);
      // The time left to the payment's deadline, counting down (15 minutes window).
      expect(await page.locator('.qr-pay .countdown').getAttribute('data-deadline')).toBe(new Date(expiresAt).toISOString());
      const first = (await countdown(page)) ?? '';
      expect(first).toMatch(/^1[45]:\d\d$/);
      await page.waitForFunction((before) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.qr-pay .countdown')?.textContent !== before, first, { timeout: 3_000 });
      // The text of the code, folded away, with a copy button once the script runs.
      expect(await page.locator('.qr-text input').inputValue()).toBe(code);
      expect(await page.locator('.qr-text input').isVisible()).toBe(false);
      await page.locator('.qr-text summary').click();
      expect(await page.locator('.qr-text input').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);

      // Paid at the gateway: the page follows without a reload (the marker would vanish with one).
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).__marker = 1;
      });
      await gateway.pay(code, paymentId);
      await stack.waitForOrder(merchant, orderId, (o) => o.status === 'paid');
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status-label')?.textContent === 'Paid', undefined, { timeout: 15_000, polling: 50 });
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(1);
      expect(await page.locator('.qr').count()).toBe(0);
      expect(await page.locator('ul.payments').textContent()).toContain('Paid');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the admin order page shows the code the shopper scans while the order awaits payment, and drops it once paid', { timeout: 60_000 }, async () => {
    const gateway = gateways[0]!;
    const { merchant, orderId, paymentId, code } = await qrOrder(gateway);
    const { context, page, complaints } = await newPage();
    try {
      await signIn(page, merchant);
      await page.goto(`${stack.baseUrl}/admin/orders/${orderId}`);
      expect(await decodeQrOf(page, 'admin-qr-wechatpay')).toBe(code);
      expect(await page.locator('.qr-pay figcaption').textContent()).toContain(TOTAL);
      expect(await page.locator('.qr-gateway').textContent()).toBe(gateway.label);
      expect(await countdown(page)).toMatch(/^1[45]:\d\d$/);
      // The admin page looks for changes every 5 s and reloads with the paid order.
      await gateway.pay(code, paymentId);
      await page.locator('.qr').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await page.locator('h1 .badge').textContent()).toBe('Paid');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  async function signIn(page: Page, merchant: Merchant) {
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByLabel('Admin key').fill(merchant.adminKey);
    await Promise.all([page.waitForURL(/\/admin\/todo$/), page.getByRole('button', { name: 'Sign in' }).click()]);
  }
});

describe('timeLeft, the countdown beside a QR code', () => {
  it('counts minutes and seconds, hours from an hour up, and stops at zero', () => {
    expect([899_999, 60_000, 59_000, 3_600_000, 3_725_000, 0, -5_000].map(timeLeft)).toEqual(['14:59', '1:00', '0:59', '1:00:00', '1:02:05', '0:00', '0:00']);
  });
});
