// Reconciliation's activities: which days to reconcile, one day (fetch the statement, match it against our
// books, store the run), and acting on what the order's workflow can take (an external refund, a payment
// it never heard of). A statement not ready or unreadable is recorded as such, never as a partial run.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Mode } from '../core/modes.js';
import { modeOf } from '../core/modes.js';
import { findPaymentOrder } from '../db/order-reads.js';
import { getSettings } from '../db/merchants.js';
import { closeDiscrepancy, lastCompletedDate, loadBooks, saveCompletedRun, saveUnfinishedRun, selectActionable, type ReconciliationTarget } from '../db/reconciliation.js';
import type { SettlementDay, StatementLine } from '../domain/gateway-statements.js';
import { addDays, datesBetween, previousDay, reconcile, settlementDayBounds, settlementTimeZone } from '../domain/reconciliation.js';
import { loadGatewayContext } from '../gateways/context.js';
import { GatewayError, StatementNotReady, StatementUnreadable } from '../gateways/types.js';
import type { ExternalRefund, paymentNotificationSignal, PaymentSignal, recordExternalRefundUpdate } from '../workflows/messages.js';
import type { ActivityDeps } from './deps.js';

/** How many days back a scheduled run catches up on, at most. */
export const CATCH_UP_DAYS = 7;

// The order workflow's messages by name, checked against their definitions (activities import workflows as types only).
const PAYMENT_NOTIFICATION: (typeof paymentNotificationSignal)['name'] = 'paymentNotification';
const RECORD_EXTERNAL_REFUND: (typeof recordExternalRefundUpdate)['name'] = 'recordExternalRefund';

export interface DayOutcome {
  runId: string;
  date: string;
  status: 'waiting' | 'completed' | 'failed';
  error?: string;
}

export function createReconciliationActivities(deps: ActivityDeps) {
  const { db } = deps;

  return {
    /**
     * The days a run covers: the one asked for, or (scheduled) yesterday in the gateway's zone and every
     * day since the last one reconciled, up to `CATCH_UP_DAYS`.
     */
    async planReconciliation(input: ReconciliationTarget & { date?: string }): Promise<{ timeZone: string; dates: string[] }> {
      const settings = await getSettings(db, input.merchantId);
      const timeZone = settlementTimeZone(input.gateway, settings.timeZone);
      if (input.date !== undefined) return { timeZone, dates: [input.date] };
      const yesterday = previousDay(new Date(), timeZone).date;
      const earliest = addDays(yesterday, 1 - CATCH_UP_DAYS);
      const last = await lastCompletedDate(db, input);
      const next = last === undefined ? yesterday : addDays(last, 1);
      const from = next < earliest ? earliest : next;
      return { timeZone, dates: datesBetween(from, yesterday) };
    },

    /** Fetches the day's statement, matches it against our books and stores the run. */
    async reconcileDay(input: ReconciliationTarget & { day: SettlementDay }): Promise<DayOutcome> {
      const { day, ...target } = input;
      const adapter = deps.gateways.get(target.gateway, target.mode);
      const unfinished = async (status: 'waiting' | 'failed', error: string): Promise<DayOutcome> => ({ runId: await saveUnfinishedRun(db, target, day, status, error), date: day.date, status, error });
      if (!adapter?.fetchStatement) return unfinished('failed', `The ${target.gateway} gateway gives no statements in ${target.mode} mode here.`);
      const ctx = await loadGatewayContext(deps, target.merchantId, target.gateway, target.mode);
      let lines: StatementLine[];
      try {
        lines = (await adapter.fetchStatement(ctx, day)).lines;
      } catch (error) {
        if (error instanceof StatementNotReady) return unfinished('waiting', error.message);
        if (error instanceof StatementUnreadable) return unfinished('failed', error.message);
        if (error instanceof GatewayError && !error.retryable) return unfinished('failed', `${target.gateway}: ${error.message}`);
        throw error;
      }
      const named = {
        paymentIds: lines.flatMap((l) => (l.kind === 'payment' && l.ourId !== undefined ? [l.ourId] : [])),
        refundIds: lines.flatMap((l) => (l.kind === 'refund' && l.ourId !== undefined ? [l.ourId] : [])),
      };
      const books = await loadBooks(db, target, settlementDayBounds(target.gateway, day), named);
      const runId = await saveCompletedRun(db, target, day, reconcile(lines, books));
      return { runId, date: day.date, status: 'completed' };
    },

    /** Records a day whose statement could not be had after every retry (the last error's words). */
    async recordDayFailure(input: ReconciliationTarget & { day: SettlementDay; error: string }): Promise<DayOutcome> {
      const { day, error, ...target } = input;
      return { runId: await saveUnfinishedRun(db, target, day, 'failed', error), date: day.date, status: 'failed', error };
    },

    /**
     * Hands the run's actionable discrepancies to their orders' workflows, the single writers: an external
     * refund is recorded (an update, refused when it does not fit), a payment is delivered as its
     * notification would have been. Each handed over is marked applied; the rest stay open for a person.
     */
    async actOnDiscrepancies(input: { merchantId: string; mode: Mode; runId: string }): Promise<{ applied: number; open: number }> {
      let applied = 0;
      let open = 0;
      for (const discrepancy of await selectActionable(db, input.runId)) {
        const line = discrepancy.line;
        const order = discrepancy.paymentId === null ? undefined : await findPaymentOrder(db, input.merchantId, discrepancy.paymentId);
        if (!line || !order || modeOf(order.livemode) !== input.mode) {
          open += 1;
          continue;
        }
        const handle = deps.temporal.workflow.getHandle(order.workflowId);
        try {
          if (discrepancy.action === 'record_external_refund') {
            const refundId = line.ourId ?? `ext_${line.gatewayReference ?? discrepancy.id}`;
            await handle.executeUpdate<unknown, [ExternalRefund]>(RECORD_EXTERNAL_REFUND, {
              args: [{ refundId, amount: line.amount, currency: line.currency, occurredAt: line.occurredAt, ...(line.gatewayReference !== undefined && { gatewayReference: line.gatewayReference }) }],
            });
          } else {
            await handle.signal<[PaymentSignal]>(PAYMENT_NOTIFICATION, {
              eventId: `statement:${discrepancy.paymentId}`,
              paymentId: discrepancy.paymentId!,
              status: 'succeeded',
              amount: line.amount,
              currency: line.currency,
              occurredAt: line.occurredAt,
              ...(line.gatewayReference !== undefined && { gatewayReference: line.gatewayReference }),
            });
          }
        } catch (error) {
          // The order's run has ended, or it refused the change: a person decides.
          if (error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError || isCompleted(error)) {
            open += 1;
            continue;
          }
          throw error;
        }
        await closeDiscrepancy(db, input.merchantId, discrepancy.id, 'applied', discrepancy.action);
        applied += 1;
      }
      return { applied, open };
    },
  };
}

/** An update sent to a workflow that has already completed. */
function isCompleted(error: unknown): boolean {
  return error instanceof Error && /already completed|workflow execution already completed/i.test(error.message);
}
