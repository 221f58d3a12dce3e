// Webhook endpoints, the merchant events read off order timelines, and their deliveries and attempts.
import { sql, type Selectable } from 'kysely';
import type { MerchantScope, Mode } from '../core/modes.js';
import { open, seal } from '../core/secret-box.js';
import type { MerchantEventType } from '../domain/merchant-events.js';
import type { Db, WebhookEndpointTable } from './database.js';

/** Bound into the ciphertext: a secret sealed for one endpoint opens for no other. */
const context = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** How long a rotated-out secret keeps signing, so receivers can switch without losing a delivery. */
/** Why an endpoint the merchant turned off is disabled (not a failure to tell them about). */
export const MERCHANT_DISABLED = 'disabled by the merchant';

export const PREVIOUS_SECRET_MS = 24 * 60 * 60 * 1000;

export type WebhookEndpoint = Selectable<WebhookEndpointTable>;

export async function insertWebhookEndpoint(
  db: Db,
  masterKey: Buffer,
  endpoint: { id: string; merchantId: string; mode: Mode; url: string; eventTypes: MerchantEventType[]; enabled: boolean },
  secret: string,
): Promise<WebhookEndpoint> {
  return db
    .insertInto('webhookEndpoints')
    .values({ ...endpoint, disabledReason: endpoint.enabled ? null : MERCHANT_DISABLED, secretCiphertext: seal(masterKey, secret, context(endpoint.id)) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listWebhookEndpoints(db: Db, scope: MerchantScope): Promise<WebhookEndpoint[]> {
  return db.selectFrom('webhookEndpoints').selectAll().where('merchantId', '=', scope.merchantId).where('mode', '=', scope.mode).orderBy('createdAt').orderBy('id').execute();
}

export function findWebhookEndpoint(db: Db, scope: MerchantScope, id: string): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhookEndpoints').selectAll().where('id', '=', id).where('merchantId', '=', scope.merchantId).where('mode', '=', scope.mode).executeTakeFirst();
}

/** Changes what the merchant may change; enabling again forgets why it was disabled and how long it failed. */
export async function updateWebhookEndpoint(
  db: Db,
  scope: MerchantScope,
  id: string,
  patch: { url?: string; eventTypes?: MerchantEventType[]; enabled?: boolean },
): Promise<WebhookEndpoint | undefined> {
  const enabled = patch.enabled === undefined ? {} : patch.enabled ? { enabled: true, disabledReason: null, failingSince: null } : { enabled: false, disabledReason: MERCHANT_DISABLED };
  return db
    .updateTable('webhookEndpoints')
    .set({ ...(patch.url !== undefined && { url: patch.url }), ...(patch.eventTypes !== undefined && { eventTypes: patch.eventTypes }), ...enabled, updatedAt: new Date() })
    .where('id', '=', id)
    .where('merchantId', '=', scope.merchantId)
    .where('mode', '=', scope.mode)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteWebhookEndpoint(db: Db, scope: MerchantScope, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhookEndpoints').where('id', '=', id).where('merchantId', '=', scope.merchantId).where('mode', '=', scope.mode).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Replaces the secret; the one it replaces keeps signing for `PREVIOUS_SECRET_MS`. */
export async function rotateWebhookSecret(db: Db, masterKey: Buffer, scope: MerchantScope, id: string, secret: string, now: Date): Promise<WebhookEndpoint | undefined> {
  return db
    .updateTable('webhookEndpoints')
    .set((eb) => ({
      previousSecretCiphertext: eb.ref('secretCiphertext'),
      previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_MS),
      secretCiphertext: seal(masterKey, secret, context(id)),
      updatedAt: now,
    }))
    .where('id', '=', id)
    .where('merchantId', '=', scope.merchantId)
    .where('mode', '=', scope.mode)
    .returningAll()
    .executeTakeFirst();
}

/** The secrets that sign a delivery at `now`: the current one, and the previous one while it is still valid. */
export function signingSecrets(masterKey: Buffer, endpoint: WebhookEndpoint, now: Date): string[] {
  const secrets = [open(masterKey, endpoint.secretCiphertext, context(endpoint.id))];
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(open(masterKey, endpoint.previousSecretCiphertext, context(endpoint.id)));
  }
  return secrets;
}

export async function storedEventIds(db: Db, orderId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('merchantEvents').select('id').where('orderId', '=', orderId).execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Stores the events (a repeat is ignored), gives each a delivery to every enabled endpoint of its merchant
 * and mode that wants its type and existed when it happened, and answers the deliveries not yet started: those of these events and any
 * an earlier attempt stored but did not start.
 */
export async function storeEventsAndDeliveries(
  db: Db,
  orderId: string,
  events: Array<{ id: string; merchantId: string; livemode: boolean; orderId: string; type: MerchantEventType; seq: number; body: string; createdAt: string }>,
): Promise<Array<{ id: string; eventId: string; endpointId: string }>> {
  // One transaction: an event stored without its deliveries would never get them, since a retry skips
  // events already stored.
  if (events.length > 0) {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('merchantEvents').values(events).onConflict((oc) => oc.column('id').doNothing()).execute();
      await sql`
        insert into webhook_deliveries (id, event_id, endpoint_id, merchant_id, order_id, status)
        select 'whd_' || md5(e.id || ':' || w.id), e.id, w.id, e.merchant_id, e.order_id, 'pending'
        from merchant_events e
        join webhook_endpoints w on w.merchant_id = e.merchant_id and w.mode = (case when e.livemode then 'live' else 'test' end)
        where e.id in (${sql.join(events.map((e) => e.id))}) and w.enabled and e.type = any(w.event_types) and e.created_at >= w.created_at
        on conflict (event_id, endpoint_id) do nothing
      `.execute(trx);
    });
  }
  return db.selectFrom('webhookDeliveries').select(['id', 'eventId', 'endpointId']).where('orderId', '=', orderId).where('startedAt', 'is', null).execute();
}

export async function markDeliveriesStarted(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.updateTable('webhookDeliveries').set({ startedAt: new Date() }).where('id', 'in', ids).execute();
}

/** A delivery with its event and endpoint, or undefined when it (or its endpoint) was deleted. */
export async function loadDelivery(db: Db, deliveryId: string) {
  const row = await db
    .selectFrom('webhookDeliveries as d')
    .innerJoin('merchantEvents as e', 'e.id', 'd.eventId')
    .innerJoin('webhookEndpoints as w', 'w.id', 'd.endpointId')
    .select(['d.id as deliveryId', 'd.status', 'e.id as eventId', 'e.type', 'e.body'])
    .selectAll('w')
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { deliveryId: _d, status, eventId, type, body, ...endpoint } = row;
  return { delivery: { id: deliveryId, status, eventId, type, body }, endpoint: endpoint as WebhookEndpoint };
}

export interface AttemptRecord {
  at: Date;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** The delivery workflow making it. */
  workflowId: string;
}

/** Whether the delivery workflow `workflowId` already has a 2xx attempt stored for the delivery. */
export async function succeededInRun(db: Db, deliveryId: string, workflowId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhookAttempts')
    .select('id')
    .where('deliveryId', '=', deliveryId)
    .where('workflowId', '=', workflowId)
    .where('statusCode', '>=', 200)
    .where('statusCode', '<', 300)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores an attempt; a success settles the delivery and ends the endpoint's failing streak, a failure starts one. */
export async function recordAttempt(db: Db, deliveryId: string, endpointId: string, attempt: AttemptRecord, succeeded: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('webhookAttempts').values({ deliveryId, ...attempt }).execute();
    if (succeeded) {
      await trx.updateTable('webhookDeliveries').set({ status: 'succeeded', updatedAt: attempt.at }).where('id', '=', deliveryId).execute();
      await trx.updateTable('webhookEndpoints').set({ failingSince: null }).where('id', '=', endpointId).execute();
    } else {
      await trx.updateTable('webhookEndpoints').set({ failingSince: attempt.at }).where('id', '=', endpointId).where('failingSince', 'is', null).execute();
    }
  });
}

export async function disableWebhookEndpoint(db: Db, endpointId: string, reason: string): Promise<void> {
  await db.updateTable('webhookEndpoints').set({ enabled: false, disabledReason: reason, updatedAt: new Date() }).where('id', '=', endpointId).where('enabled', '=', true).execute();
}

/** Gives up on a delivery; its endpoint is disabled when it has failed since `failingBefore` or earlier. */
export async function abandonDelivery(db: Db, deliveryId: string, failingBefore: Date, reason: string): Promise<void> {
  const delivery = await db.updateTable('webhookDeliveries').set({ status: 'failed', updatedAt: new Date() }).where('id', '=', deliveryId).where('status', '=', 'pending').returning('endpointId').executeTakeFirst();
  if (!delivery) return;
  await db
    .updateTable('webhookEndpoints')
    .set({ enabled: false, disabledReason: reason, updatedAt: new Date() })
    .where('id', '=', delivery.endpointId)
    .where('enabled', '=', true)
    .where('failingSince', '<=', failingBefore)
    .execute();
}

/** Deliveries with their attempts, newest first: of one order, or of one endpoint. */
export async function listDeliveries(db: Db, scope: MerchantScope, filter: { orderId: string } | { endpointId: string }, limit = 100) {
  const deliveries = await db
    .selectFrom('webhookDeliveries as d')
    .innerJoin('merchantEvents as e', 'e.id', 'd.eventId')
    .innerJoin('webhookEndpoints as w', 'w.id', 'd.endpointId')
    .select(['d.id', 'd.eventId', 'd.endpointId', 'd.orderId', 'd.status', 'd.createdAt', 'e.type', 'e.seq', 'e.createdAt as eventCreatedAt', 'w.url'])
    .where('d.merchantId', '=', scope.merchantId)
    .where('w.mode', '=', scope.mode)
    .where('orderId' in filter ? 'd.orderId' : 'd.endpointId', '=', 'orderId' in filter ? filter.orderId : filter.endpointId)
    .orderBy('e.createdAt', 'desc')
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute();
  const attempts = deliveries.length === 0 ? [] : await db.selectFrom('webhookAttempts').selectAll().where('deliveryId', 'in', deliveries.map((d) => d.id)).orderBy('at').orderBy('id').execute();
  return deliveries.map((d) => ({ ...d, attempts: attempts.filter((a) => a.deliveryId === d.id) }));
}

export function findDelivery(db: Db, scope: MerchantScope, deliveryId: string) {
  return db
    .selectFrom('webhookDeliveries as d')
    .innerJoin('webhookEndpoints as w', 'w.id', 'd.endpointId')
    .select(['d.id', 'd.eventId', 'd.endpointId', 'd.orderId', 'w.enabled'])
    .where('d.id', '=', deliveryId)
    .where('d.merchantId', '=', scope.merchantId)
    .where('w.mode', '=', scope.mode)
    .executeTakeFirst();
}
