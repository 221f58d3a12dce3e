import { sql, type Selectable } from 'kysely';
import type { Db, OrderEventTable, PaymentTable, RefundTable } from '../db/database.js';
import { ApiError } from '../core/errors.js';

const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

type JsonRow = Record<string, unknown>;

/** A child table's rows of this order as one JSON array, in Postgres's own keys (snake_case). */
const childRows = (table: 'payments' | 'refunds' | 'orderEvents', orderBy: string) =>
  sql<JsonRow[]>`coalesce((select json_agg(c order by ${sql.raw(orderBy)}) from ${sql.table(table)} c where c.order_id = orders.id), '[]')`.as(table);

/**
 * Keys as Kysely's camel-case plugin gives them, top level only (a payment action keeps its stored keys);
 * timestamps stay strings, which the child tables' types allow.
 */
function camelRows<Row>(rows: JsonRow[]): Row[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value])) as Row);
}

/** A refund as the API shows it (also answering a retried refund request once the order's run has ended). */
export function refundView(r: Selectable<RefundTable>) {
  return {
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
  };
}

/**
 * The order as the API shows it, read from the projection in one statement (payments, refunds and timeline
 * ride along as JSON arrays); undefined when the merchant has no such order.
 */
export async function loadOrderView(db: Db, merchantId: string, orderId: string) {
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .select([childRows('payments', 'c.created_at'), childRows('refunds', 'c.created_at, c.id'), childRows('orderEvents', 'c.seq')])
    .where('id', '=', orderId)
    .where('merchantId', '=', merchantId)
    .executeTakeFirst();
  if (!order) return undefined;
  const payments = camelRows<Selectable<PaymentTable>>(order.payments);
  const refunds = camelRows<Selectable<RefundTable>>(order.refunds);
  const events = camelRows<Selectable<OrderEventTable>>(order.orderEvents);
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
    refunds: refunds.map(refundView),
    shipment: order.shipment,
    timeline: events.map((e) => ({ seq: e.seq, at: iso(e.at), status: e.status, event: e.event, actor: e.actor, message: e.message })),
    viewToken: order.viewToken,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  };
}

export type RefundView = ReturnType<typeof refundView>;
export type OrderView = NonNullable<Awaited<ReturnType<typeof loadOrderView>>>;

/** The order, or a 404: another merchant's order is never found. */
export async function requireOrderView(db: Db, merchantId: string, orderId: string): Promise<OrderView> {
  const order = await loadOrderView(db, merchantId, orderId);
  if (!order) throw new ApiError(404, 'not_found', 'No such order.');
  return order;
}
