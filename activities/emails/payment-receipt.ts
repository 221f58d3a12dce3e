import { GATEWAY_PROFILES, type GatewayName } from '../../domain/gateways.js';
import { formatAmount, text, type EmailTemplate } from './template.js';

/** The payment was received: the receipt, itemised. */
export const paymentReceipt: EmailTemplate = ({ orderNo, payload, order }) => {
  const items = Array.isArray(payload.items) ? (payload.items as Array<Record<string, unknown>>) : [];
  const { currency } = order;
  const method = GATEWAY_PROFILES[order.paymentMethod as GatewayName]?.label ?? order.paymentMethod;
  return {
    subject: `Payment received for order ${orderNo}`,
    paragraphs: [
      `We received your payment of ${formatAmount(payload.amount, currency)} for order ${orderNo}. Thank you!`,
      ...items.map((item) => `${text(item.quantity)} × ${text(item.name) || text(item.sku)}: ${formatAmount(item.lineTotal, currency)}`),
      `Subtotal: ${formatAmount(order.subtotal, currency)}`,
      `Shipping: ${formatAmount(order.shippingFee, currency)}`,
      `Tax: ${formatAmount(order.tax, currency)}`,
      `Total: ${formatAmount(order.total, currency)}, paid with ${method}`,
      'We will let you know when your order ships.',
    ],
  };
};
