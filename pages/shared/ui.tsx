// Small presentational pieces shared by the admin and customer pages.
import type { Words } from '../../core/i18n/messages.js';
import type { Merchant } from '../../db/merchants.js';
import type { OrderStatus, PaymentStatus, RefundStatus } from '../../domain/order.js';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

/** The statuses a badge shows: an order's, a payment's, a refund's and a merchant's. */
type BadgeStatus = OrderStatus | PaymentStatus | RefundStatus | Merchant['status'];

/** Each status by how a person should read it; a new status does not compile until it has a tone here. */
const TONE: Record<BadgeStatus, Tone> = {
  awaiting_payment: 'info',
  paid: 'warn',
  confirmed: 'info',
  shipped: 'info',
  delivered: 'good',
  completed: 'good',
  cancelled: 'neutral',
  expired: 'neutral',
  refunded: 'neutral',
  needs_review: 'bad',
  pending: 'info',
  pending_approval: 'warn',
  processing: 'info',
  succeeded: 'good',
  failed: 'bad',
  rejected: 'neutral',
  closed: 'neutral',
  pending_verification: 'warn',
  active: 'good',
  suspended: 'bad',
};

/** A status as a coloured badge; the words carry the meaning, the colour only repeats it. */
export function StatusBadge({ status, words }: { status: BadgeStatus; words: Words }) {
  return <span class={`badge badge-${TONE[status] ?? 'neutral'}`}>{words.t(`badge.${status}`)}</span>;
}

/** A point in time as `<time datetime>`, in the reader's language and the merchant's zone; `—` when there is none. */
export function Time({ value, words }: { value: string | Date | null | undefined; words: Words }) {
  const date = value == null ? undefined : new Date(value);
  if (!date || Number.isNaN(date.getTime())) return <>—</>;
  const iso = date.toISOString();
  return <time datetime={iso}>{words.dateTime(iso)}</time>;
}
