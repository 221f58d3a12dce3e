import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEmailWorkflowId, resumeCustomerEmail } from '../activities/customer-email.js';
import { startMailpit, type Mailpit } from '../devstack/mailpit.js';
import { freePort } from '../devstack/ports.js';
import { mailpitInbox, runMailpit, type MailSummary } from './support/mailpit.js';
import { CUSTOMER, startStack, type Merchant, type Stack } from './support/stack.js';

const MAIL_FROM = 'orders@paystead.test';
const SENDER = { emailSenderName: 'Tea House Orders', emailReplyTo: 'help@tea.example' };

async function checkoutOrder(stack: Stack, merchant: Merchant) {
  const response = await stack.checkout(merchant);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { order: { id: string; orderNo: string }; payment: { id: string }; orderUrl: string };
}

const outboxOf = (stack: Stack, orderId: string) => stack.db.selectFrom('outbox').select(['id', 'kind', 'sentAt']).where('orderId', '=', orderId).orderBy('createdAt').execute();

/** Waits until every outbox row of the order was accepted by a mail server. */
async function allSent(stack: Stack, orderId: string, count: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const rows = await outboxOf(stack, orderId);
    if (rows.length === count && rows.every((row) => row.sentAt !== null)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`outbox of ${orderId} not all sent: ${JSON.stringify(await outboxOf(stack, orderId))}`);
}

describe('customer e-mail through Mailpit', () => {
  let stack: Stack;
  let merchant: Merchant;
  const inbox = mailpitInbox(runMailpit().webUrl);

  beforeAll(async () => {
    stack = await startStack({ SMTP_URL: runMailpit().smtpUrl, MAIL_FROM });
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { ...SENDER, refundWindowSeconds: 2 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function expectAddressed(message: MailSummary, subject: string) {
    expect(message.Subject).toBe(subject);
    expect(message.To.map((to) => to.Address)).toEqual([CUSTOMER.email]);
    expect(message.From).toEqual({ Name: SENDER.emailSenderName, Address: MAIL_FROM });
    expect(message.ReplyTo.map((to) => to.Address)).toEqual([SENDER.emailReplyTo]);
  }

  it('a lifecycle (paid, shipped, refunded) sends a receipt, a shipping notice and a refund notice, once each, with the order link', async () => {
    const { order, payment, orderUrl } = await checkoutOrder(stack, merchant);
    await stack.pay(merchant, payment.id);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    expect((await stack.request('POST', `/v1/admin/orders/${order.id}/confirm`, { key: merchant.adminKey })).status).toBe(200);
    expect((await stack.request('POST', `/v1/admin/orders/${order.id}/ship`, { key: merchant.adminKey, body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } })).status).toBe(200);
    const refund = await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { amount: 1_000, reason: 'goodwill' }, headers: { 'idempotency-key': `refund-${order.id}` } });
    expect(refund.status, JSON.stringify(refund.body)).toBeLessThan(300);

    const messages = await inbox.waitForOrder(order.id, (m) => m.length >= 3);
    expect(messages.map((m) => m.Subject).sort()).toEqual([`Order ${order.orderNo} has shipped`, `Payment received for order ${order.orderNo}`, `Refund for order ${order.orderNo}`]);
    for (const message of messages) expectAddressed(message, message.Subject);
    expect(new Set(messages.map((m) => m.MessageID)).size).toBe(3);

    const receipt = await inbox.message(messages.find((m) => m.Subject.startsWith('Payment received'))!.ID);
    expect(receipt.Text).toContain('2 × TEA: CN¥256.00');
    expect(receipt.Text).toContain('Shipping: CN¥10.00');
    expect(receipt.Text).toContain('Tax: CN¥18.06');
    expect(receipt.Text).toContain('Total: CN¥329.06, paid with Sandbox');
    expect(receipt.Text).toContain(`View your order: ${orderUrl}`);
    expect(receipt.Text).toContain('owner@tea.example');
    expect(receipt.HTML).toContain(`<a href="${orderUrl}">`);
    const shipped = await inbox.message(messages.find((m) => m.Subject.endsWith('has shipped'))!.ID);
    expect(shipped.Text).toContain('Tracking number: SF1234567890');
    const refunded = await inbox.message(messages.find((m) => m.Subject.startsWith('Refund'))!.ID);
    expect(refunded.Text).toContain('CN¥10.00');

    const rows = await allSent(stack, order.id, 3);
    expect(rows.map((row) => row.kind)).toEqual(['payment_receipt', 'order_shipped', 'refund_succeeded']);
  });

  it('tells the customer when an order is cancelled, and when it expires, nothing charged', async () => {
    const cancelled = await checkoutOrder(stack, merchant);
    expect((await stack.request('POST', `/v1/orders/${cancelled.order.id}/cancel`, { key: merchant.secretKey })).status).toBe(200);
    const [cancelMail] = await inbox.waitForOrder(cancelled.order.id, (m) => m.length >= 1);
    expectAddressed(cancelMail!, `Order ${cancelled.order.orderNo} was cancelled`);
    expect((await inbox.message(cancelMail!.ID)).Text).toContain('nothing was charged');

    const hasty = await stack.createMerchant({ settings: { ...SENDER, paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 0 } });
    const expired = await checkoutOrder(stack, hasty);
    await stack.waitForOrder(hasty, expired.order.id, (o) => o.status === 'expired');
    const [expiryMail] = await inbox.waitForOrder(expired.order.id, (m) => m.length >= 1);
    expectAddressed(expiryMail!, `Order ${expired.order.orderNo} expired`);
    expect((await allSent(stack, expired.order.id, 1)).map((row) => row.kind)).toEqual(['order_expired']);
  });
});

describe('customer e-mail while the mail server is down', () => {
  let stack: Stack;
  let mailpit: Mailpit | undefined;
  let ports: { smtp: number; http: number };

  beforeAll(async () => {
    ports = { smtp: await freePort(), http: await freePort() };
    // Nothing listens there yet.
    stack = await startStack({ SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`, MAIL_FROM });
    await stack.startWorker();
  });
  afterAll(async () => {
    await mailpit?.stop();
    await stack?.stop();
  });

  it('neither fails nor delays the order; the messages arrive once each when the server is back', async () => {
    const merchant = await stack.createMerchant({ settings: SENDER });
    const paid = await checkoutOrder(stack, merchant);
    const started = Date.now();
    await stack.pay(merchant, paid.payment.id);
    await stack.waitForOrder(merchant, paid.order.id, (o) => o.status === 'paid', 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const cancelled = await checkoutOrder(stack, merchant);
    const cancel = await stack.request('POST', `/v1/orders/${cancelled.order.id}/cancel`, { key: merchant.secretKey });
    expect(cancel.body.status).toBe('cancelled');

    // The deliveries have failed at least once, and the rows are still unsent.
    const [receipt] = await outboxOf(stack, paid.order.id);
    const delivery = stack.client.workflow.getHandle(customerEmailWorkflowId(receipt!.id));
    const deadline = Date.now() + 20_000;
    while (((await delivery.describe()).raw.pendingActivities?.[0]?.attempt ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error('the delivery never retried');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await outboxOf(stack, paid.order.id)).map((row) => row.sentAt)).toEqual([null]);

    mailpit = await startMailpit(runMailpit().binary, ports);
    const inbox = mailpitInbox(mailpit.webUrl);
    await expect(delivery.result()).resolves.toBe('sent');
    await allSent(stack, paid.order.id, 1);
    await allSent(stack, cancelled.order.id, 1);
    const all = await inbox.list();
    expect(all.map((m) => m.Subject).sort()).toEqual([`Order ${cancelled.order.orderNo} was cancelled`, `Payment received for order ${paid.order.orderNo}`]);
  }, 90_000);
});

describe('customer e-mail without SMTP_URL', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ SMTP_URL: '' });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps the messages in the outbox, and the admin page says so; a worker started with SMTP_URL later sends them', async () => {
    const merchant = await stack.createMerchant();
    const { order, payment } = await checkoutOrder(stack, merchant);
    await stack.pay(merchant, payment.id);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    const rows = await outboxOf(stack, order.id);
    expect(rows.map((row) => [row.kind, row.sentAt])).toEqual([['payment_receipt', null]]);
    await expect(stack.client.workflow.getHandle(customerEmailWorkflowId(rows[0]!.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const page = await adminPage(stack, merchant.adminKey, '/admin');
    expect(page).toContain('E-mail is not configured: 1 message waiting.');

    // Configured later: a worker started with SMTP_URL sends what waited (as worker/main.ts does at start).
    await stack.stopWorker();
    await stack.startWorker({ ...stack.config, mail: { smtpUrl: runMailpit().smtpUrl, from: MAIL_FROM } });
    expect(await resumeCustomerEmail(stack.db, stack.client, stack.taskQueue)).toBe(1);
    const [receipt] = await mailpitInbox(runMailpit().webUrl).waitForOrder(order.id, (m) => m.length >= 1);
    expect(receipt!.Subject).toBe(`Payment received for order ${order.orderNo}`);
    await allSent(stack, order.id, 1);
  });
});

/** Signs in with the admin key (as a browser without JavaScript) and returns the page's HTML. */
async function adminPage(stack: Stack, key: string, path: string): Promise<string> {
  const form = await fetch(`${stack.baseUrl}/admin/login`);
  const loginCookie = form.headers.getSetCookie().map((c) => /^paystead_admin_login=([^;]*)/.exec(c)?.[1]).find(Boolean);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const posted = await fetch(`${stack.baseUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${loginCookie}` },
    body: new URLSearchParams({ _csrf: csrf!, key }),
  });
  const session = posted.headers.getSetCookie().map((c) => /^paystead_admin=([^;]*)/.exec(c)?.[1]).find(Boolean);
  const page = await fetch(`${stack.baseUrl}${path}`, { headers: { cookie: `paystead_admin=${session}` } });
  expect(page.status).toBe(200);
  return page.text();
}
