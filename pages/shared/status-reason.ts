// Why an order ended as it did, in the reader's language. The projection stores the reason as a code with
// parameters (domain/timeline-words.ts renders it). Rows from before codes hold the sentence the workflow
// wrote (English, or a person's own words): their words come from the event that set the status, by its
// code, or from one of the system's fixed English sentences; anything else is a person's (or a gateway's)
// own text and is shown as written.
import type { PlainKey, Words } from '../../core/i18n/messages.js';
import type { OrderStatus } from '../../domain/order.js';
import { reasonWords } from '../../domain/timeline-words.js';

/** Events whose reason the system words itself, whatever the stored sentence says. */
const REASON_BY_EVENT: Partial<Record<string, PlainKey>> = {
  expired: 'reason.expired',
  payment_failed: 'reason.payment_failed',
  payment_creation_failed: 'reason.payment_creation_failed',
};

/** The fixed sentences the workflow has stored as reasons. */
const KNOWN_REASONS: Partial<Record<string, PlainKey>> = {
  'Cancelled before payment.': 'reason.cancelled_before_payment',
  'Cancelled by the customer before payment.': 'reason.cancelled_by_customer',
  'The payment window closed before payment.': 'reason.expired',
  'The payment failed at the gateway.': 'reason.payment_failed',
};

interface ReasonFacts {
  status: OrderStatus;
  statusReason: string | null;
  statusReasonCode: string | null;
  statusReasonParams: Record<string, unknown> | null;
  timeline: ReadonlyArray<{ status: OrderStatus; event: string }>;
}

/** The event that moved the order into its current status: the first of the timeline's last run in it. */
function statusEvent(order: ReasonFacts): string | undefined {
  let event: string | undefined;
  for (let i = order.timeline.length - 1; i >= 0 && order.timeline[i]!.status === order.status; i--) event = order.timeline[i]!.event;
  return event;
}

export function statusReasonWords(order: ReasonFacts, w: Words): string | undefined {
  if (order.statusReasonCode !== null) {
    const words = reasonWords({ code: order.statusReasonCode, params: order.statusReasonParams }, w);
    if (words !== undefined) return words;
  }
  if (!order.statusReason) return undefined;
  const event = statusEvent(order);
  const key = (event && REASON_BY_EVENT[event]) ?? KNOWN_REASONS[order.statusReason];
  return key ? w.t(key) : order.statusReason;
}
