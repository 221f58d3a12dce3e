import { reasonLines, type EmailTemplate } from './template.js';

/** The order was cancelled before payment: nothing was charged; the reason given. */
export const orderCancelled: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.order_cancelled.subject', { orderNo }),
  paragraphs: [w.t('email.order_cancelled.text', { orderNo }), ...reasonLines(w, payload.reason)],
});
