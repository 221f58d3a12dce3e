import { money, noteLines, reasonLines, type EmailTemplate } from './template.js';

/** The merchant approved a refund request: amount, reason, and the merchant's note if any. */
export const refundApproved: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.refund_approved.subject', { orderNo }),
  paragraphs: [w.t('email.refund_approved.text', { orderNo, amount: money(w, payload.amount, payload.currency) }), ...reasonLines(w, payload.reason), ...noteLines(w, payload.note)],
});
