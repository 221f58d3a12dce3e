// The order's timeline and status reason on the admin page in Chinese: what the system recorded is shown in
// Chinese words rendered from codes and parameters; only what a person typed stays as typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPage, tableRows } from './support/admin-http.js';
import { startStack, type Stack } from './support/stack.js';

describe('timeline in the reader’s language (real stack)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The timeline's message column (the fifth) on the admin order page. */
  const messages = (html: string) => tableRows(html, 'timeline').map((cells) => cells[4] ?? '');

  it('shows a paid, confirmed, shipped and partly refunded order’s timeline in Chinese', { timeout: 90_000 }, async () => {
    const merchant = await stack.createMerchant({ settings: { autoConfirm: true, locale: 'zh-CN' } });
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'confirmed');
    const ship = await stack.request('POST', `/v1/admin/orders/${body.order.id}/ship`, { key: merchant.adminKey, body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } });
    expect(ship.status, JSON.stringify(ship.body)).toBe(200);
    const refund = await stack.request('POST', `/v1/admin/orders/${body.order.id}/refunds`, { key: merchant.adminKey, body: { amount: 5_000, reason: '包装破损' } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.refunds[0]?.status === 'succeeded');

    const html = await adminPage(stack, merchant.adminKey, `/admin/orders/${body.order.id}`);
    expect(html).toContain('<html lang="zh-CN"');
    const shown = messages(html);
    expect(shown).toEqual(expect.arrayContaining(['沙箱（测试付款，无真实资金）', '¥329.06', '自动确认', 'SF Express，运单号 SF1234567890', '¥50.00：包装破损', '¥50.00']));
    // Nothing in Latin letters but the carrier and tracking number the merchant typed.
    expect(shown.filter((m) => /[A-Za-z]/.test(m))).toEqual(['SF Express，运单号 SF1234567890']);

    // The API keeps English words next to the codes.
    const api = await stack.order(merchant, body.order.id);
    const entry = (event: string) => api.body.timeline.find((e: { event: string }) => e.event === event);
    expect(entry('confirmed')).toMatchObject({ actor: 'system', message: 'Confirmed automatically', params: { automatic: true } });
    expect(entry('payment_succeeded')).toMatchObject({ message: 'CN¥329.06', params: { amount: 32_906, currency: 'CNY' } });
    expect(entry('refund_started')).toMatchObject({ message: 'CN¥50.00: 包装破损', params: { amount: 5_000, currency: 'CNY', reason: { code: 'stated', params: { text: '包装破损' } } } });
  });

  it('shows an expired order’s reason and its late payment’s automatic refund in Chinese', { timeout: 90_000 }, async () => {
    const merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 30, locale: 'zh-CN' } });
    const { body } = await stack.checkout(merchant);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'expired');
    await stack.pay(merchant, body.payment.id, { late: true });
    const settled = await stack.waitForOrder(merchant, body.order.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(settled).toMatchObject({ statusReason: 'The payment window closed before payment.', statusReasonCode: 'payment_window_expired' });

    const html = await adminPage(stack, merchant.adminKey, `/admin/orders/${body.order.id}`);
    expect(html).toContain('付款时间已过，未收到付款。');
    const shown = messages(html);
    expect(shown).toEqual(expect.arrayContaining(['订单结束（已过期）后收到 ¥329.06', '¥329.06：自动退款：订单结束（已过期）后才收到付款。', '¥329.06']));
    expect(shown.filter((m) => /[A-Za-z]/.test(m))).toEqual([]);
    // The refund's reason: the system's words in Chinese on the page, in English in the API.
    expect(tableRows(html, 'refunds')[0]?.[3]).toBe('自动退款：订单结束（已过期）后才收到付款。');
    expect(settled.refunds[0]).toMatchObject({ reason: 'Automatic refund: payment arrived after the order was expired.', codes: { reason: { code: 'late_payment_refund', params: { status: 'expired' } } } });
    const timeline = tableRows(html, 'timeline').flat().join(' ');
    expect(timeline).not.toMatch(/arrived after|Automatic refund|CNY/);
  });
});
