import { money, reasonLines, type EmailTemplate } from './template.js';

/** A refund went through at the gateway: amount and reason. */
export const refundSucceeded: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.refund_succeeded.subject', { orderNo }),
  paragraphs: [w.t('email.refund_succeeded.text', { orderNo, amount: money(w, payload.amount, payload.currency) }), ...reasonLines(w, payload.reason)],
});
