import { text, type EmailTemplate } from './template.js';

/** The merchant shipped the order: carrier and tracking number. */
export const orderShipped: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.order_shipped.subject', { orderNo }),
  paragraphs: [
    w.t('email.order_shipped.text', { orderNo }),
    w.t('email.order_shipped.carrier', { carrier: text(payload.carrier) }),
    w.t('email.order_shipped.tracking', { trackingNumber: text(payload.trackingNumber) }),
  ],
});
