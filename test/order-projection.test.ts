import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrderView } from '../services/order-reads.js';
import { newId } from '../core/ids.js';
import { createMerchant } from '../db/merchants.js';
import { writeOrderProjection } from '../db/orders.js';
import type { OrderInput } from '../domain/order.js';
import { sql } from 'kysely';
import { wordsFor } from '../core/i18n/messages.js';
import { timelineDetail } from '../domain/timeline-words.js';
import { statusReasonWords } from '../pages/shared/status-reason.js';
import { initialState, record } from '../workflows/order-state.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

describe('order projection', () => {
  let database: TestDatabase;
  let merchantId: string;
  // The orders below carry no mode and pay through a real gateway: live orders.
  const live = () => ({ merchantId, mode: 'live' as const });

  beforeAll(async () => {
    database = await createTestDatabase();
    merchantId = (await createMerchant(database.db, { name: 'Tea House', contactEmail: 'owner@tea.example', businessLicenceNo: 'BL-1', taxRegistrationNo: 'TX-1' })).merchant.id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  function input(): OrderInput {
    const createdAt = new Date().toISOString();
    return {
      orderId: newId('ord'),
      orderNo: `P${Date.now()}`,
      merchantId,
      paymentId: newId('pay'),
      idempotencyKey: newId('key'),
      requestHash: 'hash',
      currency: 'CNY',
      items: [{ sku: 'TEA', name: 'Tea', quantity: 1, unitAmount: 100, lineTotal: 100 }],
      subtotal: 100,
      shippingFee: 0,
      tax: 0,
      total: 100,
      customer: { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 138 0000 0000' },
      shippingAddress: { line1: '88 Wensan Road', city: 'Hangzhou', postalCode: '310012', country: 'CN' },
      paymentMethod: 'alipay',
      viewToken: newId('view'),
      policy: { paymentWindowSeconds: 60, paymentCheckIntervalSeconds: 10, latePaymentGraceSeconds: 10, autoConfirm: false, refundWindowSeconds: 60, refundApprovalThreshold: 1000 },
      createdAt,
    };
  }

  it('keeps the keys of JSON values as written (gateway form fields) and ignores older versions', async () => {
    const order = input();
    const state = initialState(order);
    const fields = { app_id: '2021000000000001', biz_content: '{"out_trade_no":"pay1"}', merId: '777290058110048' };
    state.payments.push({ id: order.paymentId, gateway: 'alipay', status: 'pending', amount: 100, currency: 'CNY', expiresAt: order.createdAt, createdAt: order.createdAt, action: { type: 'form_post', url: 'https://gateway.example/pay', fields } });
    const meta = { workflowId: `order-${order.orderId}`, idempotencyKey: order.idempotencyKey, requestHash: order.requestHash, viewToken: order.viewToken };
    const older = structuredClone(state);
    record(state, order.createdAt, 'payment_created', 'system', { gateway: 'alipay' });
    expect(await writeOrderProjection(database.db, meta, state)).toEqual({ written: true, newEvents: ['order_created', 'payment_created'], webhookEndpoint: false });
    expect(await writeOrderProjection(database.db, meta, older)).toEqual({ written: false, newEvents: [], webhookEndpoint: false });

    const view = await loadOrderView(database.db, live(), order.orderId);
    expect(view?.payments[0]?.action).toEqual({ type: 'form_post', url: 'https://gateway.example/pay', fields });
    expect(view?.timeline.map((e) => e.event)).toEqual(['order_created', 'payment_created']);
  });

  it('reads payments, refunds and the timeline back in the API shape, with camel-case keys and ISO times', async () => {
    const order = input();
    const state = initialState(order);
    state.payments.push({ id: order.paymentId, gateway: 'alipay', status: 'succeeded', amount: 100, currency: 'CNY', capturedAmount: 100, capturedCurrency: 'CNY', gatewayReference: 'T1', expiresAt: order.createdAt, paidAt: order.createdAt, createdAt: order.createdAt });
    state.paidAmount = 100;
    state.refunds.push({ id: 'rfd_a', paymentId: order.paymentId, amount: 40, currency: 'CNY', reason: 'damaged', status: 'succeeded', initiatedBy: 'merchant', gatewayReference: 'R1', createdAt: order.createdAt, updatedAt: order.createdAt });
    state.refundedAmount = 40;
    record(state, order.createdAt, 'payment_succeeded', 'gateway', { amount: 100, currency: 'CNY' }, { status: 'paid', requestId: 'req-notification-1' });
    const meta = { workflowId: `order-${order.orderId}`, idempotencyKey: order.idempotencyKey, requestHash: order.requestHash, viewToken: order.viewToken };
    expect((await writeOrderProjection(database.db, meta, state)).written).toBe(true);

    const view = await loadOrderView(database.db, live(), order.orderId);
    const at = new Date(order.createdAt).toISOString();
    expect(view?.payments).toEqual([
      { id: order.paymentId, gateway: 'alipay', status: 'succeeded', amount: 100, currency: 'CNY', capturedAmount: 100, capturedCurrency: 'CNY', gatewayReference: 'T1', action: null, expiresAt: at, paidAt: at, createdAt: at },
    ]);
    expect(view?.refunds).toEqual([
      { id: 'rfd_a', paymentId: order.paymentId, amount: 40, currency: 'CNY', reason: 'damaged', status: 'succeeded', initiatedBy: 'merchant', note: null, gatewayReference: 'R1', failureReason: null, codes: null, createdAt: at, updatedAt: at },
    ]);
    expect(view?.timeline).toEqual([
      { seq: 1, at, status: 'awaiting_payment', event: 'order_created', actor: 'customer', message: null, params: {}, requestId: null },
      { seq: 2, at, status: 'paid', event: 'payment_succeeded', actor: 'gateway', message: 'CN¥1.00', params: { amount: 100, currency: 'CNY' }, requestId: 'req-notification-1' },
    ]);
    expect(view?.livemode).toBe(true);
    expect(await loadOrderView(database.db, { merchantId: 'mer_someone_else', mode: 'live' }, order.orderId)).toBeUndefined();
    expect(await loadOrderView(database.db, { merchantId, mode: 'test' }, order.orderId)).toBeUndefined();
  });
  it('reads coded reasons and entries with their English words; rows written before codes keep their sentences', async () => {
    const order = input();
    const state = initialState(order);
    state.payments.push({ id: order.paymentId, gateway: 'alipay', status: 'pending', amount: 100, currency: 'CNY', expiresAt: order.createdAt, createdAt: order.createdAt });
    record(state, order.createdAt, 'late_payment', 'gateway', { amount: 100, currency: 'CNY', status: 'awaiting_payment' });
    record(state, order.createdAt, 'expired', 'system', {}, { status: 'expired', reason: { code: 'payment_window_expired', params: {} } });
    const meta = { workflowId: `order-${order.orderId}`, idempotencyKey: order.idempotencyKey, requestHash: order.requestHash, viewToken: order.viewToken };
    expect((await writeOrderProjection(database.db, meta, state)).written).toBe(true);

    const coded = (await loadOrderView(database.db, live(), order.orderId))!;
    expect(coded).toMatchObject({ statusReason: 'The payment window closed before payment.', statusReasonCode: 'payment_window_expired', statusReasonParams: {} });
    expect(coded.timeline[1]).toMatchObject({ event: 'late_payment', message: 'CN¥1.00 arrived after the order ended (Awaiting payment)', params: { amount: 100, currency: 'CNY', status: 'awaiting_payment' } });

    // The same rows as the projection wrote them before codes: sentences, no codes or parameters.
    await sql`update order_events set params = null, message = '100 CNY arrived after the order was awaiting_payment' where order_id = ${order.orderId} and seq = 2`.execute(database.db);
    await sql`update orders set status_reason = 'Sold out, sorry.', status_reason_code = null, status_reason_params = null where id = ${order.orderId}`.execute(database.db);
    const old = (await loadOrderView(database.db, live(), order.orderId))!;
    expect(old).toMatchObject({ statusReason: 'Sold out, sorry.', statusReasonCode: null, statusReasonParams: null });
    expect(old.timeline[1]).toMatchObject({ event: 'late_payment', message: '100 CNY arrived after the order was awaiting_payment', params: null });
    const zh = wordsFor('zh-CN', 'Asia/Shanghai');
    expect(timelineDetail(old.timeline[1]!, zh)).toBe('100 CNY arrived after the order was awaiting_payment');
    expect(statusReasonWords(old, zh)).toBe('付款时间已过，未收到付款。');
  });
});
