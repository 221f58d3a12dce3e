import { formatAmount, text, type EmailTemplate } from './template.js';

/** A payment that needed review was declined by the merchant and refunded in full. */
export const paymentRefunded: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Order ${orderNo} was refunded`,
  paragraphs: [`Your payment of ${formatAmount(payload.amount, payload.currency)} for order ${orderNo} is being refunded in full.`, ...(text(payload.reason) ? [`Reason: ${text(payload.reason)}`] : [])],
});
