// What one kind of customer e-mail says: a subject and a few paragraphs, from the notification's payload, in
// the order's language (core/i18n catalogs, `email.*`). compose.ts adds the order page link and the
// merchant's contact, as plain text and HTML.
import type { Words } from '../../core/i18n/messages.js';

/** What a template may use: the notification's payload (`orderNo` and the kind's own fields), the order as it is now, and its page. */
export interface EmailFacts {
  orderNo: string;
  payload: Record<string, unknown>;
  order: { status: string; currency: string; subtotal: number; shippingFee: number; tax: number; taxIncluded: boolean; total: number; paymentMethod: string };
  /** The customer's order page, where every payment flow can be completed while the order awaits payment. */
  orderUrl: string;
  /** When the message is written (not when the event happened: a message may wait for a mail server). */
  now: Date;
}

export interface EmailText {
  subject: string;
  paragraphs: string[];
}

export type EmailTemplate = (facts: EmailFacts, w: Words) => EmailText;

/** A payload amount in minor units, in the reader's style (`¥281.36`, `CN¥281.36`); '' when absent. */
export function money(w: Words, amount: unknown, currency: unknown): string {
  return typeof amount === 'number' && typeof currency === 'string' ? w.money(amount, currency) : '';
}

/** A payload field as text ('' when absent). */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** `Reason: …` when the payload carries one. */
export const reasonLines = (w: Words, reason: unknown): string[] => (text(reason) ? [w.t('email.reason', { reason: text(reason) })] : []);

/** `The merchant's note: …` when the payload carries one. */
export const noteLines = (w: Words, note: unknown): string[] => (text(note) ? [w.t('email.merchant_note', { note: text(note) })] : []);
