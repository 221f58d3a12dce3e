// An order's metrics, read off what a projection write added: each timeline event is added once, so each
// payment and refund outcome is counted once however often the write is retried.
import { metrics, type PaymentOutcome, type RefundOutcome } from '../core/metrics.js';
import { modeOf } from '../core/modes.js';
import type { OrderState } from '../domain/order.js';

/** Timeline events (workflows/*: `record(...)`) that tell a payment's outcome. */
const PAYMENT_EVENTS: Record<string, PaymentOutcome> = {
  payment_created: 'created',
  payment_creation_failed: 'creation_failed',
  payment_succeeded: 'succeeded',
  payment_failed: 'failed',
  payment_mismatch: 'mismatch',
  payment_accepted: 'accepted',
  payment_refused: 'refused',
  expired: 'expired',
  cancelled: 'cancelled',
  late_payment: 'late',
};

const REFUND_EVENTS: Record<string, RefundOutcome> = {
  refund_requested: 'requested',
  refund_started: 'started',
  refund_approved: 'approved',
  refund_rejected: 'rejected',
  refund_succeeded: 'succeeded',
  refund_failed: 'failed',
};

/** After a projection write: the lag behind the workflow's change, and the outcomes among the events it added. */
export function recordProjection(state: OrderState, projected: { written: boolean; newEvents: string[] }): void {
  if (!projected.written) return;
  metrics.projectionLag((Date.now() - Date.parse(state.updatedAt)) / 1000);
  const mode = modeOf(state.livemode);
  for (const event of projected.newEvents) {
    const payment = PAYMENT_EVENTS[event];
    if (payment) metrics.payment(state.paymentMethod, mode, payment);
    const refund = REFUND_EVENTS[event];
    if (refund) metrics.refund(state.paymentMethod, mode, refund);
  }
}
