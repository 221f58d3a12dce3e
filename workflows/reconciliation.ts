// One reconciliation run of a merchant's gateway account (per mode): the day asked for, or (started by its
// schedule) yesterday and any day missed since the last one reconciled. A statement not ready yet is asked
// for again later the same day; one that cannot be read fails its day with the gateway's words. Each day
// reconciled hands what the orders can take to their workflows; the rest stays open for people.
import { isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DayOutcome } from '../activities/reconciliation.js';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';
import { deepestMessage } from './activity-proxies.js';

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

const { planReconciliation, reconcileDay, recordDayFailure, actOnDiscrepancies } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12 },
});

export async function reconciliationWorkflow(input: ReconciliationInput): Promise<ReconciliationDay[]> {
  const target = { merchantId: input.merchantId, mode: input.mode, gateway: input.gateway };
  const { timeZone, dates } = await planReconciliation({ ...target, ...(input.date !== undefined && { date: input.date }) });
  const days: ReconciliationDay[] = [];
  // A day whose statement could not be had even after the activity's retries is recorded as failed, with
  // the last error, and the next days still run.
  const reconcile = async (date: string): Promise<DayOutcome> => {
    const day = { date, timeZone };
    try {
      return await reconcileDay({ ...target, day });
    } catch (error) {
      if (isCancellation(error)) throw error;
      return recordDayFailure({ ...target, day, error: deepestMessage(error) });
    }
  };
  for (const date of dates) {
    let outcome = await reconcile(date);
    for (let attempt = 1; outcome.status === 'waiting' && attempt < (input.notReadyAttempts ?? 12); attempt += 1) {
      await sleep((input.notReadyRetrySeconds ?? 3600) * 1000);
      outcome = await reconcile(date);
    }
    const acted = outcome.status === 'completed' ? await actOnDiscrepancies({ merchantId: input.merchantId, mode: input.mode, runId: outcome.runId }) : { applied: 0, open: 0 };
    days.push({ ...outcome, ...acted });
  }
  return days;
}
