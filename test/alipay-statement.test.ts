import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import type { SettlementDay } from '../domain/gateway-statements.js';
import { createAlipayAdapter } from '../gateways/alipay/adapter.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { StatementNotReady, StatementUnreadable, type GatewayContext } from '../gateways/types.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';
import { expectedLines, nextDay, plantingDay, summaries } from './support/statements.js';

describe('alipay trade bill', () => {
  let sim: AlipaySimulator;
  let receiver: NotificationReceiver;
  let ctx: GatewayContext;
  let day: SettlementDay;
  const adapter = () => createAlipayAdapter({ gatewayUrl: sim.gatewayUrl, timeoutMs: 5_000 });
  const NOW = new Date().toISOString();

  beforeAll(async () => {
    sim = await startAlipaySimulator();
    receiver = await startNotificationReceiver(() => ({ status: 200, contentType: 'text/plain', body: 'success' }));
    ctx = { merchantId: newId('mch'), credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: `${receiver.url}/notify` };
    day = await plantingDay();
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  async function payment(amount: number, notify: 'deliver' | 'drop' = 'deliver', pay = true) {
    const paymentId = newId('pay');
    await adapter().createPayment(ctx, { paymentId, orderNo: 'ORD-1', amount, currency: 'CNY', description: 'Tea, "green", 2 tins', returnUrl: '', expiresAt: new Date(Date.now() + 60_000).toISOString(), createdAt: NOW, flow: 'qr_code' });
    if (pay) await sim.pay(toTradeNo(paymentId), { notify });
    return { id: paymentId, amount };
  }

  async function refund(paymentId: string, amount: number, paymentAmount: number) {
    const refundId = newId('rfd');
    expect(await adapter().refund(ctx, { refundId, paymentId, amount, paymentAmount, currency: 'CNY', reason: 'returned', createdAt: NOW })).toEqual({ status: 'succeeded' });
    return { id: refundId, paymentId, amount };
  }

  it("reads the day's payments and refunds, with the fee of each, from the zipped GBK bill", async () => {
    const paid = await payment(12_345);
    const partly = await payment(20_000);
    const fully = await payment(8_000);
    const inDashboard = await payment(3_000);
    const unheard = await payment(4_500, 'drop');
    await payment(999, 'deliver', false);
    const partial = await refund(partly.id, 5_000, partly.amount);
    const full = await refund(fully.id, 8_000, fully.amount);
    const dashboardNo = sim.refundInDashboard(toTradeNo(inDashboard.id), 1_000);

    expect(await caught(adapter().fetchStatement!(ctx, day))).toBeInstanceOf(StatementNotReady);
    sim.statements.closeDay(day.date);
    const statement = await adapter().fetchStatement!(ctx, day);

    expect(statement.day).toEqual(day);
    expect(summaries(statement.lines)).toEqual(
      expectedLines(sim.statements.feeRate, [paid, partly, fully, inDashboard, unheard], [partial, full, { paymentId: inDashboard.id, amount: 1_000 }]),
    );
    const dashboardLine = statement.lines.find((l) => l.kind === 'refund' && l.ourId === undefined);
    expect(dashboardLine).toMatchObject({ gatewayReference: dashboardNo, raw: expect.stringContaining('退款') });
    const paidLine = statement.lines.find((l) => l.ourId === paid.id)!;
    expect(paidLine.gatewayReference).toBe(sim.trade(toTradeNo(paid.id))!.tradeNo);
    expect(Math.abs(Date.parse(paidLine.occurredAt) - Date.now())).toBeLessThan(60_000);
    expect(paidLine.raw).toContain('Tea, ""green"", 2 tins');
  });

  it("is not ready before Alipay has made the day's bill", async () => {
    const error = await caught(adapter().fetchStatement!(ctx, nextDay(day)));
    expect(error).toBeInstanceOf(StatementNotReady);
    expect(error).toMatchObject({ message: expect.stringContaining('isp.bill_not_exist') });
  });

  it('refuses a cut or garbled bill whole, never in part', async () => {
    sim.statements.closeDay(day.date);
    sim.statements.failNext('truncated');
    expect(await caught(adapter().fetchStatement!(ctx, day))).toMatchObject({ name: 'StatementUnreadable', message: expect.stringContaining('zip archive is damaged or cut short') });
    sim.statements.failNext('malformed');
    const error = await caught(adapter().fetchStatement!(ctx, day));
    expect(error).toBeInstanceOf(StatementUnreadable);
    expect(error).toMatchObject({ message: expect.stringMatching(/^Alipay's trade bill for \d{4}-\d{2}-\d{2}: row 1: .* is not an amount/) });
  });
});
