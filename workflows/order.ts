// One durable workflow per order, the single writer of that order's state. Storefront calls, merchant
// actions and gateway notifications all arrive as updates or signals (order-handlers.ts); Postgres only
// ever holds the projection the `projectOrder` activity writes from this state (order-entity.ts).
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { OrderInput, OrderState } from '../domain/order.js';
import { OrderFulfilment } from './fulfilment.js';
import { setOrderHandlers } from './order-handlers.js';
import { now, OrderEntity } from './order-entity.js';
import { touch } from './order-state.js';
import { leanProjectionPatch, orderPatches } from './patches.js';
import { OrderPayment } from './payment.js';
import { OrderRefunds } from './refunds.js';
import { OrderReview } from './review.js';
import { causedBy } from './request-ids.js';

export async function orderWorkflow(input: OrderInput): Promise<OrderState> {
  const order = new OrderEntity(input, orderPatches());
  const refunds = new OrderRefunds(order);
  const payment = new OrderPayment(order, refunds);
  const fulfilment = new OrderFulfilment(order, refunds);
  setOrderHandlers(order, payment, fulfilment, refunds, new OrderReview(order, refunds));
  // Orders from before `lean-projection` were also projected before the payment existed, and at the end.
  const leanProjection = leanProjectionPatch();
  if (!leanProjection) await order.persist();

  // The payment is created for the checkout's request: its activities carry the request's id.
  if (await causedBy(order.input.requestId, () => payment.create())) {
    await payment.awaitPayment();
    await fulfilment.fulfil();
    if (order.state.status === 'expired' || order.state.status === 'cancelled') await payment.refundLatePayment();
    await refunds.settled();
    if (!leanProjection) {
      touch(order.state, now());
      await order.persist();
    }
  }
  await condition(allHandlersFinished);
  return order.state;
}
