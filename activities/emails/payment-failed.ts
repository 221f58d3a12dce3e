import { money, type EmailTemplate } from './template.js';

/** The gateway reported the payment failed: the order is cancelled, nothing was charged. */
export const paymentFailed: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.payment_failed.subject', { orderNo }),
  paragraphs: [w.t('email.payment_failed.text', { orderNo, amount: money(w, payload.amount, payload.currency) })],
});
