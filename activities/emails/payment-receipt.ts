import { formatAmount, text, type EmailTemplate } from './template.js';

/** The payment was received: the receipt, itemised. */
export const paymentReceipt: EmailTemplate = ({ orderNo, payload }) => {
  const items = Array.isArray(payload.items) ? (payload.items as Array<Record<string, unknown>>) : [];
  const currency = payload.currency;
  return {
    subject: `Payment received for order ${orderNo}`,
    paragraphs: [
      `We received your payment of ${formatAmount(payload.amount, currency)} for order ${orderNo}. Thank you!`,
      ...items.map((item) => `${text(item.quantity)} × ${text(item.name) || text(item.sku)}: ${formatAmount(item.lineTotal, currency)}`),
      'We will let you know when your order ships.',
    ],
  };
};
