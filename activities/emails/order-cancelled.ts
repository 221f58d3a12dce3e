import { text, type EmailTemplate } from './template.js';

/** The order was cancelled before payment: nothing was charged. */
export const orderCancelled: EmailTemplate = ({ orderNo, payload }) => ({
  subject: `Order ${orderNo} was cancelled`,
  paragraphs: [`Your order ${orderNo} was cancelled before payment; nothing was charged.`, ...(text(payload.reason) ? [`Reason: ${text(payload.reason)}`] : [])],
});
