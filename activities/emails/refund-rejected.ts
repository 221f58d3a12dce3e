import { money, noteLines, type EmailTemplate } from './template.js';

/** The merchant declined a refund request, with their note. */
export const refundRejected: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.refund_rejected.subject', { orderNo }),
  // The workflow sends the merchant's note as `reason`.
  paragraphs: [w.t('email.refund_rejected.text', { orderNo, amount: money(w, payload.amount, payload.currency) }), ...noteLines(w, payload.reason)],
});
