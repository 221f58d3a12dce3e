// Gateway notifications as received: stored before they are acknowledged, then marked with what became of
// them (signalled to their order, a duplicate, unmatched, or rejected as unverifiable).
import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import type { GatewayName } from '../domain/gateways.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import type { Db, WebhookEventTable } from './database.js';

type Raw = { headers: Record<string, string>; body: string };

/** A notification whose signature (or freshness) did not hold: kept for the record, never handed over. */
export async function insertRejectedEvent(db: Db, event: { gateway: GatewayName; merchantId: string; raw: Raw; reason: string }): Promise<void> {
  const { gateway, merchantId, raw, reason } = event;
  await db.insertInto('webhookEvents').values({ id: newId('evt'), gateway, merchantId, headers: JSON.stringify(raw.headers), body: raw.body, verified: false, verificationError: reason, status: 'rejected' }).execute();
}

/** A verified notification, `received` until it is handed over to its order. */
export async function insertVerifiedEvent(db: Db, event: { gateway: GatewayName; merchantId: string; raw: Raw; notification: GatewayNotification }): Promise<string> {
  const { gateway, merchantId, raw, notification } = event;
  const row = await db
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
      notification: JSON.stringify(notification),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether this provider event was handed over (or found unmatched) before. */
export async function wasEventHandled(db: Db, gateway: GatewayName, merchantId: string, providerEventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhookEvents')
    .select('id')
    .where('gateway', '=', gateway)
    .where('merchantId', '=', merchantId)
    .where('providerEventId', '=', providerEventId)
    .where('verified', '=', true)
    .where('status', 'in', ['signalled', 'unmatched'])
    .executeTakeFirst();
  return row !== undefined;
}

/** Records what became of a stored event. */
export async function markEvent(db: Db, id: string, outcome: { status: WebhookEventTable['status']; orderId?: string | null }): Promise<void> {
  await db.updateTable('webhookEvents').set({ ...outcome, processedAt: new Date() }).where('id', '=', id).execute();
}

/** Verified events still `received` after `olderThanMs`, oldest first, at most 100. */
export async function selectStuckEvents(db: Db, olderThanMs: number) {
  return db
    .selectFrom('webhookEvents')
    .select(['id', 'gateway', 'merchantId', 'notification'])
    .where('status', '=', 'received')
    .where('verified', '=', true)
    .where('notification', 'is not', null)
    .where('receivedAt', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('receivedAt')
    .limit(100)
    .execute();
}
