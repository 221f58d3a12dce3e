// The merchant's order list: newest first, filtered by status, searched by order number, customer email or
// phone, paginated with a cursor. Used by `GET /v1/admin/orders` and by the admin pages.
import { z } from '@hono/zod-openapi';
import { ApiError } from '../core/errors.js';
import type { MerchantScope } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { selectOrderPage } from '../db/order-reads.js';
import { ORDER_STATUSES } from '../domain/order.js';

export const OrderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Order number, customer email or phone' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;

/** `2026-12-03T09:12:23.000Z` exactly (what `toISOString` writes), not any text `Date.parse` accepts. */
function isInstant(text: string): boolean {
  const at = new Date(text);
  return !Number.isNaN(at.getTime()) && at.toISOString() === text;
}
const ORDER_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Cursor = the last row's (created_at, id): stable pagination, newest first, whatever is inserted meanwhile. */
const encodeCursor = (createdAt: Date | string, id: string) => Buffer.from(JSON.stringify([new Date(createdAt).toISOString(), id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    // Exactly what encodeCursor writes: an ISO timestamp JavaScript and Postgres read alike, and an order id.
    if (typeof at === 'string' && typeof id === 'string' && isInstant(at) && ORDER_ID.test(id)) return [at, id];
  } catch {
    // fall through
  }
  throw new ApiError(400, 'invalid_cursor', 'The cursor is not valid; start again without it.');
}

/** One page of the scope's orders (its mode's only) and the cursor of the next (older) page, or null on the last page. */
export async function listOrders(db: Db, scope: MerchantScope, { status, q, cursor, limit }: OrderListQuery) {
  const rows = await selectOrderPage(db, scope, { status, q, ...(cursor && { before: decodeCursor(cursor) }), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    orders: page.map((o) => ({
      id: o.id,
      orderNo: o.orderNo,
      livemode: o.livemode,
      status: o.status,
      currency: o.currency,
      subtotal: o.subtotal,
      shippingFee: o.shippingFee,
      tax: o.tax,
      taxIncluded: o.taxIncluded,
      total: o.total,
      items: o.items,
      paidAmount: o.paidAmount,
      refundedAmount: o.refundedAmount,
      customer: o.customer,
      paymentMethod: o.paymentMethod,
      createdAt: new Date(o.createdAt).toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

export type OrderListPage = Awaited<ReturnType<typeof listOrders>>;
