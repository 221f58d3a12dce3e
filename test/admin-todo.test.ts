import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchedPage } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** The page the admin opens on: what needs the merchant, counted in the navigation (real stack, headless Chromium). */
describe('admin to-do page', () => {
  let stack: Stack;
  let browser: Browser;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    browser = await launchBrowser();
    // A refund above CNY 10.00 waits for the merchant's approval.
    merchant = await stack.createMerchant({ settings: { refundApprovalThreshold: 1_000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  interface Created {
    order: { id: string; orderNo: string };
    payment: { id: string };
  }

  async function placeOrder(): Promise<Created> {
    const response = await stack.checkout(merchant);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as Created;
  }

  async function paidOrder(): Promise<Created> {
    const created = await placeOrder();
    await stack.pay(merchant, created.payment.id);
    await stack.waitForOrder(merchant, created.order.id, (o) => o.status === 'paid');
    return created;
  }

  it('lists each kind of waiting work with its count, and each item leads to its action', { timeout: 90_000 }, async () => {
    const toConfirm = await paidOrder();
    const toShip = await paidOrder();
    expect((await stack.request('POST', `/v1/admin/orders/${toShip.order.id}/confirm`, { key: merchant.adminKey })).status).toBe(200);
    await stack.waitForOrder(merchant, toShip.order.id, (o) => o.status === 'confirmed');
    const refunded = await paidOrder();
    const refund = await stack.request('POST', `/v1/orders/${refunded.order.id}/refunds`, { key: merchant.secretKey, body: { amount: 4_500, reason: 'The cup arrived broken' } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.status).toBe('pending_approval');
    // An alert on an unpaid order, and an endpoint the delivery gave up on (as the worker would leave them).
    const alerted = await placeOrder();
    await stack.db.updateTable('orders').set({ alerts: sql<string[]>`array['projection_failed']` }).where('id', '=', alerted.order.id).execute();
    const endpoint = await stack.request('POST', '/v1/admin/webhook-endpoints', { key: merchant.adminKey, body: { url: 'http://localhost:9/hooks', enabled: false } });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const endpointId = (endpoint.body.endpoint ?? endpoint.body).id as string;
    await stack.db.updateTable('webhookEndpoints').set({ disabledReason: 'failing for three days' }).where('id', '=', endpointId).execute();

    const { context, page, complaints } = await watchedPage(browser, { viewport: { width: 1200, height: 900 } });
    try {
      await page.goto(`${stack.baseUrl}/admin/login`);
      await page.getByLabel('Admin key').fill(merchant.adminKey);
      await Promise.all([page.waitForURL(`${stack.baseUrl}/admin/todo`), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(await page.locator('h1').textContent()).toBe('What needs you');

      const count = async (id: string) => Number(await page.locator(`#${id} .todo-count`).textContent());
      // The order with the refund waiting is paid too: it is still to be confirmed.
      expect(await count('todo-confirm')).toBe(2);
      expect(await count('todo-ship')).toBe(1);
      expect(await count('todo-refunds')).toBe(1);
      expect(await count('todo-review')).toBe(1);
      expect(await count('todo-webhooks')).toBe(1);
      const confirm = (await page.locator('#todo-confirm').textContent()) ?? '';
      expect(confirm).toContain(toConfirm.order.orderNo);
      expect(confirm).toContain(refunded.order.orderNo);
      expect(await page.locator('#todo-ship').textContent()).toContain(toShip.order.orderNo);
      expect(await page.locator('#todo-refunds').textContent()).toContain('refund of CN¥45.00');
      expect(await page.locator('#todo-review').textContent()).toContain('projection_failed');
      expect(await page.locator('#todo-webhooks').textContent()).toContain('failing for three days');

      // The navigation's count is every section's (unsent e-mail included, when there is any).
      const sections = await page.locator('main .todo-count').allTextContents();
      const total = sections.reduce((sum, n) => sum + Number(n), 0);
      expect(Number(await page.locator('#nav-todo-count').textContent())).toBe(total);
      await screenshot(page, 'admin-todo');

      // The orders list is one link away and shows the same count in its navigation.
      await Promise.all([page.waitForURL(`${stack.baseUrl}/admin`), page.getByRole('link', { name: 'Orders', exact: true }).click()]);
      expect(Number(await page.locator('#nav-todo-count').textContent())).toBe(total);
      await Promise.all([page.waitForURL(/\/admin\/todo$/), page.locator('#nav-todo').click()]);

      // One click from the refund to its decision.
      await Promise.all([page.waitForURL(new RegExp(`/admin/orders/${refunded.order.id}#decide-`)), page.getByRole('link', { name: `${refunded.order.orderNo} — Approve or reject` }).click()]);
      await page.getByRole('button', { name: 'Approve refund' }).waitFor();
      expect(await page.getByRole('button', { name: 'Approve refund' }).isVisible()).toBe(true);

      // And from a confirmed order to its shipping form.
      await page.goBack();
      await Promise.all([page.waitForURL(/#ship-heading$/), page.getByRole('link', { name: `${toShip.order.orderNo} — Ship` }).click()]);
      expect(await page.getByLabel('Tracking number').isVisible()).toBe(true);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
