// After payment: the merchant confirms (or declines, refunding all that is left), ships and delivers; the order
// completes once the refund window after delivery has passed.
import { condition } from '@temporalio/workflow';
import { FINAL_STATUSES, refundableAmount, type OrderState } from '../domain/order.js';
import { stated } from '../domain/timeline.js';
import { now, seconds, type OrderEntity } from './order-entity.js';
import { hasOpenRefunds, record } from './order-state.js';
import { declineRefundsRestPatch } from './patches.js';
import type { OrderRefunds } from './refunds.js';
import { requireAction, requireText } from './rejections.js';

export class OrderFulfilment {
  constructor(
    private readonly order: OrderEntity,
    private readonly refunds: OrderRefunds,
  ) {}

  // ---- Handlers ---------------------------------------------------------------------------------------

  async confirm(): Promise<OrderState> {
    record(this.order.state, now(), 'confirmed', 'merchant', {}, { status: 'confirmed' });
    await this.order.persist();
    return this.order.state;
  }

  async decline({ reason }: { reason: string }): Promise<OrderState> {
    const { state } = this.order;
    record(state, now(), 'declined', 'merchant', { reason }, { status: 'cancelled', reason: stated(reason) });
    const refundReason = `Order declined by the merchant: ${reason}`;
    const coded = { reason: { code: 'declined_refund', params: { text: reason } } } as const;
    if (declineRefundsRestPatch()) this.refunds.refundRest(refundReason, "Approved by the merchant's decline.", { ...coded, note: { code: 'approved_by_decline', params: {} } });
    else this.refunds.start(refundableAmount(state), refundReason, 'merchant', 'processing', coded.reason);
    await this.order.persist();
    return state;
  }

  async ship({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): Promise<OrderState> {
    const { state } = this.order;
    state.shipment = { carrier, trackingNumber, shippedAt: now() };
    record(state, state.shipment.shippedAt, 'shipped', 'merchant', { carrier, trackingNumber }, { status: 'shipped' });
    await this.order.persistAndNotify('order_shipped', { carrier, trackingNumber });
    return state;
  }

  async deliver(): Promise<OrderState> {
    const { state } = this.order;
    state.shipment!.deliveredAt = now();
    record(state, state.shipment!.deliveredAt, 'delivered', 'merchant', {}, { status: 'delivered' });
    await this.order.persistWithNewNotice('order_delivered', { deliveredAt: state.shipment!.deliveredAt });
    return state;
  }

  validateDecline({ reason }: { reason: string }): void {
    requireText(reason, 'reason');
    requireAction('decline', this.order.state.status);
  }

  validateShip({ carrier, trackingNumber }: { carrier: string; trackingNumber: string }): void {
    requireText(carrier, 'carrier');
    requireText(trackingNumber, 'trackingNumber');
    requireAction('ship', this.order.state.status);
  }

  // ---- The run ----------------------------------------------------------------------------------------

  /** Follows the merchant's steps until the order is final, completing it when the refund window passes. */
  async fulfil(): Promise<void> {
    const { state, policy } = this.order;
    while (!FINAL_STATUSES.has(state.status)) {
      if (state.status === 'delivered') {
        const deliveredStatus = state.status;
        const changed = await condition(() => state.status !== deliveredStatus, seconds(policy.refundWindowSeconds));
        if (!changed) {
          // The window is over; refunds already under way are finished first.
          await condition(() => !hasOpenRefunds(state));
          if (state.status === 'delivered') {
            record(state, now(), 'completed', 'system', {}, { status: 'completed' });
            await this.order.persist();
          }
        }
      } else {
        const current = state.status;
        await condition(() => state.status !== current);
      }
    }
  }
}
