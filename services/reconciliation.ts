// Reconciliation as people see it, for the admin API and the page alike: runs per day and gateway with
// their counts, totals and fees, discrepancies to resolve with a note, a day reconciled again, a run's
// lines as CSV, and the notifications no order took. All within one merchant scope (merchant and mode).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from '@hono/zod-openapi';
import { ApiError } from '../core/errors.js';
import { metrics } from '../core/metrics.js';
import type { MerchantScope } from '../core/modes.js';
import { getSettings } from '../db/merchants.js';
import { closeDiscrepancy, countOpenDiscrepancies, findRun, selectDiscrepancies, selectRunLines, selectRuns, selectUnmatchedNotifications, type RunFilter } from '../db/reconciliation.js';
import { GATEWAYS, type GatewayName } from '../domain/gateways.js';
import { ensureReconciliationSchedule, pauseReconciliationSchedule } from './reconciliation-schedules.js';
import type { ReconciliationInput } from '../workflows/reconciliation.js';
import type { AppDeps } from './deps.js';

const iso = (value: Date | string | null) => (value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString());

export const SettlementDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date')
  .openapi({ example: '2026-12-02' });

export const RunListQuery = z.object({
  gateway: z.enum(GATEWAYS).optional(),
  from: SettlementDate.optional(),
  to: SettlementDate.optional(),
});

export const ResolveSchema = z.object({ note: z.string().trim().min(1).max(2000) });
export const RerunSchema = z.object({ gateway: z.enum(GATEWAYS), date: SettlementDate });

/** The scope's runs, newest day first: counts by outcome, totals and fees per currency, open discrepancies. */
export async function listRuns(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, filter: RunFilter = {}) {
  const rows = await selectRuns(deps.db, scope, filter);
  return rows.map((r) => ({
    id: r.id,
    gateway: r.gateway,
    date: r.settlementDate,
    timeZone: r.timeZone,
    status: r.status,
    error: r.error,
    counts: r.counts,
    totals: r.totals,
    openDiscrepancies: r.openDiscrepancies,
    attempts: r.attempts,
    finishedAt: iso(r.finishedAt),
  }));
}

export type RunView = Awaited<ReturnType<typeof listRuns>>[number];

/** Discrepancies of one run, or the scope's open ones; each with its order and statement line. */
export async function listDiscrepancies(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, filter: { id?: string; runId?: string; status?: 'open' | 'applied' | 'resolved' }) {
  const rows = await selectDiscrepancies(deps.db, scope, filter);
  return rows.map((d) => ({
    id: d.id,
    runId: d.runId,
    gateway: d.gateway,
    date: d.settlementDate,
    kind: d.kind,
    outcome: d.outcome,
    ourId: d.ourId,
    paymentId: d.paymentId,
    orderId: d.orderId,
    line: d.line,
    entry: d.entry,
    action: d.action,
    status: d.status,
    note: d.note,
    updatedAt: iso(d.updatedAt),
  }));
}

export type DiscrepancyView = Awaited<ReturnType<typeof listDiscrepancies>>[number];

async function requireRun(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, runId: string) {
  const run = await findRun(deps.db, scope, runId);
  if (!run) throw new ApiError(404, 'not_found', `No reconciliation run ${runId}.`);
  return run;
}

/** One run as listed, with its discrepancies. */
export async function runWithDiscrepancies(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, runId: string): Promise<{ run: RunView; discrepancies: DiscrepancyView[] }> {
  const [run] = await listRuns(deps, scope, { id: runId });
  if (!run) throw new ApiError(404, 'not_found', `No reconciliation run ${runId}.`);
  return { run, discrepancies: await listDiscrepancies(deps, scope, { runId }) };
}

/** Closes an open discrepancy with a person's note. */
export async function resolveDiscrepancy(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, id: string, note: string): Promise<DiscrepancyView> {
  const [found] = await listDiscrepancies(deps, scope, { id });
  if (!found) throw new ApiError(404, 'not_found', `No discrepancy ${id}.`);
  if (!(await closeDiscrepancy(deps.db, scope.merchantId, id, 'resolved', note))) throw new ApiError(409, 'not_open', `The discrepancy is ${found.status}, not open.`);
  return { ...found, status: 'resolved', note };
}

/** Reconciles one day of one gateway again (or for the first time); a run of that day already going is answered. */
export async function rerunDay(deps: AppDeps, scope: MerchantScope, gateway: GatewayName, date: string): Promise<{ workflowId: string; started: boolean }> {
  if (!deps.gateways.get(gateway, scope.mode)) throw new ApiError(422, 'gateway_unavailable', `The ${gateway} gateway is not offered in ${scope.mode} mode here.`);
  const workflowId = `reconciliation-${scope.merchantId}-${scope.mode}-${gateway}-${date}`;
  const input: ReconciliationInput = { merchantId: scope.merchantId, mode: scope.mode, gateway, date };
  try {
    await deps.temporal.workflow.start('reconciliationWorkflow', { taskQueue: deps.config.temporal.taskQueue, workflowId, args: [input] });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

const CSV_COLUMNS = ['date', 'gateway', 'seq', 'kind', 'outcome', 'our_id', 'payment_id', 'order_id', 'gateway_reference', 'amount', 'currency', 'fee', 'occurred_at', 'raw'] as const;

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quoted when it must be; a leading = + - @ is defused so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The run's statement lines as matched, one CSV row each. */
export async function runCsv(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, runId: string): Promise<{ filename: string; body: string }> {
  const run = await requireRun(deps, scope, runId);
  const lines = await selectRunLines(deps.db, run.id);
  const rows = lines.map((l) => [run.settlementDate, run.gateway, l.seq, l.kind, l.outcome, l.ourId, l.paymentId, l.orderId, l.gatewayReference, l.amount, l.currency, l.fee, iso(l.occurredAt), l.raw].map(csvField).join(','));
  return { filename: `reconciliation-${run.gateway}-${run.settlementDate}.csv`, body: [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n' };
}

export async function unmatchedNotifications(deps: Pick<AppDeps, 'db'>, scope: MerchantScope) {
  return selectUnmatchedNotifications(deps.db, scope);
}

/** After a gateway's credentials are set: its daily reconciliation is scheduled (or resumed). */
export async function scheduleReconciliation(deps: AppDeps, scope: MerchantScope, gateway: GatewayName): Promise<void> {
  const settings = await getSettings(deps.db, scope.merchantId);
  await ensureReconciliationSchedule(deps.temporal, deps.config.temporal.taskQueue, { ...scope, gateway }, settings.timeZone);
}

/** After a gateway's credentials are removed: its daily reconciliation is paused. */
export async function pauseReconciliation(deps: AppDeps, scope: MerchantScope, gateway: GatewayName): Promise<void> {
  await pauseReconciliationSchedule(deps.temporal, { ...scope, gateway }, 'Gateway credentials removed.');
}

/** Brings the open-discrepancy gauge up to date (at each scrape of the API's `/metrics`). */
export async function refreshDiscrepancyMetric(deps: Pick<AppDeps, 'db'>): Promise<void> {
  const counts = await countOpenDiscrepancies(deps.db);
  metrics.openDiscrepancies(counts.map((row) => ({ gateway: row.gateway, mode: row.mode, open: Number(row.open) })));
}
