// After the faults: wait until every order is final (or in a wait only a person ends), then check what must
// hold whatever happened: one order per checkout, at most one charge, the gateway's books equal Postgres,
// Postgres equals each workflow's own state, every stored notification was handled, every order (row and
// workflow) is a test order, and every e-mail and webhook arrived (deliveries.ts).
import type { Client } from '@temporalio/client';
import { ORDER_SEARCH_KEYS } from '../../core/search-attributes.js';
import type { Db } from '../../db/database.js';
import type { OrderState } from '../../domain/order.js';
import { stateQuery } from '../../workflows/messages.js';
import type { Finding } from './deliveries.js';
import { isSettled, type OrderRun } from './orders.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const CHECKS = [
  'final or legitimate wait',
  'at most one charge',
  'refunded <= paid',
  'gateway ledger == Postgres',
  'Postgres refunds add up',
  'Postgres == workflow state',
  'notifications processed',
  'one order per checkout',
  'test orders only',
  'e-mails sent',
  'webhooks delivered',
  'reconciliation',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckReport {
  results: Map<CheckName, { passed: number; failed: number }>;
  violations: string[];
}

interface ProjectedOrder {
  id: string;
  orderNo: string;
  workflowId: string;
  idempotencyKey: string;
  livemode: boolean;
  status: string;
  paidAmount: number;
  refundedAmount: number;
  version: number;
  refunds: Array<{ id: string; status: string; amount: number }>;
  payments: Array<{ id: string; expiresAt: string }>;
  /** The gateway still holds the payment open (not paid, failed or closed). */
  gatewayPending: boolean;
}

async function loadOrders(db: Db, merchantId: string): Promise<ProjectedOrder[]> {
  const [orders, refunds, payments, atGateway] = await Promise.all([
    db.selectFrom('orders').select(['id', 'orderNo', 'workflowId', 'idempotencyKey', 'livemode', 'status', 'paidAmount', 'refundedAmount', 'version']).where('merchantId', '=', merchantId).execute(),
    db.selectFrom('refunds').select(['id', 'orderId', 'status', 'amount']).where('merchantId', '=', merchantId).execute(),
    db.selectFrom('payments').select(['id', 'orderId', 'expiresAt']).where('merchantId', '=', merchantId).execute(),
    db.selectFrom('sandboxPayments').select(['id', 'status']).where('merchantId', '=', merchantId).execute(),
  ]);
  const gatewayStatus = new Map(atGateway.map((p) => [p.id, p.status]));
  return orders.map((order) => {
    const own = payments.filter((p) => p.orderId === order.id);
    return {
      ...order,
      refunds: refunds.filter((r) => r.orderId === order.id),
      payments: own.map((p) => ({ id: p.id, expiresAt: new Date(p.expiresAt).toISOString() })),
      gatewayPending: own.every((p) => (gatewayStatus.get(p.id) ?? 'pending') === 'pending'),
    };
  });
}

/** Polls Postgres until every order is settled and no notification is still being handled. */
export async function waitUntilSettled(db: Db, merchantId: string, timeoutMs: number, say: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const orders = await loadOrders(db, merchantId);
    const unsettled = orders.filter((order) => !isSettled(order, order.gatewayPending));
    // A notification still "received" after 30 s is not being handled any more (the check reports it).
    const received = await db
      .selectFrom('webhookEvents')
      .select('id')
      .where('merchantId', '=', merchantId)
      .where('status', '=', 'received')
      .where('receivedAt', '>', new Date(Date.now() - 30_000))
      .execute();
    if (unsettled.length === 0 && received.length === 0) return true;
    if (Date.now() > deadline) return false;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const statuses = unsettled.map((o) => `${o.id}:${o.status}${o.refunds.some((r) => r.status === 'processing') ? '+refund' : ''}`).join(' ');
      say(`waiting for ${unsettled.length} order(s) to settle${received.length ? ` and ${received.length} notification(s)` : ''}: ${statuses}`);
    }
    await sleep(1000);
  }
}

function sameState(projected: ProjectedOrder, state: OrderState): string | undefined {
  const diffs: string[] = [];
  for (const field of ['status', 'paidAmount', 'refundedAmount', 'version'] as const) {
    if (projected[field] !== state[field]) diffs.push(`${field} ${String(projected[field])} in Postgres, ${String(state[field])} in the workflow`);
  }
  const inWorkflow = new Map(state.refunds.map((r) => [r.id, r.status]));
  const inPostgres = new Map(projected.refunds.map((r) => [r.id, r.status]));
  for (const id of new Set([...inWorkflow.keys(), ...inPostgres.keys()])) {
    if (inWorkflow.get(id) !== inPostgres.get(id)) diffs.push(`refund ${id} ${inPostgres.get(id) ?? 'missing'} in Postgres, ${inWorkflow.get(id) ?? 'missing'} in the workflow`);
  }
  return diffs.length ? diffs.join('; ') : undefined;
}

export async function checkInvariants(db: Db, temporal: Client, merchantId: string, runs: OrderRun[], findings: Finding[] = []): Promise<CheckReport> {
  const results = new Map<CheckName, { passed: number; failed: number }>(CHECKS.map((name) => [name, { passed: 0, failed: 0 }]));
  const violations: string[] = [];
  const check = (name: CheckName, subject: string, problem: string | undefined) => {
    const result = results.get(name)!;
    if (problem === undefined) result.passed += 1;
    else {
      result.failed += 1;
      violations.push(`${subject}: ${name}: ${problem}`);
    }
  };

  const orders = await loadOrders(db, merchantId);
  const sandboxPayments = await db.selectFrom('sandboxPayments').select(['id', 'orderNo', 'status', 'capturedAmount', 'chargeCount']).where('merchantId', '=', merchantId).execute();
  const sandboxRefunds = await db
    .selectFrom('sandboxRefunds')
    .innerJoin('sandboxPayments', 'sandboxPayments.id', 'sandboxRefunds.paymentId')
    .select(['sandboxRefunds.id', 'sandboxRefunds.paymentId', 'sandboxRefunds.amount', 'sandboxRefunds.status'])
    .where('sandboxPayments.merchantId', '=', merchantId)
    .execute();

  for (const order of orders) {
    const subject = `order ${order.id} (${order.orderNo}, ${order.status})`;
    check('final or legitimate wait', subject, isSettled(order, order.gatewayPending) ? undefined : `still ${order.status}${order.refunds.some((r) => r.status === 'processing') ? ' with a refund processing' : ''}`);

    const paymentIds = new Set(order.payments.map((p) => p.id));
    const atGateway = sandboxPayments.filter((p) => paymentIds.has(p.id) || p.orderNo === order.orderNo);
    const charged = atGateway.filter((p) => p.status === 'succeeded');
    const overCharged = atGateway.filter((p) => p.chargeCount > 1);
    check(
      'at most one charge',
      subject,
      charged.length > 1 || overCharged.length > 0 ? `${charged.length} succeeded gateway payments, charge counts ${atGateway.map((p) => p.chargeCount).join(',')}` : undefined,
    );

    check('refunded <= paid', subject, order.refundedAmount <= order.paidAmount ? undefined : `refunded ${order.refundedAmount} > paid ${order.paidAmount}`);

    const captured = charged.reduce((sum, p) => sum + (p.capturedAmount ?? 0), 0);
    const gatewayRefunds = sandboxRefunds.filter((r) => paymentIds.has(r.paymentId));
    const refundedAtGateway = gatewayRefunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
    const stuck = gatewayRefunds.filter((r) => r.status === 'processing');
    const ledger: string[] = [];
    if (captured !== order.paidAmount) ledger.push(`gateway captured ${captured}, Postgres paid ${order.paidAmount}`);
    if (refundedAtGateway !== order.refundedAmount) ledger.push(`gateway refunded ${refundedAtGateway}, Postgres refunded ${order.refundedAmount}`);
    if (stuck.length) ledger.push(`gateway refunds still processing: ${stuck.map((r) => r.id).join(', ')}`);
    const unknownRefunds = gatewayRefunds.filter((r) => !order.refunds.some((ours) => ours.id === r.id));
    if (unknownRefunds.length) ledger.push(`gateway refunds Paystead does not know: ${unknownRefunds.map((r) => `${r.id} ${r.amount} ${r.status}`).join(', ')}`);
    check('gateway ledger == Postgres', subject, ledger.length ? ledger.join('; ') : undefined);

    const succeeded = order.refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
    check('Postgres refunds add up', subject, succeeded === order.refundedAmount ? undefined : `succeeded refunds sum to ${succeeded}, refunded_amount is ${order.refundedAmount}`);

    check('Postgres == workflow state', subject, await compareWithWorkflow(db, temporal, merchantId, order));
    check('test orders only', subject, order.livemode ? 'a live order in a run that uses test keys only' : undefined);
  }

  const received = await db.selectFrom('webhookEvents').select(['id', 'paymentId', 'refundId', 'orderId', 'receivedAt']).where('merchantId', '=', merchantId).where('status', '=', 'received').execute();
  const events = await db.selectFrom('webhookEvents').select('id').where('merchantId', '=', merchantId).execute();
  for (const event of events) {
    const stale = received.find((r) => r.id === event.id);
    const order = stale && orders.find((o) => o.id === stale.orderId || o.payments.some((p) => p.id === stale.paymentId));
    check(
      'notifications processed',
      stale ? `order ${order?.id ?? '?'} (webhook event ${event.id})` : event.id,
      stale ? `left "received" since ${stale.receivedAt.toISOString()} (payment ${stale.paymentId ?? '-'}, refund ${stale.refundId ?? '-'})` : undefined,
    );
  }

  // One order per checkout: per idempotency key one row, one order id answered, one workflow run.
  const workflows = new Map<string, string[]>();
  for await (const info of temporal.workflow.list({ query: `PaysteadMerchantId = "${merchantId}"` })) {
    workflows.set(info.workflowId, [...(workflows.get(info.workflowId) ?? []), info.typedSearchAttributes.get(ORDER_SEARCH_KEYS.orderNo) ?? '?']);
    const livemode = info.typedSearchAttributes.get(ORDER_SEARCH_KEYS.livemode);
    if (livemode !== false) check('test orders only', `workflow ${info.workflowId}`, `PaysteadLivemode is ${String(livemode)}, not false`);
  }
  for (const run of runs) {
    const rows = orders.filter((o) => o.idempotencyKey === run.idempotencyKey);
    const problems: string[] = [...run.problems];
    if (run.orderIds.size > 1) problems.push(`retries of one checkout answered different orders: ${[...run.orderIds].join(', ')}`);
    if (run.orderId && rows.length === 0) problems.push('the checkout answered 201 but there is no order row');
    if (rows.length > 1) problems.push(`${rows.length} order rows for one Idempotency-Key: ${rows.map((r) => r.id).join(', ')}`);
    for (const row of rows) {
      if (run.orderId && row.id !== run.orderId) problems.push(`order row ${row.id} is not the order the checkout answered (${run.orderId})`);
      const runsOf = workflows.get(row.workflowId);
      if (!runsOf) problems.push(`no workflow ${row.workflowId} found for the order`);
      else if (runsOf.length > 1) problems.push(`${runsOf.length} workflow runs for the order`);
      else if (runsOf[0] !== row.orderNo) problems.push(`its workflow carries order number ${runsOf[0]}`);
    }
    check('one order per checkout', `order ${run.orderId ?? '(none)'} (checkout #${run.index}, key ${run.idempotencyKey})`, problems.length ? problems.join('; ') : undefined);
  }
  const known = new Set(runs.map((r) => r.idempotencyKey));
  for (const row of orders.filter((o) => !known.has(o.idempotencyKey))) {
    check('one order per checkout', `order ${row.id}`, `created for key ${row.idempotencyKey}, which no checkout used`);
  }
  const workflowOfOrder = new Set(orders.map((o) => o.workflowId));
  for (const workflowId of workflows.keys()) {
    if (!workflowOfOrder.has(workflowId)) check('one order per checkout', `workflow ${workflowId}`, 'an order workflow without an order row');
  }
  for (const finding of findings) check(finding.name, finding.subject, finding.problem);
  return { results, violations };
}

/** The projection against the workflow's own state; retried briefly, since a running order may still move. */
async function compareWithWorkflow(db: Db, temporal: Client, merchantId: string, order: ProjectedOrder): Promise<string | undefined> {
  const handle = temporal.workflow.getHandle(order.workflowId);
  let problem: string | undefined;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    try {
      const description = await handle.describe();
      let state: OrderState;
      if (description.status.name === 'RUNNING') state = await handle.query(stateQuery);
      else if (description.status.name === 'COMPLETED') state = (await handle.result()) as OrderState;
      else return `the workflow is ${description.status.name}`;
      const fresh = (await loadOrders(db, merchantId)).find((o) => o.id === order.id) ?? order;
      problem = sameState(fresh, state);
      if (!problem) return undefined;
    } catch (error) {
      problem = `could not read the workflow: ${error instanceof Error ? error.message : String(error)}`;
    }
    await sleep(750);
  }
  return problem;
}
