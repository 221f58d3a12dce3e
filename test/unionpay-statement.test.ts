import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import type { SettlementDay } from '../domain/gateway-statements.js';
import { createUnionPayAdapter, fileTransferUrl } from '../gateways/unionpay/adapter.js';
import { orderIdFor } from '../gateways/unionpay/order-ids.js';
import { StatementNotReady, StatementUnreadable, type GatewayContext } from '../gateways/types.js';
import { startUnionPaySimulator, type UnionPaySimulator } from './simulators/unionpay/simulator.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';
import { expectedLines, nextDay, plantingDay, summaries } from './support/statements.js';

describe('UnionPay settlement files', () => {
  let sim: UnionPaySimulator;
  let receiver: NotificationReceiver;
  let ctx: GatewayContext;
  let day: SettlementDay;
  const adapter = () => createUnionPayAdapter({ baseUrl: sim.baseUrl });

  beforeAll(async () => {
    sim = await startUnionPaySimulator();
    receiver = await startNotificationReceiver(() => ({ status: 200, body: 'ok' }));
    ctx = { merchantId: newId('mch'), credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: `${receiver.url}/` };
    // UnionPay's settlement day ends at 23:00 Beijing time and is named by the date it ends on.
    day = await plantingDay(23);
  });
  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
  });

  async function payment(amount: number, notify: 'deliver' | 'drop' = 'deliver', pay = true) {
    const paymentId = newId('pay');
    const createdAt = new Date().toISOString();
    const { action } = await adapter().createPayment(ctx, { paymentId, orderNo: 'ORD-1', amount, currency: 'CNY', description: 'Order ORD-1', returnUrl: 'http://127.0.0.1/return', expiresAt: new Date(Date.now() + 600_000).toISOString(), createdAt });
    if (action.type !== 'form_post') throw new Error(`unexpected action ${action.type}`);
    await (await fetch(action.url, { method: 'POST', body: new URLSearchParams(action.fields) })).text();
    if (pay) expect(sim.pay(orderIdFor(paymentId), { notify })).toBe('paid');
    return { id: paymentId, amount, queryId: sim.consume(orderIdFor(paymentId))!.queryId };
  }

  async function refund(paid: { id: string; amount: number; queryId?: string }, amount: number) {
    const refundId = newId('rfd');
    const now = new Date().toISOString();
    await adapter().refund(ctx, { refundId, paymentId: paid.id, gatewayReference: paid.queryId, amount, paymentAmount: paid.amount, paidAt: now, currency: 'CNY', reason: 'returned', createdAt: now });
    return { id: refundId, paymentId: paid.id, amount };
  }

  it('fetches files from filedownload beside the gateway, or from a simulator itself', () => {
    expect(fileTransferUrl('https://gateway.95516.com')).toBe('https://filedownload.95516.com/');
    expect(fileTransferUrl('https://gateway.test.95516.com/')).toBe('https://filedownload.test.95516.com/');
    expect(fileTransferUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/');
  });

  it("reads the day's payments, refunds and cancels, with the fee of each, from the ZM file", async () => {
    const paid = await payment(12_345);
    const partly = await payment(20_000);
    const fully = await payment(8_000);
    const inDashboard = await payment(3_000);
    const unheard = await payment(4_500, 'drop');
    await payment(999, 'deliver', false);
    const partial = await refund(partly, 5_000);
    // A cancel (31) before 22:30 Beijing time, a refund (04) after: a refund line either way.
    const full = await refund(fully, 8_000);
    const dashboardOrderId = sim.refundInDashboard(orderIdFor(inDashboard.id), 1_000);

    const notReady = await caught(adapter().fetchStatement!(ctx, day));
    expect(notReady).toBeInstanceOf(StatementNotReady);
    expect(notReady).toMatchObject({ message: expect.stringContaining('98 文件不存在') });
    sim.statements.closeDay(day.date);
    const statement = await adapter().fetchStatement!(ctx, day);

    expect(summaries(statement.lines)).toEqual(
      expectedLines(sim.statements.feeRate, [paid, partly, fully, inDashboard, unheard], [partial, full, { paymentId: inDashboard.id, amount: 1_000 }]),
    );
    const dashboardLine = statement.lines.find((l) => l.kind === 'refund' && l.ourId === undefined)!;
    expect(dashboardLine.raw).toContain(dashboardOrderId);
    expect(statement.lines.find((l) => l.ourId === paid.id)).toMatchObject({ gatewayReference: paid.queryId, raw: expect.stringMatching(/^S22 /) });
    expect(Math.abs(Date.parse(statement.lines[0]!.occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it("is not ready before UnionPay has made the day's files", async () => {
    expect(await caught(adapter().fetchStatement!(ctx, nextDay(day)))).toBeInstanceOf(StatementNotReady);
  });

  it('refuses files cut short or garbled, whole', async () => {
    sim.statements.closeDay(day.date);
    sim.statements.failNext('truncated');
    expect(await caught(adapter().fetchStatement!(ctx, day))).toMatchObject({ name: 'StatementUnreadable', message: expect.stringContaining('compressed file is damaged or cut short') });
    sim.statements.failNext('malformed');
    const error = await caught(adapter().fetchStatement!(ctx, day));
    expect(error).toBeInstanceOf(StatementUnreadable);
    expect(error).toMatchObject({ message: expect.stringMatching(/^UnionPay's settlement files for .*: record 1: 交易金额 is not an amount: "00000000ABCD"$/) });
  });
});
