// One reconciliation run of a merchant's gateway account (per mode): the day asked for, or (started by its
// schedule) yesterday and any day missed since the last one reconciled. A statement not ready yet is asked
// for again later the same day; one that cannot be read fails its day with the gateway's words. Each day
// reconciled hands what the orders can take to their workflows; the rest stays open for people.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DayOutcome } from '../activities/reconciliation.js';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';

export interface ReconciliationInput {
  merchantId: string;
  mode: Mode;
  gateway: GatewayName;
  /** `YYYY-MM-DD`: this day only (a rerun). Absent: yesterday in the gateway's zone, and days missed. */
  date?: string;
  /** How long to wait before asking again for a statement not ready (default an hour), and how often (default 12). */
  notReadyRetrySeconds?: number;
  notReadyAttempts?: number;
}

export interface ReconciliationDay extends DayOutcome {
  applied: number;
  open: number;
}

const { planReconciliation, reconcileDay, actOnDiscrepancies } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12 },
});

export async function reconciliationWorkflow(input: ReconciliationInput): Promise<ReconciliationDay[]> {
  const target = { merchantId: input.merchantId, mode: input.mode, gateway: input.gateway };
  const { timeZone, dates } = await planReconciliation({ ...target, ...(input.date !== undefined && { date: input.date }) });
  const days: ReconciliationDay[] = [];
  for (const date of dates) {
    let outcome = await reconcileDay({ ...target, day: { date, timeZone } });
    for (let attempt = 1; outcome.status === 'waiting' && attempt < (input.notReadyAttempts ?? 12); attempt += 1) {
      await sleep((input.notReadyRetrySeconds ?? 3600) * 1000);
      outcome = await reconcileDay({ ...target, day: { date, timeZone } });
    }
    const acted = outcome.status === 'completed' ? await actOnDiscrepancies({ merchantId: input.merchantId, mode: input.mode, runId: outcome.runId }) : { applied: 0, open: 0 };
    days.push({ ...outcome, ...acted });
  }
  return days;
}
