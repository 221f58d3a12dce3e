// A Temporal Schedule per merchant, mode and configured gateway runs its daily reconciliation: created or
// updated (and resumed) when the gateway's credentials are set, paused when they are removed. It fires
// each morning in the gateway's settlement zone, once the day before is over and its statement is out;
// each run reconciles yesterday and catches up on days missed (activities/reconciliation.ts).
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';
import type { ReconciliationInput } from '../workflows/reconciliation.js';

export interface ScheduleTarget {
  merchantId: string;
  mode: Mode;
  gateway: GatewayName;
}

export function reconciliationScheduleId({ merchantId, mode, gateway }: ScheduleTarget): string {
  return `reconciliation-${merchantId}-${mode}-${gateway}`;
}

/** When the schedule fires: Chinese gateways' bills are out by 10:00 Beijing time, Stripe's day by 02:00 UTC. */
export function scheduleSpecOf(gateway: GatewayName, merchantTimeZone: string): { hour: number; timeZone: string } {
  if (gateway === 'stripe') return { hour: 2, timeZone: 'UTC' };
  if (gateway === 'sandbox') return { hour: 2, timeZone: merchantTimeZone };
  return { hour: 10, timeZone: 'Asia/Shanghai' };
}

function options(target: ScheduleTarget, taskQueue: string, merchantTimeZone: string): ScheduleOptions {
  const { hour, timeZone } = scheduleSpecOf(target.gateway, merchantTimeZone);
  const input: ReconciliationInput = { merchantId: target.merchantId, mode: target.mode, gateway: target.gateway };
  return {
    scheduleId: reconciliationScheduleId(target),
    spec: { calendars: [{ hour, minute: 0 }], timezone: timeZone },
    action: { type: 'startWorkflow', workflowType: 'reconciliationWorkflow', taskQueue, args: [input] },
    // Missed firings are not replayed one by one: the next run catches up on every day missed.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the schedule, or updates and resumes the one there. */
export async function ensureReconciliationSchedule(temporal: Client, taskQueue: string, target: ScheduleTarget, merchantTimeZone: string): Promise<void> {
  const wanted = options(target, taskQueue, merchantTimeZone);
  try {
    await temporal.schedule.create(wanted);
    return;
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = temporal.schedule.getHandle(wanted.scheduleId);
  // One update, resumed in it: a separate unpause could be overtaken by the update's copy of the paused state.
  await handle.update((previous) => ({ ...previous, spec: wanted.spec, action: wanted.action, policies: { ...previous.policies, ...wanted.policies }, state: { ...previous.state, paused: false, note: 'Gateway credentials set.' } }));
}

/** Pauses the schedule, if there is one. */
export async function pauseReconciliationSchedule(temporal: Client, target: ScheduleTarget, note: string): Promise<void> {
  try {
    await temporal.schedule.getHandle(reconciliationScheduleId(target)).pause(note);
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}
