import type { EmailTemplate } from './template.js';

/** The payment window closed before payment: nothing was charged. */
export const orderExpired: EmailTemplate = ({ orderNo }, w) => ({
  subject: w.t('email.order_expired.subject', { orderNo }),
  paragraphs: [w.t('email.order_expired.text', { orderNo })],
});
