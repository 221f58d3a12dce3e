// A payment captured with another amount or currency (`needs_review`): the merchant accepts it or refunds
// what was captured, in the captured currency, and cancels. Through the JSON API against the sandbox.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- orders are JSON checked by the assertions */

const events = (order: { timeline: Array<{ event: string }> }) => order.timeline.map((e) => e.event);

describe('needs_review: accept the captured payment or refund it', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { paymentCheckIntervalSeconds: 1 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** An order whose payment the sandbox captured with `capture` instead of the order's amount and currency. */
  async function reviewOrder(capture: { amount?: number; currency?: string }) {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, capture);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'needs_review');
    return { id: body.order.id as string, total: body.order.total as number, paymentId: body.payment.id as string };
  }

  const admin = (path: string, body?: unknown) => stack.request('POST', path, { key: merchant.adminKey, body });
  const ledger = (paymentId: string) => stack.db.selectFrom('sandboxRefunds').select(['amount', 'status']).where('paymentId', '=', paymentId).execute();
  const notice = (orderId: string, kind: string) => stack.db.selectFrom('outbox').select(['kind', 'payload']).where('orderId', '=', orderId).where('kind', '=', kind).executeTakeFirst();

  it('documents both actions in the OpenAPI document', async () => {
    const spec = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as { paths: Record<string, { post?: { summary?: string } }> };
    expect(spec.paths['/v1/admin/orders/{id}/accept-payment']?.post?.summary).toMatch(/Accept a payment captured/);
    expect(spec.paths['/v1/admin/orders/{id}/refund-payment']?.post?.summary).toMatch(/in the captured currency/);
  });

  it('accepts a short capture: the order is paid with it, the difference on the timeline, the customer told', async () => {
    const order = await reviewOrder({ amount: 30_000 });
    const accepted = await admin(`/v1/admin/orders/${order.id}/accept-payment`, { note: 'Customer paid the rest in cash.' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'paid', paidAmount: 30_000 });
    const entry = accepted.body.timeline.find((e: any) => e.event === 'payment_accepted');
    expect(entry).toMatchObject({ actor: 'merchant', status: 'paid' });
    // Recorded as parameters; the API adds the words in English.
    expect(entry.params).toEqual({ amount: 30_000, currency: 'CNY', total: order.total, orderCurrency: 'CNY', note: 'Customer paid the rest in cash.' });
    const cny = (amount: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY' }).format(amount / 100);
    expect(entry.message).toBe(`Accepted ${cny(30_000)}: ${cny(order.total - 30_000)} less than the order total of ${cny(order.total)}. Customer paid the rest in cash.`);
    await vi.waitFor(async () => expect((await notice(order.id, 'payment_receipt'))?.payload).toMatchObject({ amount: 30_000, currency: 'CNY' }), { timeout: 5_000 });
    // Refunds are measured against the capture: never beyond it.
    const above = await admin(`/v1/admin/orders/${order.id}/refunds`, { amount: 30_001, reason: 'too much' });
    expect(above.status).toBe(422);
    const all = await admin(`/v1/admin/orders/${order.id}/refunds`, { reason: 'all of it' });
    expect(all.body).toMatchObject({ amount: 30_000, currency: 'CNY' });
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    // Once the order is paid, neither way out is open any more.
    expect((await admin(`/v1/admin/orders/${order.id}/accept-payment`, {})).status).toBe(409);
    expect((await admin(`/v1/admin/orders/${order.id}/refund-payment`, { reason: 'x' })).status).toBe(409);
  });

  it('accepts a capture in another currency; later refunds go back in that currency', async () => {
    const order = await reviewOrder({ currency: 'USD', amount: 4_600 });
    const accepted = await admin(`/v1/admin/orders/${order.id}/accept-payment`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'paid', paidAmount: 4_600 });
    expect(accepted.body.timeline.at(-1).message).toContain('captured in USD');
    const refund = await admin(`/v1/admin/orders/${order.id}/refunds`, { reason: 'changed their mind' });
    expect(refund.body).toMatchObject({ amount: 4_600, currency: 'USD' });
    const refunded = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    expect(refunded.refundedAmount).toBe(4_600);
    expect(await ledger(order.paymentId)).toEqual([{ amount: 4_600, status: 'succeeded' }]);
  });

  it('refunds a capture in another currency in that currency, and cancels the order', async () => {
    const order = await reviewOrder({ currency: 'USD', amount: 4_600 });
    expect((await admin(`/v1/admin/orders/${order.id}/refund-payment`, {})).status).toBe(400);
    const refused = await admin(`/v1/admin/orders/${order.id}/refund-payment`, { reason: 'We only take CNY.' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    expect(refused.body).toMatchObject({ status: 'cancelled', statusReason: 'We only take CNY.', statusReasonCode: 'stated', statusReasonParams: { text: 'We only take CNY.' } });
    const done = await stack.waitForOrder(merchant, order.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(done).toMatchObject({ status: 'cancelled', paidAmount: 4_600, refundedAmount: 4_600 });
    expect(done.refunds).toEqual([expect.objectContaining({ amount: 4_600, currency: 'USD', initiatedBy: 'merchant' })]);
    expect(events(done)).toEqual(expect.arrayContaining(['payment_mismatch', 'payment_refused', 'refund_started', 'refund_succeeded']));
    expect(await ledger(order.paymentId)).toEqual([{ amount: 4_600, status: 'succeeded' }]);
    await vi.waitFor(async () => expect((await notice(order.id, 'payment_refunded'))?.payload).toMatchObject({ amount: 4_600, currency: 'USD', reason: 'We only take CNY.' }), { timeout: 5_000 });
    await stack.recordHistory(order.id, 'needs-review-refunded');
  });

  it('refunds only what is left of a capture part of which was already refunded, never more', async () => {
    const order = await reviewOrder({ amount: 30_000 });
    const part = await admin(`/v1/admin/orders/${order.id}/refunds`, { amount: 10_000, reason: 'a broken cup' });
    expect(part.status, JSON.stringify(part.body)).toBe(201);
    await stack.waitForOrder(merchant, order.id, (o) => o.refundedAmount === 10_000);
    expect((await admin(`/v1/admin/orders/${order.id}/refund-payment`, { reason: 'Out of stock.' })).status).toBe(200);
    const done = await stack.waitForOrder(merchant, order.id, (o) => o.refunds.length === 2 && o.refunds.every((r: any) => r.status === 'succeeded'));
    expect(done).toMatchObject({ status: 'cancelled', refundedAmount: 30_000 });
    expect(done.refunds.map((r: any) => r.amount)).toEqual([10_000, 20_000]);
    const held = await ledger(order.paymentId);
    expect(held.reduce((sum, r) => sum + Number(r.amount), 0)).toBe(30_000);
  });
});
