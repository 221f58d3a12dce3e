import type { CustomerNotification } from '../domain/customer-notification.js';
import type { Db } from './database.js';

/** Records the notification unless its id is already there; true while it has not been sent. */
export async function recordNotification(db: Db, notification: CustomerNotification): Promise<boolean> {
  const inserted = await db
    .insertInto('outbox')
    .values({ ...notification, payload: JSON.stringify(notification.payload) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  const pending = inserted ?? (await db.selectFrom('outbox').select('id').where('id', '=', notification.id).where('sentAt', 'is', null).executeTakeFirst());
  return pending !== undefined;
}

/** Only once the mail server accepted the message. */
export async function markNotificationSent(db: Db, id: string): Promise<void> {
  await db.updateTable('outbox').set({ sentAt: new Date() }).where('id', '=', id).execute();
}

/** Why an attempt to send failed (the latest only; the order's timeline shows it until a later attempt succeeds). */
export async function recordNotificationFailure(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable('outbox').set({ lastError: error.slice(0, 1000), lastAttemptAt: new Date() }).where('id', '=', id).where('sentAt', 'is', null).execute();
}

/**
 * An unsent notification with what its e-mail needs (the order's status, totals, language and link token,
 * the merchant's name, contact, e-mail settings, default language and time zone); undefined once sent.
 */
export async function unsentNotification(db: Db, id: string) {
  return db
    .selectFrom('outbox')
    .innerJoin('orders', 'orders.id', 'outbox.orderId')
    .innerJoin('merchants', 'merchants.id', 'outbox.merchantId')
    .innerJoin('merchantSettings', 'merchantSettings.merchantId', 'outbox.merchantId')
    .select([
      'outbox.id',
      'outbox.kind',
      'outbox.recipient',
      'outbox.payload',
      'orders.orderNo',
      'orders.viewToken',
      'orders.status',
      'orders.locale',
      'orders.currency',
      'orders.subtotal',
      'orders.shippingFee',
      'orders.tax',
      'orders.taxIncluded',
      'orders.total',
      'orders.paymentMethod',
      'merchants.name as merchantName',
      'merchants.contactEmail',
      'merchantSettings.emailSenderName',
      'merchantSettings.emailReplyTo',
      'merchantSettings.locale as merchantLocale',
      'merchantSettings.timeZone',
    ])
    .where('outbox.id', '=', id)
    .where('outbox.sentAt', 'is', null)
    .executeTakeFirst();
}

/** Messages of the merchant's orders (of one mode) not yet accepted by a mail server. */
export async function countUnsentNotifications(db: Db, merchantId: string, livemode: boolean): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .innerJoin('orders', 'orders.id', 'outbox.orderId')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('outbox.merchantId', '=', merchantId)
    .where('orders.livemode', '=', livemode)
    .where('outbox.sentAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Ids of rows still unsent that were written since `since`, oldest first. */
export async function unsentNotificationIds(db: Db, since: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('outbox').select('id').where('sentAt', 'is', null).where('createdAt', '>=', since).orderBy('createdAt').limit(limit).execute();
  return rows.map((row) => row.id);
}
