import { text, type EmailTemplate } from './template.js';

/** The anchor of the order page's payment section. */
export const PAY_SECTION = '#pay-heading';

/**
 * The order was placed: its total and, while the order still awaits payment when the message is written,
 * the link to pay and the deadline (a message delayed past payment or expiry carries no payment link).
 */
export const orderReceived: EmailTemplate = ({ orderNo, payload, order, orderUrl, now }, w) => {
  const deadline = Date.parse(text(payload.expiresAt));
  const payable = order.status === 'awaiting_payment' && deadline > now.getTime();
  return {
    subject: w.t('email.order_received.subject', { orderNo }),
    paragraphs: [
      w.t('email.order_received.text', { orderNo, amount: w.money(order.total, order.currency) }),
      ...(payable ? [w.t('email.order_received.pay', { deadline: w.dateTime(new Date(deadline)), link: `${orderUrl}${PAY_SECTION}` }), w.t('email.order_received.pay_note')] : []),
    ],
  };
};
