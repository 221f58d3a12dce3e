import { money, reasonLines, type EmailTemplate } from './template.js';

/** The customer's refund request waits for the merchant's approval: amount and the customer's reason. */
export const refundRequested: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.refund_requested.subject', { orderNo }),
  paragraphs: [w.t('email.refund_requested.text', { orderNo, amount: money(w, payload.amount, payload.currency) }), ...reasonLines(w, payload.reason)],
});
