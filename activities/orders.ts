import type { CustomerNotification } from '../domain/customer-notification.js';
import type { OrderState } from '../domain/order.js';
import { raiseOrderAlert, writeOrderProjection } from '../db/orders.js';
import { recordNotification } from '../db/outbox.js';
import { startCustomerEmail } from './customer-email.js';
import type { ActivityDeps } from './deps.js';
import { recordMerchantEvents } from './merchant-webhooks.js';
import { recordProjection } from './order-metrics.js';

export interface ProjectionMeta {
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  viewToken: string;
}

export function createOrderActivities(deps: ActivityDeps) {
  const { db, notifier } = deps;
  /** Records the notification in the outbox and, when e-mail is configured, starts its delivery (never awaited here). */
  async function enqueue(notification: CustomerNotification): Promise<void> {
    if (!(await recordNotification(db, notification)) || !notifier) return;
    await startCustomerEmail(notification.id);
  }

  return {
    /**
     * Writes the projection, then the merchant events it brings (after the write: they carry the order as
     * projected) and, when the change concerns the customer, their notification: one activity, not three.
     */
    async projectOrder(input: { meta: ProjectionMeta; state: OrderState; notification?: CustomerNotification }): Promise<void> {
      const projection = await writeOrderProjection(db, input.meta, input.state);
      recordProjection(input.state, projection);
      await recordMerchantEvents(deps, input.state, projection.webhookEndpoint);
      if (input.notification) await enqueue(input.notification);
    },

    /** Marks the order for people (e.g. `projection_failed`); writes only the alert code, so the data that broke the projection cannot break it. */
    async raiseOrderAlert(input: { orderId: string; alert: string }): Promise<void> {
      await raiseOrderAlert(db, input.orderId, input.alert);
    },

    /** Orders begun before notifications rode along with the projection still call this. */
    enqueueNotification: enqueue,
  };
}
