// The payment a shopper can still make on an order: the newest pending one with something to show.
import type { OrderView } from '../../services/order-reads.js';

export function payablePayment(order: Pick<OrderView, 'status' | 'payments'>) {
  if (order.status !== 'awaiting_payment') return undefined;
  return order.payments.findLast((p) => p.status === 'pending' && p.action);
}
