import type { OrderState } from '../domain/order.js';
import { writeOrderProjection } from '../db/orders.js';
import type { ActivityDeps } from './index.js';

export interface ProjectionMeta {
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  viewToken: string;
}

export interface CustomerNotification {
  /** Derived from the order and the event, so a retried activity never notifies twice. */
  id: string;
  merchantId: string;
  orderId: string;
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
}

export function createOrderActivities({ db, notifier }: ActivityDeps) {
  return {
    async projectOrder(input: { meta: ProjectionMeta; state: OrderState }): Promise<void> {
      await writeOrderProjection(db, input.meta, input.state);
    },

    /** Records the notification in the outbox, then hands it to the transport once. */
    async enqueueNotification(notification: CustomerNotification): Promise<void> {
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
    },
  };
}
