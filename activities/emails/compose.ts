// Every kind of customer e-mail the order workflow writes to the outbox, and how one becomes a message: the
// template's paragraphs, then the order page link and the merchant's contact, as plain text and as HTML.
import { orderCancelled } from './order-cancelled.js';
import { orderExpired } from './order-expired.js';
import { orderShipped } from './order-shipped.js';
import { paymentReceipt } from './payment-receipt.js';
import { paymentRefunded } from './payment-refunded.js';
import { refundFailed } from './refund-failed.js';
import { refundRejected } from './refund-rejected.js';
import { refundSucceeded } from './refund-succeeded.js';
import type { EmailFacts, EmailTemplate, EmailText } from './template.js';

/** By the notification's `kind` (workflows/order-entity.ts `persistAndNotify`). */
export const EMAIL_TEMPLATES: Record<string, EmailTemplate> = {
  payment_receipt: paymentReceipt,
  payment_refunded: paymentRefunded,
  order_shipped: orderShipped,
  refund_succeeded: refundSucceeded,
  refund_failed: refundFailed,
  refund_rejected: refundRejected,
  order_cancelled: orderCancelled,
  order_expired: orderExpired,
};

/** A kind with no template of its own (written by a newer workflow than this worker knows) still tells the customer something. */
const orderUpdate: EmailTemplate = ({ orderNo }) => ({ subject: `Update on order ${orderNo}`, paragraphs: [`There is news about your order ${orderNo}.`] });

export interface EmailSetting {
  orderUrl: string;
  merchantName: string;
  contactEmail: string;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function composeEmail(kind: string, facts: EmailFacts, setting: EmailSetting): ComposedEmail {
  const { subject, paragraphs }: EmailText = (EMAIL_TEMPLATES[kind] ?? orderUpdate)(facts);
  const view = 'View your order:';
  const contact = `Questions? Reply to this e-mail or write to ${setting.merchantName} at ${setting.contactEmail}.`;
  const text = [...paragraphs, `${view} ${setting.orderUrl}`, contact].join('\n\n') + '\n';
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${view} <a href="${escapeHtml(setting.orderUrl)}">${escapeHtml(setting.orderUrl)}</a></p>`,
    `<p style="color:#555">${escapeHtml(contact)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
