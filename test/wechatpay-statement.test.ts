import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import type { SettlementDay } from '../domain/gateway-statements.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { StatementNotReady, StatementUnreadable, type GatewayContext } from '../gateways/types.js';
import { createWechatPayAdapter } from '../gateways/wechatpay/adapter.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';
import { expectedLines, nextDay, plantingDay, summaries } from './support/statements.js';

describe('WeChat Pay trade bill', () => {
  let sim: WechatPaySimulator;
  let receiver: NotificationReceiver;
  let ctx: GatewayContext;
  let day: SettlementDay;
  const adapter = () => createWechatPayAdapter({ baseUrl: sim.url, timeoutMs: 5_000 });
  const createdAt = new Date().toISOString();

  beforeAll(async () => {
    sim = await startWechatPaySimulator();
    receiver = await startNotificationReceiver(() => ({ status: 200, contentType: 'text/plain', body: '' }));
    ctx = { merchantId: newId('mch'), credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: `${receiver.url}/notify` };
    day = await plantingDay();
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  async function payment(amount: number, delivery: 'deliver' | 'drop' = 'deliver', pay = true) {
    const paymentId = newId('pay');
    const created = await adapter().createPayment(ctx, { paymentId, orderNo: 'ORD-1', amount, currency: 'CNY', description: '茶叶 2 罐', returnUrl: '', expiresAt: new Date(Date.now() + 600_000).toISOString(), createdAt });
    if (pay && created.action.type === 'qr_code') sim.scanAndPay(created.action.code, { delivery });
    return { id: paymentId, amount };
  }

  async function refund(paymentId: string, amount: number, paymentAmount: number) {
    const refundId = newId('rfd');
    await adapter().refund(ctx, { refundId, paymentId, amount, paymentAmount, currency: 'CNY', reason: 'returned', createdAt });
    return { id: refundId, paymentId, amount };
  }

  /** Refunds settle a moment after they are made. */
  async function settled(outTradeNos: readonly string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (outTradeNos.some((no) => sim.refundsOf(no).some((r) => r.status !== 'SUCCESS'))) {
      if (Date.now() > deadline) throw new Error('refunds did not settle');
      await sleep(20);
    }
  }

  it('answers an empty statement for a day WeChat Pay has no trades on', async () => {
    const before = { ...day, date: '2026-01-05' };
    expect(await adapter().fetchStatement!(ctx, before)).toEqual({ day: before, lines: [] });
  });

  it("reads the day's payments and refunds, with the fee of each, from the hash-checked bill", async () => {
    const paid = await payment(12_345);
    const partly = await payment(20_000);
    const fully = await payment(8_000);
    const inDashboard = await payment(3_000);
    const unheard = await payment(4_500, 'drop');
    await payment(999, 'deliver', false);
    const partial = await refund(partly.id, 5_000, partly.amount);
    const full = await refund(fully.id, 8_000, fully.amount);
    const dashboardNo = sim.refundInDashboard(toTradeNo(inDashboard.id), 1_000);
    await settled([partly, fully].map((p) => toTradeNo(p.id)));

    const notReady = await caught(adapter().fetchStatement!(ctx, day));
    expect(notReady).toBeInstanceOf(StatementNotReady);
    expect(notReady).toMatchObject({ message: expect.stringContaining('STATEMENT_CREATING') });
    sim.statements.closeDay(day.date);
    const statement = await adapter().fetchStatement!(ctx, day);

    expect(summaries(statement.lines)).toEqual(
      expectedLines(sim.statements.feeRate, [paid, partly, fully, inDashboard, unheard], [partial, full, { paymentId: inDashboard.id, amount: 1_000 }]),
    );
    const dashboardLine = statement.lines.find((l) => l.kind === 'refund' && l.ourId === undefined)!;
    expect(dashboardLine.raw).toContain(`\`${dashboardNo}`);
    expect(dashboardLine.gatewayReference).toBe(sim.refundsOf(toTradeNo(inDashboard.id))[0]!.refund_id);
    const paidLine = statement.lines.find((l) => l.ourId === paid.id)!;
    expect(paidLine.gatewayReference).toBe(sim.payment(toTradeNo(paid.id))!.transaction_id);
    expect(Math.abs(Date.parse(paidLine.occurredAt) - Date.now())).toBeLessThan(60_000);
    expect(paidLine.raw).toContain('`茶叶 2 罐');
  });

  it("is not ready before WeChat Pay has made the day's bill", async () => {
    expect(await caught(adapter().fetchStatement!(ctx, nextDay(day)))).toBeInstanceOf(StatementNotReady);
  });

  it('refuses a file that does not match its hash, or is cut short or garbled, whole', async () => {
    sim.statements.closeDay(day.date);
    sim.statements.failNext('wrongHash');
    expect(await caught(adapter().fetchStatement!(ctx, day))).toMatchObject({ name: 'StatementUnreadable', message: expect.stringMatching(/^WeChat Pay's trade bill of .*: the file's SHA1 is [0-9a-f]{40}, not the announced [0-9a-f]{40}$/) });
    sim.statements.failNext('truncated');
    expect(await caught(adapter().fetchStatement!(ctx, day))).toMatchObject({ name: 'StatementUnreadable', message: expect.stringContaining('cut short') });
    sim.statements.failNext('malformed');
    const error = await caught(adapter().fetchStatement!(ctx, day));
    expect(error).toBeInstanceOf(StatementUnreadable);
    expect(error).toMatchObject({ message: expect.stringContaining('row 1 has 28 cells, the header 27') });
  });
});
