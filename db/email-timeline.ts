// The send status of an order's customer e-mail, shown on its timeline when the order is read. The order
// workflow is the single writer of the order, and sending happens apart from it (one delivery workflow per
// message, activities/customer-email.ts), often after the order's run has ended; so the status is not written
// into the order but read from the outbox rows (`sent_at`, or the last failed attempt and its reason) and
// placed among the workflow's entries by time. These entries carry no `seq` (they are not in the workflow's
// sequence), and the status the order had then.
import { sql } from 'kysely';
import type { OrderStatus } from '../domain/order.js';

export type EmailEvent = 'email_sent' | 'email_failed';

export interface EmailTimelineEntry {
  seq: null;
  at: string;
  status: OrderStatus;
  event: EmailEvent;
  actor: 'system';
  message: null;
  /** `kind`: which message (`payment_receipt`, …); `reason`: why the last attempt failed. */
  params: { kind: string; reason?: string };
}

interface EmailStatusRow {
  kind: string;
  sentAt: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
}

/** The order's outbox rows that were sent or failed, as a JSON array (for `findOrderWithChildren`). */
export const emailStatusRows = sql<EmailStatusRow[]>`coalesce((
  select json_agg(json_build_object('kind', c.kind, 'sentAt', c.sent_at, 'lastError', c.last_error, 'lastAttemptAt', c.last_attempt_at) order by c.created_at, c.id)
  from outbox c where c.order_id = orders.id and (c.sent_at is not null or c.last_error is not null)), '[]')`.as('emailStatus');

function entryOf(row: EmailStatusRow): Omit<EmailTimelineEntry, 'status'> | undefined {
  const at = row.sentAt ?? row.lastAttemptAt;
  if (at === null) return undefined;
  const iso = new Date(at).toISOString();
  if (row.sentAt !== null) return { seq: null, at: iso, event: 'email_sent', actor: 'system', message: null, params: { kind: row.kind } };
  return { seq: null, at: iso, event: 'email_failed', actor: 'system', message: null, params: { kind: row.kind, reason: row.lastError ?? '' } };
}

/** The workflow's entries with the e-mail entries placed after the last entry at or before their time. */
export function withEmailStatus<E extends { at: string | null; status: OrderStatus }>(timeline: E[], rows: EmailStatusRow[]): Array<E | EmailTimelineEntry> {
  const emails = rows.flatMap((row) => entryOf(row) ?? []).sort((a, b) => a.at.localeCompare(b.at));
  if (emails.length === 0 || timeline.length === 0) return timeline;
  const merged: Array<E | EmailTimelineEntry> = [];
  let next = 0;
  for (const [i, entry] of timeline.entries()) {
    merged.push(entry);
    const following = timeline[i + 1];
    // Everything before the next workflow entry's time follows this one (and takes its status).
    while (next < emails.length && (following === undefined || following.at === null || emails[next]!.at < following.at)) {
      merged.push({ ...emails[next]!, status: entry.status });
      next++;
    }
  }
  return merged;
}
