import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

describe('order lifecycle through the HTTP API (real Temporal, real Postgres, sandbox gateway)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('checkout -> paid -> confirmed -> shipped -> delivered -> completed', async () => {
    const merchant = await stack.createMerchant({ settings: { refundWindowSeconds: 2 } });
    const checkout = await stack.checkout(merchant);
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const { order, payment } = checkout.body;
    // 2 x 12800 + 4500 = 30100; tax 6% = 1806; shipping 1000.
    expect(order).toMatchObject({ status: 'awaiting_payment', currency: 'CNY', subtotal: 30_100, tax: 1_806, shippingFee: 1_000, total: 32_906 });
    expect(payment).toMatchObject({ gateway: 'sandbox', status: 'pending', action: { type: 'redirect' } });
    expect(payment.action.url).toContain(`/sandbox/pay/${payment.id}`);

    await stack.pay(merchant, payment.id);
    const paid = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(32_906);
    expect(paid.payments[0]).toMatchObject({ status: 'succeeded', capturedAmount: 32_906 });

    const confirm = await stack.request('POST', `/v1/admin/orders/${order.id}/confirm`, { key: merchant.adminKey });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.body.status).toBe('confirmed');

    const ship = await stack.request('POST', `/v1/admin/orders/${order.id}/ship`, { key: merchant.adminKey, body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } });
    expect(ship.status).toBe(200);
    expect(ship.body.shipment).toMatchObject({ carrier: 'SF Express', trackingNumber: 'SF1234567890' });

    const deliver = await stack.request('POST', `/v1/admin/orders/${order.id}/deliver`, { key: merchant.adminKey });
    expect(deliver.body.status).toBe('delivered');

    const completed = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'completed');
    expect(completed.timeline.map((e: { event: string }) => e.event)).toEqual([
      'order_created',
      'payment_created',
      'payment_succeeded',
      'confirmed',
      'shipped',
      'delivered',
      'completed',
    ]);
    await stack.recordHistory(order.id, 'completed');
    // Without SMTP_URL (this stack) the customer's messages wait in the outbox: test/customer-email.test.ts sends them.
    const outbox = await stack.db.selectFrom('outbox').select(['kind', 'sentAt']).where('orderId', '=', order.id).orderBy('createdAt').execute();
    expect(outbox.map((n) => n.kind)).toEqual(['order_received', 'payment_receipt', 'order_shipped', 'order_delivered']);
    expect(outbox.every((n) => n.sentAt === null)).toBe(true);
  });
});
