import { GATEWAYS, type GatewayName } from '../../domain/gateways.js';
import { money, text, type EmailTemplate } from './template.js';

const isGateway = (value: string): value is GatewayName => (GATEWAYS as readonly string[]).includes(value);

/** The payment was received: the receipt, itemised. */
export const paymentReceipt: EmailTemplate = ({ orderNo, payload, order }, w) => {
  const items = Array.isArray(payload.items) ? (payload.items as Array<Record<string, unknown>>) : [];
  const m = (amount: number) => w.money(amount, order.currency);
  const method = isGateway(order.paymentMethod) ? w.t(`gateway.${order.paymentMethod}`) : order.paymentMethod;
  return {
    subject: w.t('email.payment_receipt.subject', { orderNo }),
    paragraphs: [
      w.t('email.payment_receipt.text', { orderNo, amount: money(w, payload.amount, order.currency) }),
      ...items.map((item) => w.t('email.payment_receipt.item', { quantity: text(item.quantity), name: text(item.name) || text(item.sku), amount: money(w, item.lineTotal, order.currency) })),
      w.t('email.payment_receipt.subtotal', { amount: m(order.subtotal) }),
      w.t('email.payment_receipt.shipping', { amount: m(order.shippingFee) }),
      w.t(order.taxIncluded ? 'email.payment_receipt.tax_included' : 'email.payment_receipt.tax', { amount: m(order.tax) }),
      w.t('email.payment_receipt.total', { amount: m(order.total), method }),
      w.t('email.payment_receipt.next'),
    ],
  };
};
