// The UnionPay adapter against the simulator, without the order workflow and on a clock of our choosing:
// which transaction a refund becomes, what UnionPay makes of it, and how its result comes back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../core/ids.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import { GatewayError, type GatewayContext, type RefundRequest } from '../gateways/types.js';
import { acpTime } from '../gateways/unionpay/acp-format.js';
import { createUnionPayAdapter } from '../gateways/unionpay/adapter.js';
import { orderIdFor } from '../gateways/unionpay/order-ids.js';
import { startUnionPaySimulator, type UnionPaySimulator } from './simulators/unionpay/simulator.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';

const AMOUNT = 10_000;
const DAY_MS = 86_400_000;

/** 10:00 yesterday in Beijing: a known time of day, recent enough for UnionPay's notifications to be fresh. */
const yesterdayMorning = (() => {
  const today = acpTime(new Date().toISOString());
  return Date.UTC(Number(today.slice(0, 4)), Number(today.slice(4, 6)) - 1, Number(today.slice(6, 8)) - 1, 2);
})();
const minutesIn = (minutes: number) => new Date(yesterdayMorning + minutes * 60_000);

describe('UnionPay refunds and same-day cancels', () => {
  let sim: UnionPaySimulator;
  let receiver: NotificationReceiver;
  let ctx: GatewayContext;
  const notifications: GatewayNotification[] = [];

  /** The adapter with its clock at this time. */
  const adapterAt = (now: Date) => createUnionPayAdapter({ baseUrl: sim.baseUrl, now: () => now });

  beforeAll(async () => {
    sim = await startUnionPaySimulator();
    // Takes notifications as the webhook route does: verified first, then HTTP 200.
    receiver = await startNotificationReceiver(({ body }) =>
      adapterAt(new Date())
        .verifyNotification(ctx, { headers: {}, body })
        .then(
          (notification) => {
            notifications.push(notification);
            return { status: 200, body: 'ok' };
          },
          () => ({ status: 401 }),
        ),
    );
    ctx = { merchantId: 'mch_test', credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: `${receiver.url}/` };
  });
  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
  });

  /** A consume placed at `placedAt` (its txnTime) and paid now; its queryId is what refunds name. */
  async function paidConsume(placedAt = new Date()) {
    const paymentId = newId('pay');
    const { action } = await adapterAt(placedAt).createPayment(ctx, {
      paymentId,
      orderNo: 'ORD-1',
      amount: AMOUNT,
      currency: 'CNY',
      description: 'Order ORD-1',
      returnUrl: 'http://127.0.0.1/return',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      createdAt: placedAt.toISOString(),
    });
    if (action.type !== 'form_post') throw new Error(`unexpected action ${action.type}`);
    await (await fetch(action.url, { method: 'POST', body: new URLSearchParams(action.fields) })).text();
    expect(sim.pay(orderIdFor(paymentId))).toBe('paid');
    return { paymentId, queryId: sim.consume(orderIdFor(paymentId))!.queryId! };
  }

  /** A refund of a payment made at 10:00 yesterday, requested five minutes later. */
  function refundOf(payment: { paymentId: string; queryId: string }, amount = AMOUNT): RefundRequest {
    return { refundId: newId('rfd'), paymentId: payment.paymentId, gatewayReference: payment.queryId, amount, paymentAmount: AMOUNT, paidAt: minutesIn(0).toISOString(), currency: 'CNY', reason: 'test', createdAt: minutesIn(5).toISOString() };
  }

  const sent = (request: RefundRequest) => sim.received('back', orderIdFor(request.refundId)).map((r) => r.fields);

  it('cancels a full refund on the day of the payment (31): found by query, notified as a refund, nothing left to refund', async () => {
    const payment = await paidConsume();
    const request = refundOf(payment);
    const result = await adapterAt(minutesIn(6)).refund(ctx, request);
    expect(sent(request)).toEqual([expect.objectContaining({ txnType: '31', txnSubType: '00', txnAmt: String(AMOUNT), origQryId: payment.queryId, txnTime: acpTime(request.createdAt), orderId: orderIdFor(request.refundId) })]);
    const [cancel] = sim.refundsOf(payment.queryId);
    expect(result).toEqual({ status: 'processing', gatewayReference: cancel!.queryId });
    expect(sim.consume(orderIdFor(payment.paymentId))).toMatchObject({ cancelled: true, refunded: AMOUNT });

    const adapter = adapterAt(new Date());
    expect(await adapter.queryRefund(ctx, { refundId: request.refundId, paymentId: payment.paymentId, createdAt: request.createdAt })).toEqual({ status: 'succeeded', gatewayReference: cancel!.queryId });
    await vi.waitFor(() => expect(notifications).toContainEqual({ kind: 'refund', eventId: `31:${cancel!.queryId}`, refundId: request.refundId, paymentId: payment.paymentId, status: 'succeeded', gatewayReference: cancel!.queryId, occurredAt: expect.any(String) }));

    const again = await adapter.refund(ctx, refundOf(payment, 100)).catch((error: unknown) => error);
    expect(again).toEqual(new GatewayError('invalid_request', 'refund: UnionPay answered 35 原交易不存在或状态不正确'));
  });

  it('refunds (04) a part, and the whole when it goes out from 22:30 or the next day', async () => {
    for (const [sentAt, amount] of [
      [minutesIn(6), 4_000],
      [minutesIn(12 * 60 + 30), AMOUNT],
      [minutesIn(24 * 60), AMOUNT],
    ] as const) {
      const payment = await paidConsume();
      const request = refundOf(payment, amount);
      await adapterAt(sentAt).refund(ctx, request);
      expect(sent(request).map((fields) => [fields.txnType, fields.txnAmt])).toEqual([['04', String(amount)]]);
      expect(sim.consume(orderIdFor(payment.paymentId))).toMatchObject({ cancelled: false, refunded: amount });
    }
  });

  it('refunds (04) at once, under the same orderId and txnTime, a cancel UnionPay refuses as outside its payment day (39)', async () => {
    // Placed two days ago at UnionPay, but paid yesterday morning as far as the adapter knows: the adapter
    // sends a cancel, and UnionPay, whose settlement day for the payment is over, refuses it with 39.
    const payment = await paidConsume(new Date(Date.now() - 2 * DAY_MS));
    const request = refundOf(payment);
    const orderId = orderIdFor(request.refundId);
    const adapter = adapterAt(minutesIn(6));
    const result = await adapter.refund(ctx, request);

    expect(sim.received('back', orderId).map((r) => [r.fields.txnType, r.fields.txnTime, r.respCode])).toEqual([
      ['31', acpTime(request.createdAt), '39'],
      ['04', acpTime(request.createdAt), '00'],
    ]);
    const ledger = sim.refundsOf(payment.queryId);
    expect(ledger.map((r) => [r.fields.txnType, r.fields.orderId, r.fields.txnAmt])).toEqual([['04', orderId, String(AMOUNT)]]);
    expect(result).toEqual({ status: 'processing', gatewayReference: ledger[0]!.queryId });
    expect(sim.consume(orderIdFor(payment.paymentId))).toMatchObject({ cancelled: false, refunded: AMOUNT });
    expect(await adapter.queryRefund(ctx, { refundId: request.refundId, paymentId: payment.paymentId, createdAt: request.createdAt })).toEqual({ status: 'succeeded', gatewayReference: ledger[0]!.queryId });
    await vi.waitFor(() => expect(notifications).toContainEqual(expect.objectContaining({ kind: 'refund', eventId: `04:${ledger[0]!.queryId}`, refundId: request.refundId, status: 'succeeded' })));

    // Sent again, the refund is known by its orderId; nothing is refunded twice.
    expect(await adapter.refund(ctx, request)).toEqual({ status: 'processing' });
    expect(sim.received('back', orderId).map((r) => [r.fields.txnType, r.respCode])).toEqual([['31', '39'], ['04', '00'], ['31', '12']]);
    expect(sim.refundsOf(payment.queryId)).toHaveLength(1);
    expect(sim.consume(orderIdFor(payment.paymentId))).toMatchObject({ cancelled: false, refunded: AMOUNT });
  });

  it('keeps other refusals of a cancel, and a 39 to a refund, as they are: one call, nothing refunded', async () => {
    for (const [sentAt, txnType, respCode, respMsg] of [
      [minutesIn(6), '31', '38', '银联风险受限'],
      [minutesIn(24 * 60), '04', '39', '交易不在受理时间范围内'],
    ] as const) {
      const payment = await paidConsume();
      const request = refundOf(payment);
      sim.failNext('back', { respCode, respMsg }, (fields) => fields.origQryId === payment.queryId);
      const refused = await adapterAt(sentAt)
        .refund(ctx, request)
        .catch((error: unknown) => error);
      expect(refused).toEqual(new GatewayError('invalid_request', `${txnType === '31' ? 'cancel' : 'refund'}: UnionPay answered ${respCode} ${respMsg}`));
      expect(sent(request).map((fields) => fields.txnType)).toEqual([txnType]);
      expect(sim.refundsOf(payment.queryId)).toEqual([]);
    }
  });
});
