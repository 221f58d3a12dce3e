// Every kind of customer e-mail the order workflow writes to the outbox, and how one becomes a message in
// the order's language: the template's paragraphs, then the order page link and the merchant's contact, as
// plain text and as HTML.
import type { Words } from '../../core/i18n/messages.js';
import { orderCancelled } from './order-cancelled.js';
import { orderDelivered } from './order-delivered.js';
import { orderExpired } from './order-expired.js';
import { orderReceived } from './order-received.js';
import { orderShipped } from './order-shipped.js';
import { paymentFailed } from './payment-failed.js';
import { paymentReceipt } from './payment-receipt.js';
import { paymentRefunded } from './payment-refunded.js';
import { refundApproved } from './refund-approved.js';
import { refundFailed } from './refund-failed.js';
import { refundRejected } from './refund-rejected.js';
import { refundRequested } from './refund-requested.js';
import { refundSucceeded } from './refund-succeeded.js';
import type { EmailFacts, EmailTemplate, EmailText } from './template.js';

/** By the notification's `kind` (the workflow's `persistAndNotify` calls). */
export const EMAIL_TEMPLATES = {
  order_received: orderReceived,
  payment_receipt: paymentReceipt,
  payment_failed: paymentFailed,
  payment_refunded: paymentRefunded,
  order_shipped: orderShipped,
  order_delivered: orderDelivered,
  refund_requested: refundRequested,
  refund_approved: refundApproved,
  refund_succeeded: refundSucceeded,
  refund_failed: refundFailed,
  refund_rejected: refundRejected,
  order_cancelled: orderCancelled,
  order_expired: orderExpired,
} satisfies Record<string, EmailTemplate>;

export type EmailKind = keyof typeof EMAIL_TEMPLATES;
export const isEmailKind = (kind: string): kind is EmailKind => Object.hasOwn(EMAIL_TEMPLATES, kind);

/** A kind with no template of its own (written by a newer workflow than this worker knows) still tells the customer something. */
const orderUpdate: EmailTemplate = ({ orderNo }, w) => ({ subject: w.t('email.update.subject', { orderNo }), paragraphs: [w.t('email.update.text', { orderNo })] });

export interface EmailSetting {
  merchantName: string;
  contactEmail: string;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function composeEmail(kind: string, facts: EmailFacts, setting: EmailSetting, w: Words): ComposedEmail {
  const { subject, paragraphs }: EmailText = (isEmailKind(kind) ? EMAIL_TEMPLATES[kind] : orderUpdate)(facts, w);
  const view = w.t('email.view', { link: facts.orderUrl });
  const contact = w.t('email.contact', { merchant: setting.merchantName, contact: setting.contactEmail });
  const text = [...paragraphs, view, contact].join('\n\n') + '\n';
  // Only the order page's own links become links (a reason or note someone typed stays text).
  const ownLink = new RegExp(`${escapeRegExp(escapeHtml(facts.orderUrl))}(?:#[\\w-]+)?`, 'g');
  const linked = (paragraph: string) => escapeHtml(paragraph).replace(ownLink, (url) => `<a href="${url}">${url}</a>`);
  const html = [
    `<!doctype html><html lang="${w.locale}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...[...paragraphs, view].map((p) => `<p>${linked(p)}</p>`),
    `<p style="color:#555">${escapeHtml(contact)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
