// Small presentational pieces shared by the admin and customer pages.
import { dateTime, humanize } from './format.js';

type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

/** Order, payment and refund statuses by how a person should read them. */
const TONE: Record<string, Tone> = {
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
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${TONE[status] ?? 'neutral'}`}>{humanize(status)}</span>;
}

/** A point in time as `<time datetime>`; `—` when there is none. */
export function Time({ value }: { value: string | Date | null | undefined }) {
  const date = value == null ? undefined : new Date(value);
  if (!date || Number.isNaN(date.getTime())) return <>—</>;
  const iso = date.toISOString();
  return <time datetime={iso}>{dateTime(iso)}</time>;
}
