// A payment that arrives after its order was cancelled, as every gateway's end-to-end test drives it: the
// customer cancels, pays at the gateway all the same, and the workflow refunds the late payment by itself.
import { expect } from 'vitest';
import type { Merchant, Stack } from './stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- orders are JSON checked by the assertions */

/** Cancels an unpaid order as its customer does. */
export async function cancelUnpaid(stack: Stack, merchant: Merchant, orderId: string): Promise<void> {
  const cancel = await stack.request('POST', `/v1/orders/${orderId}/cancel`, { key: merchant.secretKey });
  expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
  expect(cancel.body.status).toBe('cancelled');
}

/**
 * Waits until the late payment's automatic refund has settled, and checks that it succeeded for the whole
 * capture and that the payment was recorded like any other: captured amount and the gateway's reference.
 */
export async function expectLatePaymentRefunded(stack: Stack, merchant: Merchant, order: { id: string; total: number }, gatewayReference: string): Promise<any> {
  const settled = await stack.waitForOrder(merchant, order.id, (o) => o.refunds[0] !== undefined && o.refunds[0].status !== 'processing');
  expect(settled.timeline.map((e: { event: string }) => e.event)).toContain('late_payment');
  expect(settled.refunds).toEqual([expect.objectContaining({ initiatedBy: 'system', amount: order.total, status: 'succeeded' })]);
  expect(settled).toMatchObject({ status: 'cancelled', paidAmount: order.total, refundedAmount: order.total });
  expect(settled.payments[0]).toMatchObject({ status: 'succeeded', capturedAmount: order.total, gatewayReference });
  return settled;
}
