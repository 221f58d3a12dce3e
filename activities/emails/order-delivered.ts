import { text, type EmailTemplate } from './template.js';

/** The merchant marked the order delivered: when, in the merchant's time zone. */
export const orderDelivered: EmailTemplate = ({ orderNo, payload }, w) => ({
  subject: w.t('email.order_delivered.subject', { orderNo }),
  paragraphs: [w.t('email.order_delivered.text', { orderNo, date: w.dateTime(text(payload.deliveredAt) || undefined) })],
});
