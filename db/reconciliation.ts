// Reconciliation's books and records: our payments and refunds of a settlement day as matching reads them,
// the runs with their lines, and the discrepancies people see and resolve. A run is one row per merchant,
// mode, gateway and day: a rerun replaces its lines and keeps its discrepancies (by item key), so what a
// person resolved, or what was handed to an order, stays so.
import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import { isLive, type MerchantScope, type Mode } from '../core/modes.js';
import type { SettlementDay } from '../domain/gateway-statements.js';
import type { GatewayName } from '../domain/gateways.js';
import { actionFor, itemKey, type BookEntry, type Reconciliation } from '../domain/reconciliation.js';
import type { Db, ReconciliationDiscrepancyTable } from './database.js';

export interface ReconciliationTarget {
  merchantId: string;
  mode: Mode;
  gateway: GatewayName;
}

/** The run's id: one per merchant, mode, gateway and day, whichever run wrote it. */
export function runId(target: ReconciliationTarget, date: string): string {
  return `rcn_${target.mode}_${target.gateway}_${date}_${target.merchantId}`;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * Our books for the day: payments and refunds of this gateway account settled within [start, end), and
 * any other the statement names (to tell "another status" from "unknown").
 */
export async function loadBooks(db: Db, target: ReconciliationTarget, bounds: { start: Date; end: Date }, named: { paymentIds: string[]; refundIds: string[] }): Promise<BookEntry[]> {
  const livemode = isLive(target.mode);
  const inDay = (at: Date | string | null) => at !== null && new Date(at) >= bounds.start && new Date(at) < bounds.end;
  const payments = await db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.orderId')
    .select(['payments.id', 'payments.orderId', 'payments.status', 'payments.amount', 'payments.currency', 'payments.capturedAmount', 'payments.capturedCurrency', 'payments.gatewayReference', 'payments.paidAt'])
    .where('payments.merchantId', '=', target.merchantId)
    .where('payments.gateway', '=', target.gateway)
    .where('orders.livemode', '=', livemode)
    .where((eb) => {
      const ofDay = eb.and([eb('payments.status', '=', 'succeeded'), eb('payments.paidAt', '>=', bounds.start), eb('payments.paidAt', '<', bounds.end)]);
      return named.paymentIds.length > 0 ? eb.or([ofDay, eb('payments.id', 'in', named.paymentIds)]) : ofDay;
    })
    .execute();
  const refunds = await db
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.orderId')
    .select(['refunds.id', 'refunds.orderId', 'refunds.paymentId', 'refunds.status', 'refunds.amount', 'refunds.currency', 'refunds.gatewayReference', 'refunds.updatedAt'])
    .where('refunds.merchantId', '=', target.merchantId)
    .where('orders.paymentMethod', '=', target.gateway)
    .where('orders.livemode', '=', livemode)
    .where((eb) => {
      const ofDay = eb.and([eb('refunds.status', '=', 'succeeded'), eb('refunds.updatedAt', '>=', bounds.start), eb('refunds.updatedAt', '<', bounds.end)]);
      return named.refundIds.length > 0 ? eb.or([ofDay, eb('refunds.id', 'in', named.refundIds)]) : ofDay;
    })
    .execute();
  return [
    ...payments.map((p): BookEntry => {
      const settled = p.status === 'succeeded';
      return {
        kind: 'payment',
        id: p.id,
        orderId: p.orderId,
        paymentId: p.id,
        settled,
        status: p.status,
        amount: p.capturedAmount ?? p.amount,
        currency: p.capturedCurrency ?? p.currency,
        inDay: settled && inDay(p.paidAt),
        ...(p.gatewayReference !== null && { gatewayReference: p.gatewayReference }),
      };
    }),
    ...refunds.map((r): BookEntry => {
      const settled = r.status === 'succeeded';
      return {
        kind: 'refund',
        id: r.id,
        orderId: r.orderId,
        paymentId: r.paymentId,
        settled,
        status: r.status,
        amount: r.amount,
        currency: r.currency,
        inDay: settled && inDay(r.updatedAt),
        ...(r.gatewayReference !== null && { gatewayReference: r.gatewayReference }),
      };
    }),
  ];
}

/** Records that the day's statement is not ready yet, or could not be read (the gateway's words in `error`). */
export async function saveUnfinishedRun(db: Db, target: ReconciliationTarget, day: SettlementDay, status: 'waiting' | 'failed', error: string): Promise<string> {
  const id = runId(target, day.date);
  await db
    .insertInto('reconciliationRuns')
    .values({ id, ...target, settlementDate: day.date, timeZone: day.timeZone, status, error, counts: JSON.stringify({}), totals: JSON.stringify({}), startedAt: new Date(), finishedAt: status === 'failed' ? new Date() : null })
    .onConflict((oc) =>
      // A day once reconciled keeps its result: a later failed attempt only says so in `error`.
      oc.column('id').doUpdateSet((eb) => ({
        status: sql<'waiting' | 'completed' | 'failed'>`case when ${eb.ref('reconciliationRuns.status')} = 'completed' then 'completed' else ${status} end`,
        error,
        attempts: sql<number>`reconciliation_runs.attempts + 1`,
        finishedAt: status === 'failed' ? new Date() : null,
      })),
    )
    .execute();
  return id;
}

/**
 * Stores a completed run: the run's counts and totals, its lines (replacing a rerun's), and a discrepancy
 * per item that did not match, added once per item key (an existing one keeps its status and note).
 */
export async function saveCompletedRun(db: Db, target: ReconciliationTarget, day: SettlementDay, result: Reconciliation): Promise<string> {
  const id = runId(target, day.date);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('reconciliationRuns')
      .values({ id, ...target, settlementDate: day.date, timeZone: day.timeZone, status: 'completed', error: null, counts: JSON.stringify(result.counts), totals: JSON.stringify(result.totals), startedAt: new Date(), finishedAt: new Date() })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ status: 'completed', error: null, counts: JSON.stringify(result.counts), totals: JSON.stringify(result.totals), attempts: sql<number>`reconciliation_runs.attempts + 1`, finishedAt: new Date() }),
      )
      .execute();
    await trx.deleteFrom('reconciliationLines').where('runId', '=', id).execute();
    const lines = result.items.filter((item) => item.line !== undefined);
    if (lines.length > 0) {
      await trx
        .insertInto('reconciliationLines')
        .values(
          lines.map((item, seq) => ({
            runId: id,
            seq: seq + 1,
            outcome: item.outcome,
            kind: item.kind,
            ourId: item.ourId ?? null,
            paymentId: item.paymentId ?? null,
            orderId: item.orderId ?? null,
            gatewayReference: item.line!.gatewayReference ?? null,
            amount: item.line!.amount,
            currency: item.line!.currency,
            fee: item.line!.fee,
            occurredAt: item.line!.occurredAt,
            raw: item.line!.raw,
          })),
        )
        .execute();
    }
    const discrepancies = result.items.filter((item) => item.outcome !== 'matched');
    if (discrepancies.length > 0) {
      await trx
        .insertInto('reconciliationDiscrepancies')
        .values(
          discrepancies.map((item) => ({
            id: newId('dis'),
            runId: id,
            merchantId: target.merchantId,
            itemKey: itemKey(item),
            outcome: item.outcome as ReconciliationDiscrepancyTable['outcome'],
            kind: item.kind,
            ourId: item.ourId ?? null,
            paymentId: item.paymentId ?? null,
            orderId: item.orderId ?? null,
            line: item.line ? JSON.stringify(item.line) : null,
            entry: item.entry ? JSON.stringify(item.entry) : null,
            action: actionFor(item),
            status: 'open' as const,
            note: null,
          })),
        )
        .onConflict((oc) => oc.columns(['runId', 'itemKey']).doNothing())
        .execute();
    }
  });
  return id;
}

/** The run's discrepancies still open that reconciliation can act on itself, through their orders. */
export async function selectActionable(db: Db, id: string) {
  return db.selectFrom('reconciliationDiscrepancies').selectAll().where('runId', '=', id).where('status', '=', 'open').where('action', 'in', ['record_external_refund', 'deliver_payment']).orderBy('itemKey').execute();
}

/** Marks a discrepancy applied (its order recorded it) or resolved by a person, with a note. */
export async function closeDiscrepancy(db: Db, merchantId: string, id: string, status: 'applied' | 'resolved', note: string): Promise<boolean> {
  const updated = await db
    .updateTable('reconciliationDiscrepancies')
    .set({ status, note, updatedAt: new Date() })
    .where('id', '=', id)
    .where('merchantId', '=', merchantId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** The last day reconciled to the end for this account, if any. */
export async function lastCompletedDate(db: Db, target: ReconciliationTarget): Promise<string | undefined> {
  const row = await db
    .selectFrom('reconciliationRuns')
    .select('settlementDate')
    .where('merchantId', '=', target.merchantId)
    .where('mode', '=', target.mode)
    .where('gateway', '=', target.gateway)
    .where('status', '=', 'completed')
    .orderBy('settlementDate', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.settlementDate;
}

// ---- Reads for people ---------------------------------------------------------------------------------

export interface RunFilter {
  id?: string;
  gateway?: GatewayName;
  from?: string;
  to?: string;
  limit?: number;
}

/** The scope's runs, newest day first, with how many of their discrepancies are still open. */
export async function selectRuns(db: Db, scope: MerchantScope, filter: RunFilter = {}) {
  let query = db
    .selectFrom('reconciliationRuns as r')
    .selectAll('r')
    .select((eb) =>
      eb
        .selectFrom('reconciliationDiscrepancies as d')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('d.runId', '=', 'r.id')
        .where('d.status', '=', 'open')
        .as('openDiscrepancies'),
    )
    .where('r.merchantId', '=', scope.merchantId)
    .where('r.mode', '=', scope.mode);
  if (filter.id) query = query.where('r.id', '=', filter.id);
  if (filter.gateway) query = query.where('r.gateway', '=', filter.gateway);
  if (filter.from) query = query.where('r.settlementDate', '>=', filter.from);
  if (filter.to) query = query.where('r.settlementDate', '<=', filter.to);
  const rows = await query.orderBy('r.settlementDate', 'desc').orderBy('r.gateway').limit(filter.limit ?? 60).execute();
  return rows.map((row) => ({ ...row, openDiscrepancies: Number(row.openDiscrepancies ?? 0) }));
}

export async function findRun(db: Db, scope: MerchantScope, id: string) {
  return db.selectFrom('reconciliationRuns').selectAll().where('id', '=', id).where('merchantId', '=', scope.merchantId).where('mode', '=', scope.mode).executeTakeFirst();
}

export async function selectRunLines(db: Db, id: string) {
  return db.selectFrom('reconciliationLines').selectAll().where('runId', '=', id).orderBy('seq').execute();
}

/** The scope's discrepancies: one, one run's, or by status across runs (newest day first). */
export async function selectDiscrepancies(db: Db, scope: MerchantScope, filter: { id?: string; runId?: string; status?: ReconciliationDiscrepancyTable['status'] }) {
  let query = db
    .selectFrom('reconciliationDiscrepancies as d')
    .innerJoin('reconciliationRuns as r', 'r.id', 'd.runId')
    .selectAll('d')
    .select(['r.gateway', 'r.settlementDate'])
    .where('r.merchantId', '=', scope.merchantId)
    .where('r.mode', '=', scope.mode);
  if (filter.id) query = query.where('d.id', '=', filter.id);
  if (filter.runId) query = query.where('d.runId', '=', filter.runId);
  if (filter.status) query = query.where('d.status', '=', filter.status);
  return query.orderBy('r.settlementDate', 'desc').orderBy('d.itemKey').limit(500).execute();
}

/** Verified notifications no order took (unknown payment, or its run had ended): kept for reconciliation. */
export async function selectUnmatchedNotifications(db: Db, scope: MerchantScope, limit = 100) {
  const rows = await db
    .selectFrom('webhookEvents')
    .select(['id', 'gateway', 'kind', 'paymentId', 'refundId', 'orderId', 'providerEventId', 'receivedAt'])
    .where('merchantId', '=', scope.merchantId)
    .where('mode', '=', scope.mode)
    .where('status', '=', 'unmatched')
    .orderBy('receivedAt', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, receivedAt: iso(row.receivedAt) }));
}

/** Open discrepancies per merchant and mode, for the metrics. */
export async function countOpenDiscrepancies(db: Db) {
  return db
    .selectFrom('reconciliationDiscrepancies as d')
    .innerJoin('reconciliationRuns as r', 'r.id', 'd.runId')
    .select(['r.mode', 'r.gateway', (eb) => eb.fn.countAll<number>().as('open')])
    .where('d.status', '=', 'open')
    .groupBy(['r.mode', 'r.gateway'])
    .execute();
}
