// A customer e-mail's send status on the timeline (db/email-timeline.ts) in the reader's words: which message,
// and why it failed. Undefined for any other entry.
import type { PlainKey, Words } from '../../core/i18n/messages.js';
import { humanize } from './format.js';

interface Entry {
  event: string;
  params?: { kind: string; reason?: string };
}

export function emailEntryWords(entry: Entry, w: Words): string | undefined {
  const { params } = entry;
  if (!params || (entry.event !== 'email_sent' && entry.event !== 'email_failed')) return undefined;
  const key = `email.kind.${params.kind}`;
  const kind = w.has(key) ? w.t(key as PlainKey) : humanize(params.kind);
  return entry.event === 'email_sent' ? w.t('email.timeline.sent', { kind }) : w.t('email.timeline.failed', { kind, reason: params.reason ?? '' });
}
