// Reads of the order projection (written by `writeOrderProjection`): one order with its children, pages of
// the list, and the lookups that find an order's workflow by order, refund, idempotency key or view token.
// A merchant's reads are scoped to one mode: a key never sees the other mode's orders, nor their refunds.
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import { isLive, type MerchantScope } from '../core/modes.js';
import type { OrderStatus } from '../domain/order.js';
import type { Database, Db, OrderEventTable, PaymentTable, RefundTable } from './database.js';
import { emailStatusRows } from './email-timeline.js';

type JsonRow = Record<string, unknown>;

/** The scope's orders only: its merchant's, of its mode. */
const inScope =
  ({ merchantId, mode }: MerchantScope) =>
  (eb: ExpressionBuilder<Database, 'orders'>) =>
    eb.and([eb('orders.merchantId', '=', merchantId), eb('orders.livemode', '=', isLive(mode))]);

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

/**
 * One of the scope's orders with its payments, refunds, timeline and e-mail send status, in one statement
 * (the children ride along as JSON arrays); undefined when the scope has no such order.
 */
export async function findOrderWithChildren(db: Db, scope: MerchantScope, orderId: string) {
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .select([childRows('payments', 'c.created_at'), childRows('refunds', 'c.created_at, c.id'), childRows('orderEvents', 'c.seq'), emailStatusRows])
    .where('id', '=', orderId)
    .where(inScope(scope))
    .executeTakeFirst();
  if (!order) return undefined;
  return {
    ...order,
    payments: camelRows<Selectable<PaymentTable>>(order.payments),
    refunds: camelRows<Selectable<RefundTable>>(order.refunds),
    orderEvents: camelRows<Selectable<OrderEventTable>>(order.orderEvents),
  };
}

export interface OrderPageQuery {
  status?: OrderStatus;
  /** Order number, customer email or phone. */
  q?: string;
  /** Only rows older than this (created_at, id), newest first. */
  before?: [createdAt: string, id: string];
  limit: number;
}

/** The scope's orders, newest first, filtered and searched, at most `limit` rows. */
export async function selectOrderPage(db: Db, scope: MerchantScope, { status, q, before, limit }: OrderPageQuery) {
  let query = db.selectFrom('orders').selectAll().where(inScope(scope));
  if (status) query = query.where('status', '=', status);
  if (q) {
    query = query.where((eb) =>
      eb.or([eb('orderNo', '=', q.toUpperCase()), eb('customerEmail', '=', q.toLowerCase()), eb('customerPhone', '=', q)]),
    );
  }
  if (before) {
    const [at, id] = before;
    query = query.where(sql<boolean>`(created_at, id) < (${at}::timestamptz, ${id})`);
  }
  return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The workflow and status of one of the scope's orders. */
export async function findOrderWorkflow(db: Db, scope: MerchantScope, orderId: string) {
  return db.selectFrom('orders').select(['workflowId', 'status']).where('id', '=', orderId).where(inScope(scope)).executeTakeFirst();
}

/** The order a checkout with this Idempotency-Key made in this scope, and the hash of the request that made it. */
export async function findOrderByIdempotencyKey(db: Db, scope: MerchantScope, idempotencyKey: string) {
  return db.selectFrom('orders').select(['id', 'requestHash']).where(inScope(scope)).where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();
}

/** Which order (and merchant, and mode) a view token names, and its projection version. */
export async function findOrderByViewToken(db: Db, viewToken: string) {
  return db.selectFrom('orders').select(['id', 'merchantId', 'livemode', 'version']).where('viewToken', '=', viewToken).executeTakeFirst();
}

/** The projection's version for a view token. */
export async function orderVersionByViewToken(db: Db, viewToken: string): Promise<number | undefined> {
  const row = await db.selectFrom('orders').select('version').where('viewToken', '=', viewToken).executeTakeFirst();
  return row?.version;
}

/** The order one of the scope's refunds belongs to. */
export async function findRefundOrderId(db: Db, scope: MerchantScope, refundId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.orderId')
    .select('refunds.orderId')
    .where('refunds.id', '=', refundId)
    .where(inScope(scope))
    .executeTakeFirst();
  return row?.orderId;
}

/** The refund a keyed request made on this order. */
export async function findRefundByIdempotencyKey(db: Db, orderId: string, idempotencyKey: string) {
  return db.selectFrom('refunds').selectAll().where('orderId', '=', orderId).where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();
}

/** The order (its workflow and mode) one of the merchant's payments belongs to. */
export async function findPaymentOrder(db: Db, merchantId: string, paymentId: string) {
  return db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.orderId')
    .select(['orders.id as orderId', 'orders.workflowId', 'orders.livemode'])
    .where('payments.id', '=', paymentId)
    .where('payments.merchantId', '=', merchantId)
    .executeTakeFirst();
}

/** The order (its workflow and mode) one of the merchant's refunds belongs to. */
export async function findRefundOrder(db: Db, merchantId: string, refundId: string) {
  return db
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.orderId')
    .select(['orders.id as orderId', 'orders.workflowId', 'orders.livemode'])
    .where('refunds.id', '=', refundId)
    .where('refunds.merchantId', '=', merchantId)
    .executeTakeFirst();
}
