import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEmailWorkflowId, resumeCustomerEmail } from '../activities/customer-email.js';
import { startMailpit, type Mailpit } from '../devstack/mailpit.js';
import { freePort } from '../devstack/ports.js';
import { mailpitInbox, runMailpit, type MailSummary } from './support/mailpit.js';
import { adminPage } from './support/admin-http.js';
import { CUSTOMER, startStack, type Merchant, type Stack } from './support/stack.js';

const MAIL_FROM = 'orders@paystead.test';
const SENDER = { emailSenderName: 'Tea House Orders', emailReplyTo: 'help@tea.example' };

async function checkoutOrder(stack: Stack, merchant: Merchant, body?: Record<string, unknown>) {
  const response = await stack.checkout(merchant, { ...(body && { body }) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { order: { id: string; orderNo: string }; payment: { id: string; expiresAt: string }; orderUrl: string };
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

type TimelineEntry = { seq: number | null; event: string; params?: { kind: string; reason?: string } };
const emailEntries = (order: { timeline: TimelineEntry[] }) => order.timeline.filter((e) => e.event.startsWith('email_'));

/** The lifecycle every message comes from: placed, paid, shipped, delivered, a refund asked for after delivery and approved. */
async function fullLifecycle(stack: Stack, merchant: Merchant, inbox: ReturnType<typeof mailpitInbox>, body?: Record<string, unknown>) {
  const placed = await checkoutOrder(stack, merchant, body);
  const { order, payment } = placed;
  // The order-received message is written while the order awaits payment, so it carries the payment link.
  await inbox.waitForOrder(order.id, (m) => m.length >= 1);
  await stack.pay(merchant, payment.id);
  await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
  const admin = (path: string, body?: unknown) => stack.request('POST', path, { key: merchant.adminKey, body });
  expect((await admin(`/v1/admin/orders/${order.id}/confirm`)).status).toBe(200);
  expect((await admin(`/v1/admin/orders/${order.id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF1234567890' })).status).toBe(200);
  expect((await admin(`/v1/admin/orders/${order.id}/deliver`)).body.status).toBe('delivered');
  // After delivery a customer's refund waits for the merchant.
  const requested = await stack.request('POST', `/v1/orders/${order.id}/refunds`, { key: merchant.secretKey, body: { amount: 4_500, reason: 'The cup arrived broken' } });
  expect(requested.body.status, JSON.stringify(requested.body)).toBe('pending_approval');
  expect((await admin(`/v1/admin/refunds/${requested.body.id}/approve`, { note: 'Sorry about the cup' })).status).toBe(200);
  const messages = await inbox.waitForOrder(order.id, (m) => m.length >= 7);
  const bySubject = async (subject: string) => {
    const summary = messages.find((m) => m.Subject === subject);
    expect(summary, `no message "${subject}" among ${JSON.stringify(messages.map((m) => m.Subject))}`).toBeDefined();
    return inbox.message(summary!.ID);
  };
  return { ...placed, messages, bySubject };
}

/** Intl's own rendering of a time, as the merchant's zone shows it in that language. */
const localTime = (locale: string, timeZone: string, at: string) => new Intl.DateTimeFormat(locale, { dateStyle: locale === 'zh-CN' ? 'long' : 'medium', timeStyle: 'short', timeZone }).format(new Date(at));

describe('customer e-mail through Mailpit', () => {
  let stack: Stack;
  let merchant: Merchant;
  const inbox = mailpitInbox(runMailpit().webUrl);

  beforeAll(async () => {
    stack = await startStack({ SMTP_URL: runMailpit().smtpUrl, MAIL_FROM });
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { ...SENDER, locale: 'en', timeZone: 'Europe/Berlin' } });
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

  it('a lifecycle in English sends every message once, each with the order link and the merchant contact; the timeline says each was sent', { timeout: 90_000 }, async () => {
    const { order, payment, orderUrl, messages, bySubject } = await fullLifecycle(stack, merchant, inbox);
    const no = order.orderNo;
    // Each message is sent on its own, so they may arrive in another order than the events.
    expect(messages.map((m) => m.Subject).sort()).toEqual([
      `Order ${no} received`,
      `Payment received for order ${no}`,
      `Order ${no} has shipped`,
      `Order ${no} was delivered`,
      `Refund request for order ${no} received`,
      `Refund for order ${no} approved`,
      `Refund for order ${no}`,
    ].sort());
    for (const message of messages) expectAddressed(message, message.Subject);
    expect(new Set(messages.map((m) => m.MessageID)).size).toBe(7);

    const received = await bySubject(`Order ${no} received`);
    expect(received.Text).toContain('Thank you for your order');
    expect(received.Text).toContain('CN¥329.06');
    expect(received.Text).toContain(`Please pay by ${localTime('en', 'Europe/Berlin', payment.expiresAt)}: ${orderUrl}?lang=en#pay-heading`);
    expect(received.HTML).toContain(`<a href="${orderUrl}?lang=en#pay-heading">`);
    expect(received.HTML).toContain('<html lang="en">');
    const receipt = await bySubject(`Payment received for order ${no}`);
    expect(receipt.Text).toContain('2 × TEA: CN¥256.00');
    expect(receipt.Text).toContain('Shipping: CN¥10.00');
    expect(receipt.Text).toContain('Tax: CN¥18.06');
    expect(receipt.Text).toContain('Total: CN¥329.06, paid with Sandbox');
    expect(receipt.Text).toContain(`View your order: ${orderUrl}?lang=en`);
    expect(receipt.Text).toContain('Tea House at owner@tea.example');
    expect(receipt.HTML).toContain(`<a href="${orderUrl}?lang=en">`);
    expect(receipt.Text).not.toContain('#pay-heading');
    expect((await bySubject(`Order ${no} has shipped`)).Text).toContain('Tracking number: SF1234567890');
    expect((await bySubject(`Refund for order ${no} approved`)).Text).toMatch(/CN¥45\.00[\s\S]*Reason: The cup arrived broken[\s\S]*The merchant’s note: Sorry about the cup/);
    expect((await bySubject(`Refund for order ${no}`)).Text).toContain('We refunded CN¥45.00');

    const rows = await allSent(stack, order.id, 7);
    expect(rows.map((row) => row.kind).sort()).toEqual(['order_received', 'payment_receipt', 'order_shipped', 'order_delivered', 'refund_requested', 'refund_approved', 'refund_succeeded'].sort());
    const read = await stack.waitForOrder(merchant, order.id, (o) => emailEntries(o).length === 7);
    expect(read.locale).toBe('en');
    expect(emailEntries(read).map((e) => [e.seq, e.event, e.params?.kind]).sort()).toEqual(rows.map((row) => [null, 'email_sent', row.kind]).sort());
    // Placed by time: the receipt's entry comes after the payment it is about.
    const events = read.timeline.map((e: TimelineEntry) => e.event);
    expect(events.indexOf('email_sent')).toBeGreaterThan(events.indexOf('order_created'));
    expect(events.lastIndexOf('email_sent')).toBeGreaterThan(events.indexOf('refund_approved'));
  });

  it('a lifecycle in Chinese: the checkout asked for zh-CN, so every message is in Chinese, amounts in yuan; an order without a locale takes the merchant default', { timeout: 90_000 }, async () => {
    const { order, payment, orderUrl, messages, bySubject } = await fullLifecycle(stack, merchant, inbox, { locale: 'zh-CN' });
    const no = order.orderNo;
    expect(messages.map((m) => m.Subject).sort()).toEqual([
      `已收到订单 ${no}`,
      `订单 ${no} 已收到付款`,
      `订单 ${no} 已发货`,
      `订单 ${no} 已送达`,
      `已收到订单 ${no} 的退款申请`,
      `订单 ${no} 的退款已批准`,
      `订单 ${no} 已退款`,
    ].sort());
    const received = await bySubject(`已收到订单 ${no}`);
    expect(received.Text).toContain('¥329.06');
    expect(received.Text).not.toContain('CN¥');
    expect(received.Text).toContain(`请于 ${localTime('zh-CN', 'Europe/Berlin', payment.expiresAt)} 前付款：${orderUrl}?lang=zh-CN#pay-heading`);
    expect(received.Text).toContain(`查看订单：${orderUrl}?lang=zh-CN`);
    expect(received.Text).toContain('Tea House：owner@tea.example');
    expect(received.HTML).toContain('<html lang="zh-CN">');
    const receipt = await bySubject(`订单 ${no} 已收到付款`);
    expect(receipt.Text).toContain('2 × TEA：¥256.00');
    expect(receipt.Text).toContain('总计：¥329.06');
    expect((await bySubject(`订单 ${no} 的退款已批准`)).Text).toMatch(/¥45\.00[\s\S]*原因：The cup arrived broken[\s\S]*商家备注：Sorry about the cup/);
    const deliveredAt = (await stack.order(merchant, order.id)).body.shipment.deliveredAt as string;
    expect((await bySubject(`订单 ${no} 已送达`)).Text).toContain(`已于 ${localTime('zh-CN', 'Europe/Berlin', deliveredAt)} 送达`);
    expect((await stack.order(merchant, order.id)).body.locale).toBe('zh-CN');

    // No locale at checkout: the merchant's default language then.
    const chinese = await stack.createMerchant({ settings: { ...SENDER, locale: 'zh-CN', timeZone: 'Asia/Shanghai' } });
    const plain = await checkoutOrder(stack, chinese);
    const [mail] = await inbox.waitForOrder(plain.order.id, (m) => m.length >= 1);
    expect(mail!.Subject).toBe(`已收到订单 ${plain.order.orderNo}`);
    expect((await inbox.message(mail!.ID)).Text).toContain(`请于 ${localTime('zh-CN', 'Asia/Shanghai', plain.payment.expiresAt)} 前付款`);
    expect((await stack.order(chinese, plain.order.id)).body.locale).toBe('zh-CN');
  });

  it('tells the customer when an order is cancelled, when it expires and when the payment fails, nothing charged', { timeout: 60_000 }, async () => {
    const subjectArrived = (orderId: string, subject: string) => inbox.waitForOrder(orderId, (m) => m.some((x) => x.Subject === subject)).then((m) => m.find((x) => x.Subject === subject)!);
    const cancelled = await checkoutOrder(stack, merchant);
    expect((await stack.request('POST', `/v1/orders/${cancelled.order.id}/cancel`, { key: merchant.secretKey })).status).toBe(200);
    const cancelMail = await subjectArrived(cancelled.order.id, `Order ${cancelled.order.orderNo} was cancelled`);
    expectAddressed(cancelMail, cancelMail.Subject);
    const cancelText = (await inbox.message(cancelMail.ID)).Text;
    expect(cancelText).toContain('nothing was charged');
    expect(cancelText).toContain('Reason: Cancelled by the customer before payment.');

    const failed = await checkoutOrder(stack, merchant);
    await stack.pay(merchant, failed.payment.id, { outcome: 'failed' });
    const failMail = await subjectArrived(failed.order.id, `Payment for order ${failed.order.orderNo} failed`);
    expect((await inbox.message(failMail.ID)).Text).toContain('The payment of CN¥329.06');

    const hasty = await stack.createMerchant({ settings: { ...SENDER, paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 0 } });
    const expired = await checkoutOrder(stack, hasty);
    await stack.waitForOrder(hasty, expired.order.id, (o) => o.status === 'expired');
    const expiryMail = await subjectArrived(expired.order.id, `Order ${expired.order.orderNo} expired`);
    expectAddressed(expiryMail, expiryMail.Subject);
    expect((await allSent(stack, expired.order.id, 2)).map((row) => row.kind)).toEqual(['order_received', 'order_expired']);
  });
});

describe('customer e-mail refused by the mail server', () => {
  let stack: Stack;
  let refusing: Mailpit | undefined;

  beforeAll(async () => {
    // This Mailpit takes mail for nobody we write to: it answers RCPT TO with 550.
    refusing = await startMailpit(runMailpit().binary, { extraArgs: ['--smtp-allowed-recipients', '^nobody@elsewhere\\.example$'] });
    stack = await startStack({ SMTP_URL: refusing.smtpUrl, MAIL_FROM });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
    await refusing?.stop();
  });

  it('puts the refusal on the order timeline, in the API read and on the admin order page; the order goes on', async () => {
    const merchant = await stack.createMerchant({ settings: SENDER });
    const { order } = await checkoutOrder(stack, merchant);
    const delivery = stack.client.workflow.getHandle(customerEmailWorkflowId(`${order.id}:order_received`));
    // Refused for good: no retries.
    await expect(delivery.result()).rejects.toThrow();
    const read = await stack.waitForOrder(merchant, order.id, (o) => emailEntries(o).length > 0);
    const [entry] = emailEntries(read);
    expect(entry).toMatchObject({ seq: null, event: 'email_failed', actor: 'system', status: 'awaiting_payment', params: { kind: 'order_received' } });
    expect(entry!.params!.reason).toMatch(/^The mail server refused the message: .*550/);
    expect(read.status).toBe('awaiting_payment');

    const page = await adminPage(stack, merchant.adminKey, `/admin/orders/${order.id}`);
    expect(page).toContain('E-mail not sent');
    expect(page).toContain('Order received not sent: The mail server refused the message');
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

  it('neither fails nor delays the order; the timeline shows why the messages are not sent yet; they arrive once each when the server is back', async () => {
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
    const receipt = (await outboxOf(stack, paid.order.id)).find((row) => row.kind === 'payment_receipt');
    const delivery = stack.client.workflow.getHandle(customerEmailWorkflowId(receipt!.id));
    const deadline = Date.now() + 20_000;
    while (((await delivery.describe()).raw.pendingActivities?.[0]?.attempt ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error('the delivery never retried');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await outboxOf(stack, paid.order.id)).map((row) => row.sentAt)).toEqual([null, null]);
    // The order read shows each message failing, and why (placed at its latest attempt, so in either order).
    const failing = await stack.waitForOrder(merchant, paid.order.id, (o) => emailEntries(o).length === 2);
    expect(emailEntries(failing).map((e) => [e.event, e.params?.kind]).sort()).toEqual([['email_failed', 'order_received'], ['email_failed', 'payment_receipt']]);
    for (const entry of emailEntries(failing)) expect(entry.params?.reason).toContain(`ECONNREFUSED 127.0.0.1:${ports.smtp}`);

    mailpit = await startMailpit(runMailpit().binary, ports);
    const inbox = mailpitInbox(mailpit.webUrl);
    await expect(delivery.result()).resolves.toBe('sent');
    await allSent(stack, paid.order.id, 2);
    await allSent(stack, cancelled.order.id, 2);
    const all = await inbox.list();
    expect(all.map((m) => m.Subject).sort()).toEqual(
      [`Order ${cancelled.order.orderNo} received`, `Order ${cancelled.order.orderNo} was cancelled`, `Order ${paid.order.orderNo} received`, `Payment received for order ${paid.order.orderNo}`].sort(),
    );
    // Sent after all: the timeline says so, and no longer shows the failures.
    const sent = await stack.order(merchant, paid.order.id);
    expect(emailEntries(sent.body).map((e) => [e.event, e.params?.kind]).sort()).toEqual([['email_sent', 'order_received'], ['email_sent', 'payment_receipt']]);
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
    expect(rows.map((row) => [row.kind, row.sentAt])).toEqual([['order_received', null], ['payment_receipt', null]]);
    await expect(stack.client.workflow.getHandle(customerEmailWorkflowId(rows[0]!.id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // Waiting is neither sent nor failed: nothing on the timeline.
    expect(emailEntries((await stack.order(merchant, order.id)).body)).toEqual([]);

    const page = await adminPage(stack, merchant.adminKey, '/admin');
    expect(page).toContain('E-mail is not configured: 2 messages waiting.');

    // Configured later: a worker started with SMTP_URL sends what waited (as worker/main.ts does at start).
    await stack.stopWorker();
    await stack.startWorker({ ...stack.config, mail: { smtpUrl: runMailpit().smtpUrl, from: MAIL_FROM } });
    expect(await resumeCustomerEmail(stack.db, stack.client, stack.taskQueue)).toBe(2);
    const arrived = await mailpitInbox(runMailpit().webUrl).waitForOrder(order.id, (m) => m.length >= 2);
    expect(arrived.map((m) => m.Subject).sort()).toEqual([`Order ${order.orderNo} received`, `Payment received for order ${order.orderNo}`]);
    // Written after payment: the order-received message no longer offers the payment link.
    const received = await mailpitInbox(runMailpit().webUrl).message(arrived.find((m) => m.Subject.endsWith('received') && m.Subject.startsWith('Order'))!.ID);
    expect(received.Text).not.toContain('#pay-heading');
    await allSent(stack, order.id, 2);
  });
});
