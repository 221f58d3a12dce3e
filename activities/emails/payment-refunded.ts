import { money, reasonLines, type EmailTemplate } from './template.js';

/** A payment that needed review was declined by the merchant and refunded in full. */
export const paymentRefunded: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.payment_refunded.subject', { orderNo }),
  paragraphs: [w.t('email.payment_refunded.text', { orderNo, amount: money(w, payload.amount, payload.currency) }), ...reasonLines(w, payload.reason)],
});
