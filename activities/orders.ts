import type { CustomerNotification } from '../domain/customer-notification.js';
import type { OrderState } from '../domain/order.js';
import { writeOrderProjection } from '../db/orders.js';
import type { ActivityDeps } from './deps.js';

export interface ProjectionMeta {
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  viewToken: string;
}

export function createOrderActivities({ db, notifier }: ActivityDeps) {
  /** Records the notification in the outbox, then hands it to the transport once. */
  async function enqueue(notification: CustomerNotification): Promise<void> {
    const inserted = await db
      .insertInto('outbox')
      .values({ ...notification, payload: JSON.stringify(notification.payload) })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    const pending = inserted ?? (await db.selectFrom('outbox').select('id').where('id', '=', notification.id).where('sentAt', 'is', null).executeTakeFirst());
    if (!pending) return;
    await notifier.send(notification);
    await db.updateTable('outbox').set({ sentAt: new Date() }).where('id', '=', notification.id).execute();
  }

  return {
    /** Writes the projection and, when the change concerns the customer, their notification: one activity, not two. */
    async projectOrder(input: { meta: ProjectionMeta; state: OrderState; notification?: CustomerNotification }): Promise<void> {
      await writeOrderProjection(db, input.meta, input.state);
      if (input.notification) await enqueue(input.notification);
    },

    /** Orders begun before notifications rode along with the projection still call this. */
    enqueueNotification: enqueue,
  };
}
