import { formatAmount, text, type EmailTemplate } from './template.js';

/** The merchant declined a refund request, with their note. */
export const refundRejected: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Refund request for order ${orderNo} declined`,
  paragraphs: [`Your request for a refund of ${formatAmount(payload.amount, payload.currency)} for order ${orderNo} was declined.`, ...(text(payload.reason) ? [`The merchant's note: ${text(payload.reason)}`] : [])],
});
