// Gateway notifications. Order of work matters: verify the signature first (forged or stale: rejected,
// stored and logged, never signalled); store the raw event before acknowledging; signal the order's
// workflow once per provider event; acknowledge with the exact body the gateway expects.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { GATEWAYS, type GatewayName } from '../../domain/order.js';
import { loadGatewayContext } from '../../gateways/context.js';
import { NotificationRejected, type GatewayAdapter, type GatewayNotification } from '../../gateways/types.js';
import { paymentNotificationSignal, refundNotificationSignal } from '../../workflows/messages.js';
import type { AppDeps, AppEnv } from '../app.js';
import { ApiError } from '../errors.js';

type EventStatus = 'signalled' | 'duplicate' | 'unmatched';

/** The order a notification belongs to, found through our own payment or refund id, within the merchant. */
async function targetWorkflow(db: Db, merchantId: string, notification: GatewayNotification): Promise<{ orderId: string; workflowId: string } | undefined> {
  const byPayment = (paymentId: string) =>
    db.selectFrom('payments').innerJoin('orders', 'orders.id', 'payments.orderId').select(['orders.id as orderId', 'orders.workflowId']).where('payments.id', '=', paymentId).where('payments.merchantId', '=', merchantId).executeTakeFirst();
  if (notification.kind === 'payment') return byPayment(notification.paymentId);
  const byRefund = await db
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.orderId')
    .select(['orders.id as orderId', 'orders.workflowId'])
    .where('refunds.id', '=', notification.refundId)
    .where('refunds.merchantId', '=', merchantId)
    .executeTakeFirst();
  // The refund row may not be projected yet when a fast gateway answers; its payment always is.
  return byRefund ?? (notification.paymentId ? byPayment(notification.paymentId) : undefined);
}

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { db, temporal, gateways, logger, config } = deps;

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

  async function handleNotification(adapter: GatewayAdapter, merchantId: string, raw: { headers: Record<string, string>; body: string }): Promise<EventStatus> {
    const gateway = adapter.name;
    const ctx = await loadGatewayContext({ db, masterKey: config.masterKey, publicBaseUrl: config.http.publicBaseUrl }, merchantId, gateway);
    let notification: GatewayNotification;
    try {
      notification = await adapter.verifyNotification(ctx, raw);
    } catch (error) {
      if (!(error instanceof NotificationRejected)) throw error;
      await db.insertInto('webhookEvents').values({ id: newId('evt'), gateway, merchantId, headers: JSON.stringify(raw.headers), body: raw.body, verified: false, verificationError: error.message, status: 'rejected' }).execute();
      logger.warn({ gateway, merchantId, reason: error.message }, 'webhook rejected');
      throw new ApiError(error.httpStatus, 'invalid_notification', error.message);
    }

    const event = await db
      .insertInto('webhookEvents')
      .values({
        id: newId('evt'),
        gateway,
        merchantId,
        providerEventId: notification.eventId,
        headers: JSON.stringify(raw.headers),
        body: raw.body,
        verified: true,
        kind: notification.kind,
        paymentId: notification.kind === 'payment' ? notification.paymentId : (notification.paymentId ?? null),
        refundId: notification.kind === 'refund' ? notification.refundId : null,
        status: 'received',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Handed over before: acknowledge again, signal nothing. (Two deliveries racing may both signal; the
    // workflow deduplicates by event id as well.)
    const handled = await db
      .selectFrom('webhookEvents')
      .select('id')
      .where('gateway', '=', gateway)
      .where('merchantId', '=', merchantId)
      .where('providerEventId', '=', notification.eventId)
      .where('verified', '=', true)
      .where('status', 'in', ['signalled', 'unmatched'])
      .executeTakeFirst();
    if (handled) {
      await db.updateTable('webhookEvents').set({ status: 'duplicate', processedAt: new Date() }).where('id', '=', event.id).execute();
      return 'duplicate';
    }

    const target = await targetWorkflow(db, merchantId, notification);
    let status: EventStatus = 'unmatched';
    if (target) {
      try {
        await signal(target.workflowId, notification);
        status = 'signalled';
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // The order's run has ended: kept for reconciliation.
        logger.error({ gateway, merchantId, orderId: target.orderId, eventId: notification.eventId }, 'notification for a finished order');
      }
    } else {
      logger.warn({ gateway, merchantId, eventId: notification.eventId }, 'notification for an unknown payment, stored for reconciliation');
    }
    await db.updateTable('webhookEvents').set({ status, orderId: target?.orderId ?? null, processedAt: new Date() }).where('id', '=', event.id).execute();
    return status;
  }

  app.post('/webhooks/:gateway/:merchantId', async (c) => {
    const { gateway, merchantId } = c.req.param();
    const adapter = (GATEWAYS as readonly string[]).includes(gateway) ? gateways.get(gateway as GatewayName) : undefined;
    if (!adapter) throw new ApiError(404, 'not_found', 'No such gateway.');
    const merchant = await db.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst();
    if (!merchant) throw new ApiError(404, 'not_found', 'No such merchant.');
    const headers = Object.fromEntries([...c.req.raw.headers.entries()].map(([k, v]) => [k.toLowerCase(), v]));
    const body = await c.req.text();
    let accepted = true;
    try {
      await handleNotification(adapter, merchantId, { headers, body });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Stored (or not) but not handed over: tell the gateway to try again later.
      logger.error({ err: error, gateway, merchantId }, 'webhook processing failed');
      accepted = false;
    }
    const ack = adapter.acknowledge(accepted);
    return c.body(ack.body, ack.status as 200, { 'content-type': ack.contentType });
  });
}
