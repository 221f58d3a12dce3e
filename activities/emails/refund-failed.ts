import { money, type EmailTemplate } from './template.js';

/** The gateway refused a refund: the merchant has been told and will follow up. */
export const refundFailed: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.refund_failed.subject', { orderNo }),
  paragraphs: [w.t('email.refund_failed.text', { orderNo, amount: money(w, payload.amount, payload.currency) })],
});
