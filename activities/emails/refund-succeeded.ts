import { formatAmount, text, type EmailTemplate } from './template.js';

/** A refund went through at the gateway: amount and reason. */
export const refundSucceeded: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Refund for order ${orderNo}`,
  paragraphs: [
    `We refunded ${formatAmount(payload.amount, payload.currency)} for order ${orderNo}. It may take a few days to reach your account.`,
    ...(text(payload.reason) ? [`Reason: ${text(payload.reason)}`] : []),
  ],
});
