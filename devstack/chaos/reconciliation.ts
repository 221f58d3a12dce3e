// After the faults: a few orders are paid (the run's own are all final by now, their workflows ended) and a
// refund made in the sandbox's own dashboard is planted on each; the
// payments whose notifications were all dropped are noted, and the run's days are reconciled through the
// admin API. Reconciliation must find every planted refund (recorded on its order), match every payment
// the notifications never told of, and leave no discrepancy nobody can explain.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/database.js';
import { getSettings } from '../../db/merchants.js';
import { localDate, settlementTimeZone } from '../../domain/reconciliation.js';
import type { Http } from './http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orders still running that can take a refund from outside. */
const REFUNDABLE = ['paid', 'confirmed', 'shipped'] as const;
const PLANTED_REFUNDS = 3;
/** Each planted refund, minor units: below any order's total. */
const PLANTED_AMOUNT = 100;
/** A day's run reads one statement and hands a few refunds on: minutes at most, even on a loaded machine. */
const RUN_DEADLINE_MS = 180_000;

/** Whether `work` settled within `ms` (its error, if any, is thrown). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReconciliationCheck {
  passed: number;
  failed: number;
  violations: string[];
  summary: string;
}

export async function checkReconciliation(
  deps: { db: Db; http: Http; client: Client; say: (line: string) => void },
  merchant: { merchantId: string; secretKey: string; adminKey: string; sandboxKey: string },
  runStartedAt: number,
): Promise<ReconciliationCheck> {
  const { db, http, client, say } = deps;
  const violations: string[] = [];
  let passed = 0;
  const check = (ok: boolean, violation: string) => {
    if (ok) passed += 1;
    else violations.push(`reconciliation: ${violation}`);
  };
  const sandbox = (method: string, path: string, body: unknown) => http.retrying(method, `/sandbox/api/merchants/${merchant.merchantId}/control${path}`, { key: merchant.sandboxKey, body });
  const admin = (method: string, path: string, body?: unknown) => http.retrying(method, `/v1/admin/reconciliation${path}`, { key: merchant.adminKey, ...(body !== undefined && { body }) });

  for (let i = 1; i <= PLANTED_REFUNDS; i += 1) {
    const created = await http.retrying('POST', '/v1/checkouts', {
      key: merchant.secretKey,
      headers: { 'idempotency-key': `reconciliation-${runStartedAt}-${i}` },
      body: { items: [{ sku: 'TEA', quantity: 1 }], customer: { name: `Reconciled Customer ${i}`, email: `r${i}@chaos.test`, phone: '+86 138 0000 0000' }, shippingAddress: { line1: '1 Chaos Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' }, paymentMethod: 'sandbox' },
    });
    if (created.status !== 201) {
      violations.push(`reconciliation: checkout answered HTTP ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`);
      continue;
    }
    await sandbox('POST', `/payments/${created.body.payment.id as string}/complete`, { outcome: 'succeeded' });
    for (let t = 0; t < 60; t += 1) {
      const order = await db.selectFrom('orders').select('status').where('id', '=', created.body.order.id as string).executeTakeFirst();
      if (order?.status === 'paid') break;
      await sleep(500);
    }
  }

  // Refunds made at the gateway only, on orders whose workflow still runs and has room for them.
  const candidates = await db
    .selectFrom('orders')
    .innerJoin('payments', 'payments.orderId', 'orders.id')
    .select(['orders.id as orderId', 'payments.id as paymentId', 'orders.refundedAmount'])
    .where('orders.merchantId', '=', merchant.merchantId)
    .where('orders.status', 'in', REFUNDABLE)
    .where('payments.status', '=', 'succeeded')
    .where((eb) => eb('orders.paidAmount', '-', eb.ref('orders.refundedAmount')), '>', PLANTED_AMOUNT)
    .orderBy('orders.orderNo')
    .limit(PLANTED_REFUNDS)
    .execute();
  const planted: typeof candidates = [];
  for (const candidate of candidates) {
    const response = await sandbox('POST', `/payments/${candidate.paymentId}/dashboard-refund`, { amount: PLANTED_AMOUNT });
    if (response.status === 200) planted.push(candidate);
    else violations.push(`reconciliation: planting a dashboard refund on ${candidate.paymentId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  }

  // Payments the gateway took whose every notification was dropped: no notification of them was stored.
  const unheard = await db
    .selectFrom('payments')
    .select(['payments.id'])
    .where('payments.merchantId', '=', merchant.merchantId)
    .where('payments.status', '=', 'succeeded')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhookEvents').select('webhookEvents.id').whereRef('webhookEvents.paymentId', '=', 'payments.id'))))
    .execute();
  say(`reconciliation: planted ${planted.length} dashboard refunds; ${unheard.length} paid payments whose notifications were all dropped`);

  // Today's statement is given at once; every day the run touched is reconciled through the admin API.
  await sandbox('PUT', '/behaviour', { openDayStatements: true });
  const timeZone = settlementTimeZone('sandbox', (await getSettings(db, merchant.merchantId)).timeZone);
  const dates = [...new Set([localDate(new Date(runStartedAt), timeZone), localDate(new Date(), timeZone)])];
  const runIds: string[] = [];
  for (const date of dates) {
    const started = await admin('POST', '/runs', { gateway: 'sandbox', date });
    if (started.status !== 202) {
      violations.push(`reconciliation: reconciling ${date}: HTTP ${started.status} ${JSON.stringify(started.body)}`);
      continue;
    }
    const finished = await within(client.workflow.getHandle(started.body.workflowId as string).result(), RUN_DEADLINE_MS);
    if (!finished) {
      const pending = await client.workflow.getHandle(started.body.workflowId as string).describe().then((d) => d.raw.pendingActivities ?? []);
      const why = pending.map((a) => `${a.activityType?.name ?? 'activity'} attempt ${a.attempt}: ${a.lastFailure?.message ?? 'no failure'}`).join('; ');
      violations.push(`reconciliation: the run of ${date} did not finish within ${RUN_DEADLINE_MS / 1000}s${why ? ` (${why})` : ''}`);
      await client.workflow.getHandle(started.body.workflowId as string).terminate('the fault run stopped waiting for it');
      continue;
    }
    const runs = await admin('GET', `/runs?gateway=sandbox&from=${date}&to=${date}`);
    const run = (runs.body?.runs ?? []).find((r: { date: string }) => r.date === date);
    check(run?.status === 'completed', `the run of ${date} is ${run?.status ?? 'missing'}: ${run?.error ?? ''}`);
    if (run) runIds.push(run.id as string);
  }

  const discrepancies = runIds.length === 0 ? [] : await db.selectFrom('reconciliationDiscrepancies').selectAll().where('runId', 'in', runIds).execute();
  const lines = runIds.length === 0 ? [] : await db.selectFrom('reconciliationLines').select(['kind', 'outcome', 'paymentId']).where('runId', 'in', runIds).execute();
  for (const p of planted) {
    const found = discrepancies.filter((d) => d.kind === 'refund' && d.outcome === 'gateway_only' && d.paymentId === p.paymentId);
    check(found.length === 1 && found[0]!.status === 'applied', `the dashboard refund of ${p.paymentId} was found ${found.length} times (${found.map((d) => d.status).join(', ')})`);
    // The order's workflow took it; its projection follows within moments.
    const carried = async () => {
      const recorded = await db.selectFrom('refunds').select(['amount', 'status']).where('paymentId', '=', p.paymentId).where('initiatedBy', '=', 'gateway').execute();
      const order = await db.selectFrom('orders').select('refundedAmount').where('id', '=', p.orderId).executeTakeFirstOrThrow();
      const ok = recorded.length === 1 && recorded[0]!.status === 'succeeded' && recorded[0]!.amount === PLANTED_AMOUNT && order.refundedAmount === p.refundedAmount + PLANTED_AMOUNT;
      return { ok, seen: `${JSON.stringify(recorded)}, refunded ${order.refundedAmount}` };
    };
    let seen = await carried();
    for (let i = 0; i < 30 && !seen.ok; i += 1) {
      await sleep(1000);
      seen = await carried();
    }
    check(seen.ok, `order ${p.orderId} does not carry its dashboard refund (${seen.seen})`);
  }
  for (const { id } of unheard) {
    const line = lines.find((l) => l.kind === 'payment' && l.paymentId === id);
    check(line?.outcome === 'matched', `payment ${id}, never notified, is ${line?.outcome ?? 'not on the statement'}`);
  }
  const plantedPayments = new Set(planted.map((p) => p.paymentId));
  const unexplained = discrepancies.filter((d) => !(d.kind === 'refund' && d.outcome === 'gateway_only' && d.paymentId !== null && plantedPayments.has(d.paymentId)));
  check(unexplained.length === 0, `unexplained discrepancies: ${unexplained.map((d) => `${d.kind} ${d.outcome} ${d.paymentId ?? ''} (${d.status})`).join('; ')}`);
  const open = await admin('GET', '/discrepancies?status=open');
  check((open.body?.discrepancies ?? []).length === 0, `open discrepancies: ${JSON.stringify(open.body?.discrepancies)}`);

  const summary = `${dates.join(', ')}: ${lines.length} lines, ${planted.length} dashboard refunds planted, ${unheard.length} unnotified payments, ${discrepancies.length} discrepancies`;
  return { passed, failed: violations.length, violations, summary };
}
