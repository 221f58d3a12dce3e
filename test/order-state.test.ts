import { describe, expect, it } from 'vitest';
import type { OrderState, Payment } from '../domain/order.js';
import { recordPayment } from '../workflows/order-state.js';

describe('recordPayment', () => {
  // Every path that hears "paid" (notification, query, close, late payment) records it through this one
  // function; the late path once skipped the reference, and UnionPay cannot refund without it.
  it('records the capture, the gateway time and the reference the gateway gave with it', () => {
    const state = { currency: 'CNY', paidAmount: 0 } as OrderState;
    const payment = { id: 'pay_1', status: 'closed', amount: 1_060, currency: 'CNY' } as Payment;
    recordPayment(state, payment, { amount: 1_060, currency: 'CNY', gatewayReference: '202612030001', occurredAt: '2026-12-03T08:00:00.000Z' });
    expect(payment).toMatchObject({ status: 'succeeded', paidAt: '2026-12-03T08:00:00.000Z', capturedAmount: 1_060, capturedCurrency: 'CNY', gatewayReference: '202612030001' });
    expect(state.paidAmount).toBe(1_060);
  });

  it('keeps the reference heard at creation when the outcome carries none, and counts no capture in another currency', () => {
    const state = { currency: 'CNY', paidAmount: 0 } as OrderState;
    const payment = { id: 'pay_1', status: 'pending', amount: 1_060, currency: 'CNY', gatewayReference: 'cs_1' } as Payment;
    recordPayment(state, payment, { amount: 150, currency: 'USD', occurredAt: '2026-12-03T08:00:00.000Z' });
    expect(payment).toMatchObject({ status: 'succeeded', capturedAmount: 150, capturedCurrency: 'USD', gatewayReference: 'cs_1' });
    expect(state.paidAmount).toBe(0);
  });
});
