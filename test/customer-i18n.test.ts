// The customer order page and the sandbox payment page in Chinese and English, on a desktop and a phone:
// the language from Accept-Language, the switch (remembered in a cookie), the merchant's default; money
// and times as the reader's language writes them, in the merchant's time zone. Screenshots of each.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null; documentElement: { scrollWidth: number } };
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** A date as zh-CN writes it, e.g. `2026年12月3日 15:41`. */
const ZH_DATE = /\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}/;

describe('the customer page in Chinese and English (real stack, headless Chromium)', () => {
  let stack: Stack;
  let merchant: Merchant;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    // A CNY shop as a new one starts: Chinese pages, Beijing time, tax-inclusive prices.
    merchant = await stack.createMerchant({ settings: { locale: 'zh-CN', timeZone: 'Asia/Shanghai', pricesIncludeTax: true } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function checkout() {
    const response = await stack.checkout(merchant);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string; orderNo: string }; payment: { id: string; action: { url: string } }; orderUrl: string };
  }

  async function open(url: string, options: { locale?: string; viewport?: typeof DESKTOP; phone?: boolean; extraHTTPHeaders?: Record<string, string> }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: options.viewport ?? DESKTOP,
      ...(options.locale && { locale: options.locale }),
      ...(options.phone && { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }),
      ...(options.extraHTTPHeaders && { extraHTTPHeaders: options.extraHTTPHeaders }),
    });
    const page = await context.newPage();
    await page.goto(url);
    return { context, page };
  }

  const lang = (page: Page) => page.locator('html').getAttribute('lang');
  const fitsWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);

  it.each([
    ['desktop', DESKTOP, false],
    ['phone', PHONE, true],
  ] as const)('zh-CN and en on a %s: words, money and Beijing times; screenshots', { timeout: 60_000 }, async (device, viewport, phone) => {
    const { order, orderUrl } = await checkout();

    const zh = await open(orderUrl, { locale: 'zh-CN', viewport, phone });
    try {
      const page = zh.page;
      expect(await lang(page)).toBe('zh-CN');
      expect(await page.locator('h1').textContent()).toBe(`订单 ${order.orderNo}`);
      expect(await page.locator('#status-label').textContent()).toBe('待付款');
      expect(await page.locator('#pay-heading').textContent()).toMatch(/^支付 ¥\d+\.\d\d$/);
      expect(await page.locator('tr.tax-included').textContent()).toMatch(/^含税 ¥\d+\.\d\d$/);
      const body = (await page.locator('body').textContent()) ?? '';
      expect(body).toMatch(ZH_DATE);
      expect(body).not.toContain('UTC');
      expect(await page.getByRole('link', { name: '立即付款' }).count()).toBe(1);
      expect(await page.locator('.locale-switch a[hreflang="en"]').textContent()).toBe('English');
      expect(await fitsWidth(page)).toBeLessThanOrEqual(viewport.width);
      await screenshot(page, `customer-zh-CN-${device}`);
    } finally {
      await zh.context.close();
    }

    const en = await open(orderUrl, { locale: 'en-US', viewport, phone });
    try {
      const page = en.page;
      expect(await lang(page)).toBe('en');
      expect(await page.locator('#status-label').textContent()).toBe('Awaiting payment');
      expect(await page.locator('#pay-heading').textContent()).toMatch(/^Pay CN¥\d+\.\d\d$/);
      expect(await page.locator('tr.tax-included').textContent()).toMatch(/^incl\. tax CN¥\d+\.\d\d$/);
      expect(await page.locator('.locale-switch a[hreflang="zh-CN"]').textContent()).toBe('简体中文');
      expect(await fitsWidth(page)).toBeLessThanOrEqual(viewport.width);
      await screenshot(page, `customer-en-${device}`);
    } finally {
      await en.context.close();
    }
  });

  it('the switch changes the language and a cookie remembers it; a malformed cookie or an unknown language falls back', { timeout: 60_000 }, async () => {
    const { orderUrl } = await checkout();
    const { context, page } = await open(orderUrl, { locale: 'en-US' });
    try {
      expect(await lang(page)).toBe('en');
      await page.locator('.locale-switch a[hreflang="zh-CN"]').click();
      await page.waitForURL(/\?lang=zh-CN$/);
      expect(await lang(page)).toBe('zh-CN');
      await page.goto(orderUrl);
      expect(await lang(page)).toBe('zh-CN');
      expect(await page.locator('.locale-switch [aria-current]').textContent()).toBe('简体中文');
      await page.locator('.locale-switch a[hreflang="en"]').click();
      await page.goto(orderUrl);
      expect(await lang(page)).toBe('en');
      // A cookie that is not one of our languages is ignored: Accept-Language decides again.
      await context.addCookies([{ name: 'paystead_lang', value: '"><script>', url: stack.baseUrl }]);
      await page.goto(orderUrl);
      expect(await lang(page)).toBe('en');
    } finally {
      await context.close();
    }
    // French only, an unknown ?lang and a malformed cookie: the merchant's default (zh-CN).
    const other = await open(`${orderUrl}?lang=fr`, { extraHTTPHeaders: { 'Accept-Language': 'fr-FR, de;q=0.5' } });
    try {
      expect(await lang(other.page)).toBe('zh-CN');
    } finally {
      await other.context.close();
    }
  });

  it('the sandbox payment page speaks the same language, and the order page turns paid in Chinese', { timeout: 60_000 }, async () => {
    const { order, orderUrl } = await checkout();
    const { context, page } = await open(orderUrl, { locale: 'zh-CN', viewport: PHONE, phone: true });
    try {
      await page.getByRole('link', { name: '立即付款' }).click();
      await page.waitForLoadState();
      expect(await lang(page)).toBe('zh-CN');
      expect(await page.locator('h1').textContent()).toBe('使用沙箱付款');
      expect(await page.locator('.notice').textContent()).toContain('测试订单');
      await screenshot(page, 'sandbox-zh-CN-phone');
      await page.getByRole('button', { name: /^支付 ¥\d+\.\d\d$/ }).click();
      await page.waitForURL((url) => url.pathname === new URL(orderUrl).pathname);
      await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status-label')?.textContent === '已付款', undefined, { timeout: 15_000, polling: 50 });
      expect(await page.locator('ul.payments').textContent()).toMatch(ZH_DATE);
    } finally {
      await context.close();
    }
  });
  it('the admin pages show times in the merchant zone in the reader language; the settings form changes zone and language', { timeout: 60_000 }, async () => {
    const shop = await stack.createMerchant({ settings: { locale: 'zh-CN', timeZone: 'Asia/Shanghai' } });
    const created = await stack.checkout(shop);
    expect(created.status).toBe(201);
    const { order } = created.body as { order: { id: string } };
    const { context, page } = await open(`${stack.baseUrl}/admin/login`, { locale: 'zh-CN' });
    try {
      // The sign-in page already speaks the browser's language.
      expect(await page.locator('h1').textContent()).toBe('登录店铺管理后台');
      await page.getByLabel('管理密钥').fill(shop.adminKey);
      await Promise.all([page.waitForURL(/\/admin\/todo$/), page.getByRole('button', { name: '登录' }).click()]);
      await page.goto(`${stack.baseUrl}/admin/orders/${order.id}`);
      expect(await lang(page)).toBe('zh-CN');
      expect(await page.locator('h1 .badge').textContent()).toBe('待付款');
      const placed = (await page.locator('#timeline').textContent()) ?? '';
      expect(placed).toContain('已下单');
      const createdAt = new Date((await page.locator('#timeline time').first().getAttribute('datetime')) ?? '');
      expect(placed).toContain(new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(createdAt));
      await screenshot(page, 'admin-order-zh-CN-desktop');

      // A zone Intl does not know is refused next to its field; a real one is saved.
      await page.goto(`${stack.baseUrl}/admin/settings`);
      await page.locator('#settings-time-zone').fill('Mars/Olympus');
      await page.getByRole('button', { name: '保存设置' }).click();
      expect(await page.locator('#settings-time-zone-error').textContent()).toBe('时区无效。');
      await page.locator('#settings-time-zone').fill('Europe/Berlin');
      await page.locator('#settings-locale').selectOption('en');
      await Promise.all([page.waitForURL(/flash=/), page.getByRole('button', { name: '保存设置' }).click()]);
      expect(await page.locator('[role=status]').first().textContent()).toBe('设置已保存。新订单将使用新设置；已下的订单保持原设置。');
      const settings = await stack.request('GET', '/v1/admin/settings', { key: shop.adminKey });
      expect((settings.body as { settings: unknown }).settings).toMatchObject({ locale: 'en', timeZone: 'Europe/Berlin' });

      await page.goto(`${stack.baseUrl}/admin/orders/${order.id}`);
      expect(await page.locator('#timeline').textContent()).toContain(new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(createdAt));
    } finally {
      await context.close();
    }
  });
});
