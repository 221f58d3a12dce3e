// A day of orders at one gateway, for reconciliation tests: payments, a partial and a full refund, an
// expired order, a refund made only at the gateway, and a payment whose notifications were all dropped.
// Each gateway says how its simulator does those things (`GatewayDay`); the day and its checks are shared,
// so another gateway is a few lines: its `GatewayDay`.
import { expect } from 'vitest';
import type { GatewayName } from '../../domain/gateways.js';
import { localDate } from '../../domain/reconciliation.js';
import { reconciliationWorkflow, type ReconciliationDay } from '../../workflows/reconciliation.js';
import type { Merchant, Stack } from './stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

/** What a gateway's simulator does for the day; every call is test mode. */
export interface GatewayDay {
  gateway: GatewayName;
  /** Starts the gateway's simulator for the test file; the stack's environment pointing at it. */
  start?(): Promise<NodeJS.ProcessEnv>;
  stop?(): Promise<void>;
  /** The merchant's settings the gateway needs (its currency, say). */
  settings?: Record<string, unknown>;
  /** The gateway says "not ready" for a day until it is over (Stripe's balance is readable as it goes). */
  notReadyUntilDayEnds: boolean;
  /** Gives the merchant what the gateway needs (credentials, simulator settings). */
  prepare(stack: Stack, merchant: Merchant): Promise<void>;
  /** The shopper pays the checkout's payment at the gateway; `drop`: no notification reaches Paystead. */
  pay(stack: Stack, merchant: Merchant, checkout: any, notifications: 'deliver' | 'drop'): Promise<void>;
  /** A refund made in the gateway's own dashboard, Paystead not asked. */
  refundAtGateway(stack: Stack, merchant: Merchant, checkout: any, amount: number): Promise<void>;
  /**
   * The settlement day the planted orders fall in, when the gateway counts it its own way (the Chinese
   * gateways' Beijing days); it may wait out a day about to end. Default: today in the settlement zone.
   */
  plantingDate?(): Promise<string>;
  /** Today's statement is given (gateways give a day's once it is over); `broken`: it comes back malformed. */
  statements(stack: Stack, merchant: Merchant, options: { today: boolean; broken: boolean }): Promise<void>;
}

export interface PlantedDay {
  date: string;
  timeZone: string;
  paid: string[];
  partiallyRefunded: string;
  fullyRefunded: string;
  expired: string;
  refundedAtGateway: { orderId: string; paymentId: string; amount: number };
  notificationsDropped: { orderId: string; paymentId: string };
}

/** An `Etc/GMT` zone where it is now about midday, so the test's day does not turn over while it runs. */
export function middayZone(now = new Date()): string {
  const n = now.getUTCHours() - 12;
  return n === 0 ? 'UTC' : `Etc/GMT${n > 0 ? '+' : '-'}${Math.abs(n)}`;
}

/** A merchant whose settlement day (for gateways counted in the merchant's zone) is well inside today. */
export async function dayMerchant(stack: Stack, day: GatewayDay): Promise<Merchant> {
  const merchant = await stack.createMerchant({ settings: { timeZone: middayZone(), refundApprovalThreshold: 10_000_000, latePaymentGraceSeconds: 1, ...day.settings } });
  await day.prepare(stack, merchant);
  return merchant;
}

/** Runs the day's orders through the gateway's simulator and waits until Paystead has seen what it can. */
export async function runDay(stack: Stack, merchant: Merchant, day: GatewayDay, timeZone: string): Promise<PlantedDay> {
  const date = (await day.plantingDate?.()) ?? localDate(new Date(), timeZone);
  const setPolicy = async (windowSeconds: number) => {
    const put = await stack.request('PUT', '/v1/admin/settings', { key: merchant.adminKey, body: { paymentWindowSeconds: windowSeconds, paymentCheckIntervalSeconds: windowSeconds } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  };
  const checkout = async () => {
    const response = await stack.checkout(merchant, { paymentMethod: day.gateway });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const paidOrder = async () => {
    const body = await checkout();
    await day.pay(stack, merchant, body, 'deliver');
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    return body;
  };
  const refund = async (orderId: string, amount: number | undefined) => {
    const response = await stack.request('POST', `/v1/admin/orders/${orderId}/refunds`, { key: merchant.adminKey, body: { reason: 'reconciliation day', ...(amount !== undefined && { amount }) } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };

  // An order left unpaid: a short window, so it expires while the rest of the day runs.
  await setPolicy(2);
  const expired = await checkout();
  // The rest wait an hour for their payment before asking the gateway: a dropped notification stays unseen.
  await setPolicy(3600);

  const paid = await paidOrder();
  const partial = await paidOrder();
  const full = await paidOrder();
  const dashboard = await paidOrder();
  const dropped = await checkout();
  await day.pay(stack, merchant, dropped, 'drop');

  await refund(partial.order.id, 1_000);
  await refund(full.order.id, undefined);
  await day.refundAtGateway(stack, merchant, dashboard, 2_500);
  await stack.waitForOrder(merchant, partial.order.id, (o) => o.refundedAmount === 1_000);
  await stack.waitForOrder(merchant, full.order.id, (o) => o.status === 'refunded');
  await stack.waitForOrder(merchant, expired.order.id, (o) => o.status === 'expired');
  const unseen = await stack.order(merchant, dropped.order.id);
  expect(unseen.body.status, 'a payment whose notifications were dropped is not seen until reconciliation').toBe('awaiting_payment');

  return {
    date,
    timeZone,
    paid: [paid, partial, full, dashboard].map((b) => b.order.id),
    partiallyRefunded: partial.order.id,
    fullyRefunded: full.order.id,
    expired: expired.order.id,
    refundedAtGateway: { orderId: dashboard.order.id, paymentId: dashboard.payment.id, amount: 2_500 },
    notificationsDropped: { orderId: dropped.order.id, paymentId: dropped.payment.id },
  };
}

/** Runs one reconciliation of the merchant's test account at the gateway for `date`, to its end. */
export async function reconcileDate(stack: Stack, merchant: Merchant, gateway: GatewayName, date: string, options: { notReadyAttempts?: number } = {}): Promise<ReconciliationDay[]> {
  return stack.client.workflow.execute(reconciliationWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: `test-reconciliation-${merchant.merchantId}-${gateway}-${date}-${Math.random().toString(36).slice(2)}`,
    args: [{ merchantId: merchant.merchantId, mode: 'test', gateway, date, notReadyRetrySeconds: 1, notReadyAttempts: options.notReadyAttempts ?? 1 }],
  });
}

/** The day's discrepancies as people see them: kind, outcome, order, what was done. */
export async function discrepanciesOf(stack: Stack, runId: string) {
  const rows = await stack.db.selectFrom('reconciliationDiscrepancies').selectAll().where('runId', '=', runId).orderBy('itemKey').execute();
  return rows.map((r) => ({ kind: r.kind, outcome: r.outcome, orderId: r.orderId, paymentId: r.paymentId, action: r.action, status: r.status }));
}
