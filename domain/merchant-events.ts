// The events a merchant's server hears about its orders (signed webhooks): one list, and how they are read
// off the order's timeline. Pure: the projection activity applies it after every write.
import type { OrderState, OrderStatus, RefundStatus, TimelineEntry } from './order.js';

export const MERCHANT_EVENT_TYPES = [
  'order.paid',
  'order.needs_review',
  'order.confirmed',
  'order.shipped',
  'order.delivered',
  'order.completed',
  'order.cancelled',
  'order.expired',
  'order.refunded',
  'refund.pending_approval',
  'refund.succeeded',
  'refund.failed',
  'refund.rejected',
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** How long a delivery is retried; an endpoint that failed all that time is disabled. */
export const WEBHOOK_RETRY_MS = 3 * 24 * 60 * 60 * 1000;

/** An order status reached on the timeline, as the event it is (awaiting_payment is where every order starts). */
const STATUS_EVENTS: Record<OrderStatus, MerchantEventType | undefined> = {
  awaiting_payment: undefined,
  paid: 'order.paid',
  needs_review: 'order.needs_review',
  confirmed: 'order.confirmed',
  shipped: 'order.shipped',
  delivered: 'order.delivered',
  completed: 'order.completed',
  cancelled: 'order.cancelled',
  expired: 'order.expired',
  refunded: 'order.refunded',
};

/** Timeline entries about one refund, and the refund status each one records. */
const REFUND_ENTRIES: Record<string, Extract<RefundStatus, 'pending_approval' | 'succeeded' | 'failed' | 'rejected'>> = {
  refund_requested: 'pending_approval',
  refund_succeeded: 'succeeded',
  refund_failed: 'failed',
  refund_rejected: 'rejected',
};

export interface MerchantEvent {
  /** Stable: the same change always has the same id, so receivers can drop a repeat. */
  id: string;
  type: MerchantEventType;
  orderId: string;
  /** The timeline entry the event comes from: its seq orders events of one order, its time is the event's. */
  seq: number;
  createdAt: string;
}

/**
 * The events on the order's timeline: a status reached (`order.*`, id from the order and the entry's seq)
 * and a refund's step (`refund.*`, id from the refund and its status). A refund entry names no refund; it is
 * the refund whose time and status match (the n-th such entry, the n-th such refund).
 */
export function merchantEventsOf(state: Pick<OrderState, 'orderId' | 'timeline' | 'refunds'>): MerchantEvent[] {
  const events: MerchantEvent[] = [];
  const claimed = new Set<string>();
  let previous: TimelineEntry | undefined;
  for (const entry of state.timeline) {
    const base = { orderId: state.orderId, seq: entry.seq, createdAt: entry.at };
    const refundStatus = REFUND_ENTRIES[entry.event];
    if (refundStatus) {
      const refund = state.refunds.find((r) => {
        const matches = refundStatus === 'pending_approval' ? r.createdAt === entry.at && r.initiatedBy === entry.actor : r.status === refundStatus && r.updatedAt === entry.at;
        return matches && !claimed.has(`${r.id}.${refundStatus}`);
      });
      if (refund) {
        claimed.add(`${refund.id}.${refundStatus}`);
        events.push({ ...base, id: `evt_${refund.id}_${refundStatus}`, type: `refund.${refundStatus}` });
      }
    }
    const reached = previous !== undefined && previous.status !== entry.status ? STATUS_EVENTS[entry.status] : undefined;
    if (reached) events.push({ ...base, id: `evt_${state.orderId}_${entry.seq}`, type: reached });
    previous = entry;
  }
  return events;
}
