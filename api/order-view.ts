import type { Db } from '../db/database.js';
import { ApiError } from './errors.js';

const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

/** The order as the API shows it, read from the projection; undefined when the merchant has no such order. */
export async function loadOrderView(db: Db, merchantId: string, orderId: string) {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).where('merchantId', '=', merchantId).executeTakeFirst();
  if (!order) return undefined;
  const [payments, refunds, events] = await Promise.all([
    db.selectFrom('payments').selectAll().where('orderId', '=', orderId).orderBy('createdAt').execute(),
    db.selectFrom('refunds').selectAll().where('orderId', '=', orderId).orderBy('createdAt').orderBy('id').execute(),
    db.selectFrom('orderEvents').selectAll().where('orderId', '=', orderId).orderBy('seq').execute(),
  ]);
  return {
    id: order.id,
    orderNo: order.orderNo,
    status: order.status,
    statusReason: order.statusReason,
    currency: order.currency,
    subtotal: order.subtotal,
    shippingFee: order.shippingFee,
    tax: order.tax,
    total: order.total,
    paidAmount: order.paidAmount,
    refundedAmount: order.refundedAmount,
    items: order.items,
    customer: order.customer,
    shippingAddress: order.shippingAddress,
    paymentMethod: order.paymentMethod,
    payments: payments.map((p) => ({
      id: p.id,
      gateway: p.gateway,
      status: p.status,
      amount: p.amount,
      currency: p.currency,
      capturedAmount: p.capturedAmount,
      capturedCurrency: p.capturedCurrency,
      gatewayReference: p.gatewayReference,
      action: p.action,
      expiresAt: iso(p.expiresAt),
      paidAt: iso(p.paidAt),
      createdAt: iso(p.createdAt),
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      paymentId: r.paymentId,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      status: r.status,
      initiatedBy: r.initiatedBy,
      note: r.note,
      gatewayReference: r.gatewayReference,
      failureReason: r.failureReason,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    })),
    shipment: order.shipment,
    timeline: events.map((e) => ({ seq: e.seq, at: iso(e.at), status: e.status, event: e.event, actor: e.actor, message: e.message })),
    viewToken: order.viewToken,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  };
}

export type OrderView = NonNullable<Awaited<ReturnType<typeof loadOrderView>>>;

/** The order, or a 404: another merchant's order is never found. */
export async function requireOrderView(db: Db, merchantId: string, orderId: string): Promise<OrderView> {
  const order = await loadOrderView(db, merchantId, orderId);
  if (!order) throw new ApiError(404, 'not_found', 'No such order.');
  return order;
}
