// What waits for the merchant, in one mode: counts (capped, for the navigation on every page) and the first
// few of each kind (for the to-do page). The orders' (merchant_id, livemode, status) index serves the
// status sections; the outbox's partial index of unsent rows serves the e-mail count.
import { sql } from 'kysely';
import type { Mode } from '../core/modes.js';
import type { OrderStatus } from '../domain/order.js';
import type { Db } from './database.js';
import { MERCHANT_DISABLED } from './merchant-webhooks.js';

/** No count goes higher: the navigation says "99+" rather than counting a backlog to the end. */
export const TODO_COUNT_CAP = 100;

export interface TodoCounts {
  confirm: number;
  ship: number;
  refunds: number;
  review: number;
  webhooks: number;
  email: number;
}

export interface TodoScope {
  merchantId: string;
  livemode: boolean;
  mode: Mode;
}

/** Each count in one round trip, each stopped at the cap. */
export async function countTodo(db: Db, { merchantId, livemode, mode }: TodoScope): Promise<TodoCounts> {
  const cap = TODO_COUNT_CAP;
  const orders = (status: string) =>
    sql<number>`(select count(*)::int from (select 1 from orders where merchant_id = ${merchantId} and livemode = ${livemode} and status = ${status} limit ${cap}) t)`;
  const { rows } = await sql<TodoCounts>`
    select
      ${orders('paid')} as confirm,
      ${orders('confirmed')} as ship,
      (select count(*)::int from (
        select 1 from refunds join orders on orders.id = refunds.order_id
        where refunds.merchant_id = ${merchantId} and orders.livemode = ${livemode} and refunds.status = 'pending_approval' limit ${cap}) t) as refunds,
      (select count(*)::int from (
        select 1 from orders where merchant_id = ${merchantId} and livemode = ${livemode}
        and (status = 'needs_review' or cardinality(alerts) > 0) limit ${cap}) t) as review,
      (select count(*)::int from (
        select 1 from webhook_endpoints where merchant_id = ${merchantId} and mode = ${mode}
        and (failing_since is not null or (not enabled and disabled_reason is distinct from ${MERCHANT_DISABLED})) limit ${cap}) t) as webhooks,
      (select count(*)::int from (
        select 1 from outbox join orders on orders.id = outbox.order_id
        where outbox.merchant_id = ${merchantId} and orders.livemode = ${livemode} and outbox.sent_at is null limit ${cap}) t) as email
  `.execute(db);
  return rows[0]!;
}

export interface TodoOrder {
  id: string;
  orderNo: string;
  status: OrderStatus;
  alerts: string[];
  total: number;
  currency: string;
  customerName: string;
  updatedAt: Date;
}

export interface TodoRefund extends TodoOrder {
  refundId: string;
  refundAmount: number;
}

export interface TodoEndpoint {
  id: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
}

export interface TodoLists {
  confirm: TodoOrder[];
  ship: TodoOrder[];
  refunds: TodoRefund[];
  review: TodoOrder[];
  webhooks: TodoEndpoint[];
}

/** The oldest `limit` of each kind: what has waited longest comes first. */
export async function listTodo(db: Db, { merchantId, livemode, mode }: TodoScope, limit: number): Promise<TodoLists> {
  const orderColumns = ['orders.id', 'orders.orderNo', 'orders.status', 'orders.alerts', 'orders.total', 'orders.currency', 'orders.updatedAt', sql<string>`orders.customer->>'name'`.as('customerName')] as const;
  const orders = () => db.selectFrom('orders').select(orderColumns).where('orders.merchantId', '=', merchantId).where('orders.livemode', '=', livemode).orderBy('orders.updatedAt').orderBy('orders.id').limit(limit);
  const [confirm, ship, review, refunds, webhooks] = await Promise.all([
    orders().where('orders.status', '=', 'paid').execute(),
    orders().where('orders.status', '=', 'confirmed').execute(),
    orders()
      .where((eb) => eb.or([eb('orders.status', '=', 'needs_review'), eb(sql`cardinality(orders.alerts)`, '>', 0)]))
      .execute(),
    db
      .selectFrom('refunds')
      .innerJoin('orders', 'orders.id', 'refunds.orderId')
      .select([...orderColumns, 'refunds.id as refundId', 'refunds.amount as refundAmount'])
      .where('refunds.merchantId', '=', merchantId)
      .where('orders.livemode', '=', livemode)
      .where('refunds.status', '=', 'pending_approval')
      .orderBy('refunds.createdAt')
      .limit(limit)
      .execute(),
    db
      .selectFrom('webhookEndpoints')
      .select(['id', 'url', 'enabled', 'disabledReason', 'failingSince'])
      .where('merchantId', '=', merchantId)
      .where('mode', '=', mode)
      .where((eb) => eb.or([eb('failingSince', 'is not', null), eb.and([eb('enabled', '=', false), eb('disabledReason', 'is distinct from', MERCHANT_DISABLED)])]))
      .orderBy('createdAt')
      .limit(limit)
      .execute(),
  ]);
  const asOrder = <T extends { updatedAt: Date | string }>(row: T) => ({ ...row, updatedAt: new Date(row.updatedAt) });
  return {
    confirm: confirm.map(asOrder),
    ship: ship.map(asOrder),
    review: review.map(asOrder),
    refunds: refunds.map(asOrder),
    webhooks: webhooks.map((row) => ({ ...row, failingSince: row.failingSince ? new Date(row.failingSince) : null })),
  };
}
