import { formatAmount, type EmailTemplate } from './template.js';

/** The gateway refused a refund: the merchant has been told and will follow up. */
export const refundFailed: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Refund for order ${orderNo} could not be completed`,
  paragraphs: [`The refund of ${formatAmount(payload.amount, payload.currency)} for order ${orderNo} could not be completed by the payment provider. The merchant will contact you.`],
});
