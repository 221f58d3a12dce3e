import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../db/merchants.js';
import { launchBrowser, screenshot, watchedPage } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** People can tell the mode: the admin's test/live switch and banner, and a test order's pages (real stack, headless Chromium). */
describe('test mode and live mode on the pages', () => {
  let stack: Stack;
  let browser: Browser;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    browser = await launchBrowser();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  interface Checkout {
    order: { id: string; orderNo: string };
    payment: { id: string; action: { type: string; url: string } };
    orderUrl: string;
  }

  /** A test order: the merchant's keys from creation are test keys, and the sandbox takes test orders. */
  async function testOrder(): Promise<Checkout> {
    const response = await stack.checkout(merchant);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Checkout;
  }

  const newPage = () => watchedPage(browser, { viewport: { width: 1200, height: 800 } });

  async function signIn(page: Page, key: string) {
    await page.goto(`${stack.baseUrl}/admin/login`);
    await page.getByLabel('Admin key').fill(key);
    await Promise.all([page.waitForURL(`${stack.baseUrl}/admin/todo`), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto(`${stack.baseUrl}/admin`);
  }

  const banner = (page: Page) => page.locator('#mode-banner');
  const badge = (page: Page) => page.locator('#mode-badge').textContent();
  const sessionModes = () => stack.db.selectFrom('adminSessions').select('mode').where('merchantId', '=', merchant.merchantId).execute();

  async function switchTo(page: Page, button: string, flash: RegExp) {
    await Promise.all([page.waitForURL(/flash=/), page.getByRole('button', { name: button }).click()]);
    expect(await page.locator('[role=status]').first().textContent()).toMatch(flash);
  }

  it('a test admin key shows test data under the banner, and cannot switch to live', { timeout: 60_000 }, async () => {
    await testOrder();
    const { context, page, complaints } = await newPage();
    try {
      await signIn(page, merchant.adminKey);
      expect(await banner(page).isVisible()).toBe(true);
      expect(await banner(page).textContent()).toContain('Test data — nothing here moves real money.');
      expect(await banner(page).textContent()).toContain('live data needs a live admin key');
      expect(await badge(page)).toBe('Test data');
      expect(await page.getByRole('button', { name: /Switch to/ }).count()).toBe(0);
      expect(await page.locator('table tbody tr').count()).toBe(1);
      await screenshot(page, 'admin-test-mode');

      // Every admin page carries the banner, settings too.
      await Promise.all([page.waitForURL(/\/admin\/settings$/), page.getByRole('link', { name: 'Settings' }).click()]);
      expect(await banner(page).isVisible()).toBe(true);

      // A forged switch is refused and changes nothing.
      const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
      const forged = await page.request.post(`${stack.baseUrl}/admin/mode`, { form: { _csrf: csrf!, mode: 'live', next: '/admin' }, maxRedirects: 0 });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('You signed in with a test admin key');
      expect(await sessionModes()).toEqual([{ mode: 'test' }]);
      await page.reload();
      expect(await badge(page)).toBe('Test data');

      // Nor can anything but test or live be asked for.
      const unknown = await page.request.post(`${stack.baseUrl}/admin/mode`, { form: { _csrf: csrf!, mode: 'staging' }, maxRedirects: 0 });
      expect(unknown.status()).toBe(400);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
      await stack.db.deleteFrom('adminSessions').where('merchantId', '=', merchant.merchantId).execute();
    }
  });

  it('a live admin key shows live data without a banner, switches to test data and back', { timeout: 60_000 }, async () => {
    const live = await issueApiKey(stack.db, merchant.merchantId, 'admin', 'live');
    expect(live?.key).toMatch(/^ak_live_/);
    const { context, page, complaints } = await newPage();
    try {
      await signIn(page, live!.key);
      expect(await banner(page).count()).toBe(0);
      expect(await badge(page)).toBe('Live data');
      expect(await sessionModes()).toEqual([{ mode: 'live' }]);
      await screenshot(page, 'admin-live-mode');

      await switchTo(page, 'Switch to test data', /Now showing test data/);
      expect(await banner(page).isVisible()).toBe(true);
      expect(await banner(page).textContent()).toContain('Test data — nothing here moves real money.');
      expect(await badge(page)).toBe('Test data');
      expect(await sessionModes()).toEqual([{ mode: 'test' }]);
      await screenshot(page, 'admin-test-mode-switched');

      // From settings, the switch comes back to settings (credentials are kept per mode).
      await Promise.all([page.waitForURL(/\/admin\/settings$/), page.getByRole('link', { name: 'Settings' }).click()]);
      await switchTo(page, 'Switch to live', /Now showing live data/);
      expect(new URL(page.url()).pathname).toBe('/admin/settings');
      expect(await banner(page).count()).toBe(0);
      expect(await badge(page)).toBe('Live data');
      expect(await sessionModes()).toEqual([{ mode: 'live' }]);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the customer page and the sandbox payment page of a test order say that no money moves', { timeout: 60_000 }, async () => {
    const { order, payment, orderUrl } = await testOrder();
    const { context, page, complaints } = await newPage();
    try {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(orderUrl);
      const notice = page.locator('#mode-banner');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toContain('Test order');
      expect(await notice.textContent()).toContain('no money moves');
      await screenshot(page, 'customer-test-order');

      expect(payment.action.type).toBe('redirect');
      await page.goto(payment.action.url);
      expect(await page.locator('.notice').textContent()).toContain('Test order — This order was placed in test mode: no money moves.');
      expect(complaints).toEqual([]);

      // A live order's page carries no such notice.
      await stack.db.updateTable('orders').set({ livemode: true }).where('id', '=', order.id).execute();
      await page.goto(orderUrl);
      expect(await page.locator('h1').textContent()).toContain(order.orderNo);
      expect(await notice.count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
