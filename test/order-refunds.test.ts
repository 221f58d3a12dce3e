import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Merchant, type Stack } from './support/stack.js';

describe('refunds: policy, approval, limits, gateway results', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { refundApprovalThreshold: 20_000, paymentCheckIntervalSeconds: 1 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A paid order (total 32906 CNY fen). */
  async function paidOrder(m: Merchant = merchant) {
    const { body } = await stack.checkout(m);
    await stack.pay(m, body.payment.id);
    await stack.waitForOrder(m, body.order.id, (o) => o.status === 'paid');
    return body.order as { id: string; total: number };
  }

  /** Confirmed, shipped and delivered; with a 1 s refund window it completes at once. */
  async function completed(m: Merchant, orderId: string) {
    for (const action of ['confirm', 'ship', 'deliver']) {
      const response = await stack.request('POST', `/v1/admin/orders/${orderId}/${action}`, { key: m.adminKey, body: action === 'ship' ? { carrier: 'EMS', trackingNumber: 'E1' } : undefined });
      expect(response.status).toBe(200);
    }
    await stack.waitForOrder(m, orderId, (o) => o.status === 'completed');
  }

  const admin = (path: string, body?: unknown) => stack.request('POST', path, { key: merchant.adminKey, body });
  const customerRefund = (orderId: string, body: unknown) => stack.request('POST', `/v1/orders/${orderId}/refunds`, { key: merchant.secretKey, body });

  it('refunds in parts up to the paid amount, then the order is refunded', async () => {
    const order = await paidOrder();
    const first = await customerRefund(order.id, { amount: 10_000, reason: 'one cup broke' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.status).toBe('processing');
    await stack.waitForOrder(merchant, order.id, (o) => o.refundedAmount === 10_000);
    const second = await admin(`/v1/admin/orders/${order.id}/refunds`, { amount: 12_906, reason: 'goodwill' });
    expect(second.body.status).toBe('processing');
    await stack.waitForOrder(merchant, order.id, (o) => o.refundedAmount === 22_906);
    const rest = await admin(`/v1/admin/orders/${order.id}/refunds`, { reason: 'customer changed their mind' });
    expect(rest.body.amount).toBe(10_000);
    const refunded = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    expect(refunded.refundedAmount).toBe(order.total);
    expect(refunded.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const ledger = await stack.db.selectFrom('sandboxRefunds').innerJoin('sandboxPayments', 'sandboxPayments.id', 'sandboxRefunds.paymentId').select((eb) => eb.fn.sum<number>('sandboxRefunds.amount').as('total')).where('sandboxPayments.orderNo', '=', refunded.orderNo).executeTakeFirstOrThrow();
    expect(Number(ledger.total)).toBe(order.total);
    // The customer is told after the projection shows the refund: wait for the third notice.
    const notices = () => stack.db.selectFrom('outbox').select('kind').where('orderId', '=', order.id).where('kind', '=', 'refund_succeeded').execute();
    await vi.waitFor(async () => expect(await notices()).toHaveLength(3), { timeout: 5_000, interval: 100 });
    await stack.recordHistory(order.id, 'refunded-in-parts');
  });

  it('answers a retried refund request (same Idempotency-Key) with the refund it made, once', async () => {
    const order = await paidOrder();
    const send = (key: string, body: unknown) => stack.request('POST', `/v1/orders/${order.id}/refunds`, { key: merchant.secretKey, body, headers: { 'idempotency-key': key } });
    const body = { amount: 12_000, reason: 'the teapot lid cracked' };
    const [first, concurrent] = await Promise.all([send('refund-key-1', body), send('refund-key-1', body)]);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(concurrent.body.id).toBe(first.body.id);
    await stack.waitForOrder(merchant, order.id, (o) => o.refundedAmount === 12_000);
    // After it settled (a second refund of 12_000 would still be allowed): the first answer again.
    const retry = await send('refund-key-1', body);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const other = await send('refund-key-1', { ...body, amount: 500 });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    // The admin route takes keys too; another key is another refund.
    const admin = await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { amount: 1_000, reason: 'goodwill' }, headers: { 'idempotency-key': 'refund-key-2' } });
    const adminRetry = await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { amount: 1_000, reason: 'goodwill' }, headers: { 'idempotency-key': 'refund-key-2' } });
    expect(adminRetry.body.id).toBe(admin.body.id);
    await stack.waitForOrder(merchant, order.id, (o) => o.refundedAmount === 13_000);
    expect((await stack.db.selectFrom('refunds').select('id').where('orderId', '=', order.id).execute()).length).toBe(2);
  });

  it("answers a retried refund request after the order's run has ended", async () => {
    // Fully refunded: the run ends. Temporal still answers the same update (key and request) with its outcome;
    // the same key with another request is refused from the projection.
    const order = await paidOrder();
    // The merchant's full refund is processed at once (a customer's this large would wait for approval).
    const send = (body: unknown) => stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body, headers: { 'idempotency-key': 'refund-all' } });
    const first = await send({ reason: 'wrong colour' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    await stack.client.workflow.getHandle(await stack.workflowId(order.id)).result();
    const retry = await send({ reason: 'wrong colour' });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    const other = await send({ reason: 'another reason' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const unkeyed = await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body: { reason: 'wrong colour' } });
    expect(unkeyed.body.error?.code).toBe('order_closed');

    // Completed: refunds are refused before the order is asked; a retry is answered from the projection.
    const m = await stack.createMerchant({ settings: { refundWindowSeconds: 1 } });
    const kept = await paidOrder(m);
    const partial = { amount: 1_000, reason: 'a dent' };
    const keyedRefund = (body: unknown, key: string) => stack.request('POST', `/v1/orders/${kept.id}/refunds`, { key: m.secretKey, body, headers: { 'idempotency-key': key } });
    const made = await keyedRefund(partial, 'dent');
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await completed(m, kept.id);
    const late = await keyedRefund(partial, 'dent');
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    expect(late.body).toMatchObject({ id: made.body.id, amount: 1_000, reason: 'a dent', status: 'succeeded' });
    expect((await keyedRefund({ ...partial, amount: 2_000 }, 'dent')).body.error?.code).toBe('idempotency_key_reused');
    expect((await keyedRefund(partial, 'another')).body.error?.code).toBe('refund_window_closed');
    for (const id of [order.id, kept.id]) expect((await stack.db.selectFrom('refunds').select('id').where('orderId', '=', id).execute()).length).toBe(1);
  });

  it('refuses a refund above what is left to refund, and changes nothing', async () => {
    const order = await paidOrder();
    const tooMuch = await customerRefund(order.id, { amount: order.total + 1, reason: 'too much' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.message).toMatch(/At most 32906/);
    const after = await stack.order(merchant, order.id);
    expect(after.body.refunds).toEqual([]);
    expect(after.body.status).toBe('paid');
  });

  it('the database refuses a projection that refunds more than was paid', async () => {
    const order = await paidOrder();
    await expect(stack.db.updateTable('orders').set({ refundedAmount: order.total + 1 }).where('id', '=', order.id).execute()).rejects.toThrow(/orders_refunded_within_paid/);
  });

  it('a customer refund above the threshold waits for approval; approval refunds it', async () => {
    const order = await paidOrder();
    const requested = await customerRefund(order.id, { amount: 25_000, reason: 'wrong colour' });
    expect(requested.body.status).toBe('pending_approval');
    const approve = await admin(`/v1/admin/refunds/${requested.body.id}/approve`, { note: 'ok, sorry' });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    expect(approve.body).toMatchObject({ status: 'processing', note: 'ok, sorry' });
    await stack.waitForOrder(merchant, order.id, (o) => o.refunds[0]?.status === 'succeeded');
    const again = await admin(`/v1/admin/refunds/${requested.body.id}/approve`, {});
    expect(again.status).toBe(409);
    await stack.recordHistory(order.id, 'refund-approved');
  });

  it('after shipping a customer refund waits for the merchant, who may reject it with a note', async () => {
    const order = await paidOrder();
    await admin(`/v1/admin/orders/${order.id}/confirm`);
    await admin(`/v1/admin/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: 'SF1' });
    const requested = await customerRefund(order.id, { amount: 1_000, reason: 'late' });
    expect(requested.body.status).toBe('pending_approval');
    expect((await admin(`/v1/admin/refunds/${requested.body.id}/reject`, {})).status).toBe(400);
    const reject = await admin(`/v1/admin/refunds/${requested.body.id}/reject`, { note: 'Delivered on time per tracking.' });
    expect(reject.body).toMatchObject({ status: 'rejected', note: 'Delivered on time per tracking.' });
    const notice = await stack.db.selectFrom('outbox').select(['kind', 'payload']).where('orderId', '=', order.id).where('kind', '=', 'refund_rejected').executeTakeFirstOrThrow();
    expect(notice.payload).toMatchObject({ reason: 'Delivered on time per tracking.' });
    // The amount held by the rejected request is free again.
    const full = await admin(`/v1/admin/orders/${order.id}/refunds`, { reason: 'merchant decided to refund anyway' });
    expect(full.body.amount).toBe(order.total);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    await stack.recordHistory(order.id, 'refund-rejected-then-refunded');
  });

  it('declining a paid order refunds it in full and cancels it', async () => {
    const order = await paidOrder();
    expect((await admin(`/v1/admin/orders/${order.id}/decline`, {})).status).toBe(400);
    const decline = await admin(`/v1/admin/orders/${order.id}/decline`, { reason: 'out of stock' });
    expect(decline.body.status).toBe('cancelled');
    const done = await stack.waitForOrder(merchant, order.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(done.status).toBe('cancelled');
    expect(done.refundedAmount).toBe(order.total);
    await stack.recordHistory(order.id, 'declined');
  });

  it('declining approves refunds waiting for the merchant and refunds only what is left, never 0', async () => {
    // The whole amount waits for approval: the decline approves it and starts no refund of its own.
    const whole = await paidOrder();
    const pending = await customerRefund(whole.id, { reason: 'changed my mind' });
    expect(pending.body).toMatchObject({ status: 'pending_approval', amount: whole.total });
    const decline = await admin(`/v1/admin/orders/${whole.id}/decline`, { reason: 'out of stock' });
    expect(decline.status, JSON.stringify(decline.body)).toBe(200);
    expect(decline.body.status).toBe('cancelled');
    const done = await stack.waitForOrder(merchant, whole.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(done.refunds).toHaveLength(1);
    expect(done.refunds[0]).toMatchObject({ id: pending.body.id, note: "Approved by the merchant's decline." });
    expect(done.refundedAmount).toBe(whole.total);

    // Part of it waits: that part is approved, the rest refunded by the decline.
    const part = await paidOrder();
    const waiting = await customerRefund(part.id, { amount: 25_000, reason: 'one cup broke' });
    expect(waiting.body.status).toBe('pending_approval');
    expect((await admin(`/v1/admin/orders/${part.id}/decline`, { reason: 'out of stock' })).status).toBe(200);
    const settled = await stack.waitForOrder(merchant, part.id, (o) => o.refunds.length === 2 && o.refunds.every((r: { status: string }) => r.status === 'succeeded'));
    expect(settled.refunds.map((r: { amount: number; initiatedBy: string }) => [r.amount, r.initiatedBy])).toEqual([[25_000, 'customer'], [part.total - 25_000, 'merchant']]);
    expect(settled).toMatchObject({ status: 'cancelled', refundedAmount: part.total });
    await stack.recordHistory(part.id, 'declined-over-pending-refund');
  });

  it('records a refund the gateway fails, with its reason, and keeps the order', async () => {
    const m = await stack.createMerchant();
    const order = await paidOrder(m);
    await stack.sandboxBehaviour(m, { refundOutcome: 'failed' });
    await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: m.adminKey, body: { amount: 500, reason: 'test' } });
    const failed = await stack.waitForOrder(m, order.id, (o) => o.refunds[0]?.status === 'failed');
    expect(failed.status).toBe('paid');
    expect(failed.refundedAmount).toBe(0);
  });

  it('finds a refund result by query when its notification is lost', async () => {
    const m = await stack.createMerchant({ settings: { paymentCheckIntervalSeconds: 1 } });
    const order = await paidOrder(m);
    await stack.sandboxBehaviour(m, { refundNotification: 'drop' });
    await stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: m.adminKey, body: { amount: 700, reason: 'test' } });
    const done = await stack.waitForOrder(m, order.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(done.refundedAmount).toBe(700);
  });

  it('refuses refunds once the order is completed, with a clear reason', async () => {
    const m = await stack.createMerchant({ settings: { refundWindowSeconds: 1 } });
    const order = await paidOrder(m);
    await completed(m, order.id);
    const late = await stack.request('POST', `/v1/orders/${order.id}/refunds`, { key: m.secretKey, body: { reason: 'too late' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'refund_window_closed' });
  });
});
