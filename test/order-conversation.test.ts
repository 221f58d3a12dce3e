import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveBaseline, historyShape, shapeOf } from '../devstack/conversation.js';
import { ORDER_CONVERSATION } from '../workflows/order-conversation.js';
import { startStack, type Stack } from './support/stack.js';

describe('the conversation the benchmark baseline mirrors', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is the one a real order has, message for message and activity for activity, and the baseline has it too', async () => {
    // As the benchmark's orders: paid at once, confirmed, shipped, delivered, completed by a zero-length refund window.
    const merchant = await stack.createMerchant({ settings: { refundWindowSeconds: 0, paymentWindowSeconds: 3600, paymentCheckIntervalSeconds: 600 } });
    const checkout = await stack.checkout(merchant);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const { order, payment } = checkout.body;
    await stack.pay(merchant, payment.id);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    for (const [action, body] of [['confirm'], ['ship', { carrier: 'SF', trackingNumber: 'SF1' }], ['deliver']] as const) {
      const response = await stack.request('POST', `/v1/admin/orders/${order.id}/${action}`, { key: merchant.adminKey, ...(body && { body }) });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }
    const orderHandle = stack.client.workflow.getHandle(await stack.workflowId(order.id));
    await orderHandle.result();

    const baselineId = `baseline-${order.id}`;
    await driveBaseline(stack.client, stack.taskQueue, baselineId);

    const expected = shapeOf(ORDER_CONVERSATION);
    const orderShape = historyShape(await orderHandle.fetchHistory());
    const baselineShape = historyShape(await stack.client.workflow.getHandle(baselineId).fetchHistory());
    for (const shape of [orderShape, baselineShape]) {
      expect({ messages: shape.messages, localActivities: shape.localActivities, activities: shape.activities }).toEqual(expected);
    }
  });
});
