import type { EmailTemplate } from './template.js';

/** The payment window closed before payment: nothing was charged. */
export const orderExpired: EmailTemplate = ({ orderNo }) => ({
  subject: `Order ${orderNo} expired`,
  paragraphs: [`The time to pay for order ${orderNo} has run out, so the order was closed; nothing was charged. You are welcome to order again.`],
});
