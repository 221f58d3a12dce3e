// A payment the gateway captured with another amount or currency than the order's waits in `needs_review`
// for the merchant, who either keeps it (the order goes on as paid, with what was captured) or gives back
// what was captured, in the currency it was captured in, and cancels the order. Either way the capture
// becomes the paid amount, so refunds are measured against the money actually held.
import type { OrderState, Payment } from '../domain/order.js';
import { stated } from '../domain/timeline.js';
import { now, type OrderEntity } from './order-entity.js';
import { record } from './order-state.js';
import type { OrderRefunds } from './refunds.js';
import { reject, requireAction, requireText } from './rejections.js';
import { REJECTION } from './messages.js';

export class OrderReview {
  constructor(
    private readonly order: OrderEntity,
    private readonly refunds: OrderRefunds,
  ) {}

  /** Keeps the capture: the order is paid (and confirmed, if the merchant confirms automatically). */
  async accept({ note }: { note?: string }): Promise<OrderState> {
    const { state, policy } = this.order;
    const payment = this.takeCapture();
    const at = now();
    const params = { amount: payment.capturedAmount!, currency: payment.capturedCurrency!, total: state.total, orderCurrency: state.currency };
    record(state, at, 'payment_accepted', 'merchant', { ...params, ...(note && { note }) }, { status: 'paid' });
    if (policy.autoConfirm) record(state, at, 'confirmed', 'system', { automatic: true }, { status: 'confirmed' });
    await this.order.persistAndNotify('payment_receipt', { amount: payment.capturedAmount, currency: payment.capturedCurrency, items: state.items });
    return state;
  }

  /** Gives back all of the capture still held (refunds already made or asked for count) and cancels the order. */
  async refund({ reason }: { reason: string }): Promise<OrderState> {
    const { state } = this.order;
    const payment = this.takeCapture();
    record(state, now(), 'payment_refused', 'merchant', { amount: payment.capturedAmount!, currency: payment.capturedCurrency!, reason }, { status: 'cancelled', reason: stated(reason) });
    this.refunds.refundRest(`Captured payment refunded by the merchant: ${reason}`, 'Approved as the merchant refunded the captured payment.', {
      reason: { code: 'capture_refund', params: { text: reason } },
      note: { code: 'approved_by_capture_refund', params: {} },
    });
    await this.order.persistAndNotify('payment_refunded', { amount: payment.capturedAmount, currency: payment.capturedCurrency, reason });
    return state;
  }

  validateAccept(): void {
    requireAction('accept-payment', this.order.state.status);
    this.requireCapture();
  }

  validateRefund({ reason }: { reason: string }): void {
    requireText(reason, 'reason');
    requireAction('refund-payment', this.order.state.status);
    this.requireCapture();
  }

  private requireCapture(): void {
    const payment = this.order.payment();
    if (payment.capturedAmount === undefined || payment.capturedCurrency === undefined) {
      reject(REJECTION.conflict, 'The gateway did not say what it captured; settle this payment at the gateway.');
    }
  }

  /** The capture, in its own currency, is what the order holds from now on. */
  private takeCapture(): Payment {
    const payment = this.order.payment();
    this.order.state.paidAmount = payment.capturedAmount!;
    return payment;
  }
}
