import { text, type EmailTemplate } from './template.js';

/** The merchant shipped the order: carrier and tracking number. */
export const orderShipped: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Order ${orderNo} has shipped`,
  paragraphs: [`Your order ${orderNo} is on its way.`, `Carrier: ${text(payload.carrier)}`, `Tracking number: ${text(payload.trackingNumber)}`],
});
