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

export async function markNotificationSent(db: Db, id: string): Promise<void> {
  await db.updateTable('outbox').set({ sentAt: new Date() }).where('id', '=', id).execute();
}
