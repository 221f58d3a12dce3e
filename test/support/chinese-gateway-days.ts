// The Chinese gateways' simulators as `GatewayDay`s for the reconciliation tests: each pays, drops
// notifications, refunds in its dashboard and makes the day's statement in its own way. Their settlement
// days are Beijing days (UnionPay's ends at 23:00), so the day is planted well inside one.
import { expect } from 'vitest';
import { toTradeNo } from '../../gateways/trade-numbers.js';
import { orderIdFor } from '../../gateways/unionpay/order-ids.js';
import { startAlipaySimulator, type AlipaySimulator } from '../simulators/alipay/simulator.js';
import { startUnionPaySimulator, type UnionPaySimulator } from '../simulators/unionpay/simulator.js';
import { startWechatPaySimulator, type WechatPaySimulator } from '../simulators/wechatpay/simulator.js';
import type { StatementDesk } from '../simulators/statements.js';
import type { GatewayDay } from './reconciliation-day.js';
import { plantingDay } from './statements.js';

/** The planted day's date and the statement controls shared by the three. */
function statementsOf(desk: () => StatementDesk, endHour?: number): Pick<GatewayDay, 'notReadyUntilDayEnds' | 'plantingDate' | 'statements'> {
  let date = '';
  return {
    notReadyUntilDayEnds: true,
    async plantingDate() {
      date = (await plantingDay(endHour)).date;
      return date;
    },
    async statements(_stack, _merchant, { today, broken }) {
      if (today) desk().closeDay(date);
      if (broken) desk().failNext('truncated');
    },
  };
}

export function alipayDay(): GatewayDay {
  let sim: AlipaySimulator;
  return {
    gateway: 'alipay',
    async start() {
      sim = await startAlipaySimulator();
      return { ALIPAY_GATEWAY_URL: sim.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: sim.gatewayUrl };
    },
    async stop() {
      await sim?.stop();
    },
    async prepare(stack, merchant) {
      await stack.setCredentials(merchant, 'alipay', sim.merchantCredentials());
    },
    async pay(_stack, _merchant, checkout, notifications) {
      // The shopper opens the page-pay link (Alipay opens the trade), then pays there.
      const page = await fetch(checkout.payment.action.url);
      expect(page.status).toBe(200);
      await page.text();
      await sim.pay(toTradeNo(checkout.payment.id), { notify: notifications });
    },
    async refundAtGateway(_stack, _merchant, checkout, amount) {
      sim.refundInDashboard(toTradeNo(checkout.payment.id), amount);
    },
    ...statementsOf(() => sim.statements),
  };
}

export function wechatPayDay(): GatewayDay {
  let sim: WechatPaySimulator;
  return {
    gateway: 'wechatpay',
    async start() {
      sim = await startWechatPaySimulator();
      return { WECHATPAY_BASE_URL: sim.url, WECHATPAY_TEST_BASE_URL: sim.url };
    },
    async stop() {
      await sim?.stop();
    },
    async prepare(stack, merchant) {
      await stack.setCredentials(merchant, 'wechatpay', sim.merchantCredentials());
    },
    async pay(_stack, _merchant, checkout, notifications) {
      sim.scanAndPay(checkout.payment.action.code, { delivery: notifications });
    },
    async refundAtGateway(_stack, _merchant, checkout, amount) {
      sim.refundInDashboard(toTradeNo(checkout.payment.id), amount);
    },
    ...statementsOf(() => sim.statements),
  };
}

export function unionPayDay(): GatewayDay {
  let sim: UnionPaySimulator;
  return {
    gateway: 'unionpay',
    async start() {
      sim = await startUnionPaySimulator();
      return { UNIONPAY_BASE_URL: sim.baseUrl, UNIONPAY_TEST_BASE_URL: sim.baseUrl };
    },
    async stop() {
      await sim?.close();
    },
    async prepare(stack, merchant) {
      await stack.setCredentials(merchant, 'unionpay', sim.merchantCredentials());
    },
    async pay(_stack, _merchant, checkout, notifications) {
      // The shopper's browser posts the signed form to UnionPay, then pays there.
      const page = await fetch(checkout.payment.action.url, { method: 'POST', body: new URLSearchParams(checkout.payment.action.fields) });
      expect(page.status).toBe(200);
      await page.text();
      expect(sim.pay(orderIdFor(checkout.payment.id), { notify: notifications })).toBe('paid');
    },
    async refundAtGateway(_stack, _merchant, checkout, amount) {
      sim.refundInDashboard(orderIdFor(checkout.payment.id), amount);
    },
    ...statementsOf(() => sim.statements, 23),
  };
}
