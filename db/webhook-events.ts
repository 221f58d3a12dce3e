// Gateway notifications as received: stored before they are acknowledged, then marked with what became of
// them (signalled to their order, a duplicate, unmatched, or rejected as unverifiable).
import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import type { Db, WebhookEventTable } from './database.js';

type Raw = { headers: Record<string, string>; body: string };

/** How much of the unverifiable notifications to one merchant's gateway endpoint is kept per window. */
export interface RejectionBudget {
  windowMs: number;
  /** Stored in full while both hold. */
  maxStored: number;
  maxStoredBytes: number;
  /** Past them, this many more are stored truncated to `sampleBytes` of body; the rest only counted. */
  maxSampled: number;
  sampleBytes: number;
}

export interface RejectionCount {
  outcome: 'stored' | 'sampled' | 'counted';
  windowStart: Date;
  received: number;
  stored: number;
  sampled: number;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A notification whose signature (or freshness) did not hold: counted in its window, and kept for the record
 * within `budget` (in full, else as a truncated sample, else not at all). The window's row is locked while
 * deciding, so concurrent requests never overrun the budget.
 */
export async function insertRejectedEvent(db: Db, event: { gateway: GatewayName; merchantId: string; mode: Mode; raw: Raw; reason: string }, budget: RejectionBudget): Promise<RejectionCount> {
  const { gateway, merchantId, mode, raw, reason } = event;
  const headers = JSON.stringify(raw.headers);
  const size = utf8Bytes(raw.body) + utf8Bytes(headers);
  const windowStart = new Date(Math.floor(Date.now() / budget.windowMs) * budget.windowMs);
  return db.transaction().execute(async (trx) => {
    const window = await trx
      .insertInto('webhookRejectionWindows')
      .values({ merchantId, gateway, windowStart, received: 1, stored: 0, storedBytes: 0, sampled: 0 })
      .onConflict((oc) => oc.columns(['merchantId', 'gateway', 'windowStart']).doUpdateSet({ received: sql`webhook_rejection_windows.received + 1`, updatedAt: sql`now()` }))
      .returningAll()
      .executeTakeFirstOrThrow();
    const outcome = window.stored < budget.maxStored && window.storedBytes + size <= budget.maxStoredBytes ? 'stored' : window.sampled < budget.maxSampled ? 'sampled' : 'counted';
    const counts = { windowStart, received: window.received, stored: window.stored, sampled: window.sampled };
    if (outcome === 'counted') return { outcome, ...counts };

    const sample = outcome === 'sampled';
    const body = sample ? Buffer.from(raw.body, 'utf8').subarray(0, budget.sampleBytes).toString('utf8') : raw.body;
    const sampledHeaders = sample ? JSON.stringify(Object.fromEntries(Object.entries(raw.headers).map(([name, value]) => [name.slice(0, 64), value.slice(0, 256)]))) : headers;
    const verificationError = sample ? `${reason} (sample: first ${budget.sampleBytes} of ${utf8Bytes(raw.body)} body bytes; over the storage budget)` : reason;
    await trx.insertInto('webhookEvents').values({ id: newId('evt'), gateway, merchantId, mode, headers: sampledHeaders, body, verified: false, verificationError, status: 'rejected' }).execute();
    const where = trx.updateTable('webhookRejectionWindows').where('merchantId', '=', merchantId).where('gateway', '=', gateway).where('windowStart', '=', windowStart);
    if (sample) {
      await where.set({ sampled: sql`sampled + 1` }).execute();
      return { outcome, ...counts, sampled: counts.sampled + 1 };
    }
    await where.set({ stored: sql`stored + 1`, storedBytes: sql`stored_bytes + ${size}` }).execute();
    return { outcome, ...counts, stored: counts.stored + 1 };
  });
}

/** A verified notification, `received` until it is handed over to its order. */
export async function insertVerifiedEvent(db: Db, event: { gateway: GatewayName; merchantId: string; mode: Mode; raw: Raw; notification: GatewayNotification }): Promise<string> {
  const { gateway, merchantId, mode, raw, notification } = event;
  const row = await db
    .insertInto('webhookEvents')
    .values({
      id: newId('evt'),
      gateway,
      merchantId,
      mode,
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

/** Records what became of a stored event (and why, for a verified one refused). */
export async function markEvent(db: Db, id: string, outcome: { status: WebhookEventTable['status']; orderId?: string | null; verificationError?: string }): Promise<void> {
  await db.updateTable('webhookEvents').set({ ...outcome, processedAt: new Date() }).where('id', '=', id).execute();
}

/** Verified events still `received` after `olderThanMs`, oldest first, at most 100. */
export async function selectStuckEvents(db: Db, olderThanMs: number) {
  return db
    .selectFrom('webhookEvents')
    .select(['id', 'gateway', 'merchantId', 'mode', 'notification'])
    .where('status', '=', 'received')
    .where('verified', '=', true)
    .where('notification', 'is not', null)
    .where('receivedAt', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('receivedAt')
    .limit(100)
    .execute();
}
