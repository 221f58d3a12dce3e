// Hands verified gateway notifications to their orders' workflows, once per provider event, and only to an
// order of the notification's own mode: a test notification (the sandbox's, a gateway's sandbox
// environment's) never moves a live order, nor a live one a test order. Used by the webhook intake right
// after storing an event, and by a sweep that finishes events whose hand-over was interrupted (the process
// died between storing and signalling).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../core/logger.js';
import { modeOf, type Mode } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { findPaymentOrder, findRefundOrder } from '../db/order-reads.js';
import { markEvent, selectStuckEvents, wasEventHandled } from '../db/webhook-events.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import type { GatewayName } from '../domain/gateways.js';
import { paymentNotificationSignal, refundNotificationSignal } from '../workflows/messages.js';

/** `rejected`: verified, but for an order of the other mode; stored as rejected, the order untouched. */
export type DispatchStatus = 'signalled' | 'duplicate' | 'unmatched' | 'rejected';

interface StoredEvent {
  id: string;
  gateway: GatewayName;
  merchantId: string;
  /** The mode the notification came in for (its address). */
  mode: Mode;
}

/** The order a notification belongs to, found through our own payment or refund id, within the merchant. */
async function targetWorkflow(db: Db, merchantId: string, notification: GatewayNotification): Promise<{ orderId: string; workflowId: string; livemode: boolean } | undefined> {
  if (notification.kind === 'payment') return findPaymentOrder(db, merchantId, notification.paymentId);
  const byRefund = await findRefundOrder(db, merchantId, notification.refundId);
  // The refund row may not be projected yet when a fast gateway answers; its payment always is.
  return byRefund ?? (notification.paymentId ? findPaymentOrder(db, merchantId, notification.paymentId) : undefined);
}

export function createNotificationDispatcher({ db, temporal, logger }: { db: Db; temporal: Client; logger: Logger }) {
  async function signal(workflowId: string, notification: GatewayNotification): Promise<void> {
    const handle = temporal.workflow.getHandle(workflowId);
    if (notification.kind === 'payment') {
      const { eventId, paymentId, status, amount, currency, gatewayReference, occurredAt } = notification;
      await handle.signal(paymentNotificationSignal, { eventId, paymentId, status, amount, currency, gatewayReference, occurredAt });
    } else {
      const { eventId, refundId, status, gatewayReference, failureReason, occurredAt } = notification;
      await handle.signal(refundNotificationSignal, { eventId, refundId, status, gatewayReference, failureReason, occurredAt });
    }
  }

  async function dispatch(event: StoredEvent, notification: GatewayNotification): Promise<DispatchStatus> {
    // Handed over before: signal nothing. (Two deliveries racing may both signal; the workflow
    // deduplicates by event id as well.)
    if (await wasEventHandled(db, event.gateway, event.merchantId, notification.eventId)) {
      await markEvent(db, event.id, { status: 'duplicate' });
      return 'duplicate';
    }

    const target = await targetWorkflow(db, event.merchantId, notification);
    if (target && modeOf(target.livemode) !== event.mode) {
      const reason = `a ${event.mode}-mode notification for a ${modeOf(target.livemode)} order`;
      logger.error({ gateway: event.gateway, merchantId: event.merchantId, orderId: target.orderId, eventId: notification.eventId, mode: event.mode }, `notification rejected: ${reason}`);
      await markEvent(db, event.id, { status: 'rejected', orderId: target.orderId, verificationError: reason });
      return 'rejected';
    }
    let status: DispatchStatus = 'unmatched';
    if (target) {
      try {
        await signal(target.workflowId, notification);
        status = 'signalled';
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // The order's run has ended: kept for reconciliation.
        logger.error({ gateway: event.gateway, merchantId: event.merchantId, orderId: target.orderId, eventId: notification.eventId }, 'notification for a finished order');
      }
    } else {
      logger.warn({ gateway: event.gateway, merchantId: event.merchantId, eventId: notification.eventId }, 'notification for an unknown payment, stored for reconciliation');
    }
    await markEvent(db, event.id, { status, orderId: target?.orderId ?? null });
    return status;
  }

  /** Finishes verified events still `received` after `olderThanMs`: their hand-over was interrupted. */
  async function sweep(olderThanMs = 10_000): Promise<number> {
    const stuck = await selectStuckEvents(db, olderThanMs);
    for (const event of stuck) await dispatch(event, event.notification!);
    return stuck.length;
  }

  return { dispatch, sweep };
}

export type NotificationDispatcher = ReturnType<typeof createNotificationDispatcher>;
