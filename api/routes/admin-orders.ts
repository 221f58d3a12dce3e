// Merchant staff: find orders, confirm or decline them, ship, mark delivered, refund, decide refunds.
import { createRoute, z } from '@hono/zod-openapi';
import { listOrders, OrderListQuery } from '../../services/order-list.js';
import { ORDER_ACTION_ROWS, REFUND_DECISION_ROWS, refundOrderId, runOrderAction, runRefundDecision, type ActionInput, type OrderActionRow, type RefundDecisionRow } from '../../services/order-actions.js';
import { requireOrderView } from '../../services/order-reads.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { OrderIdParam, OrderSchema, OrderSummarySchema, RefundSchema } from '../order-schemas.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';
import { refundRoute } from './refund-route.js';

const OrderListItem = OrderSummarySchema.extend({
  paidAmount: z.number().int(),
  refundedAmount: z.number().int(),
  customer: z.object({ name: z.string(), email: z.string(), phone: z.string() }),
  paymentMethod: z.string(),
  createdAt: z.string(),
}).openapi('OrderListItem');

const RefundIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/orders',
  tags: ['admin'],
  summary: 'Orders, newest first: filter by status, search by order number, customer email or phone',
  security: bearerAuth,
  request: { query: OrderListQuery },
  responses: {
    200: jsonResponse(z.object({ orders: z.array(OrderListItem), nextCursor: z.string().nullable() }), 'A page of orders'),
    ...errorResponses(400, 401, 403),
  },
});

const list: AppRouteHandler<typeof listRoute> = async (c) => {
  return c.json(await listOrders(c.var.deps.db, merchantScopeOf(c.get('principal')), c.req.valid('query')), 200);
};

/** `POST /v1/admin/orders/{id}/<action>`: one update, then the fresh order. */
const actionRoute = (row: OrderActionRow) =>
  createRoute({
    method: 'post',
    path: `/v1/admin/orders/{id}/${row.name}`,
    tags: ['admin'],
    summary: row.summary,
    security: bearerAuth,
    request: { params: OrderIdParam, ...(row.input && { body: jsonBody(row.input) }) },
    responses: { 200: jsonResponse(OrderSchema, 'The order'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  });

const act =
  (row: OrderActionRow): AppRouteHandler<ReturnType<typeof actionRoute>> =>
  async (c) => {
    const scope = merchantScopeOf(c.get('principal'));
    const { id } = c.req.valid('param');
    // Validated (and trimmed) by the route's schema; a route built from a row cannot name its type.
    const input = row.input ? (c.req.valid as (target: 'json') => ActionInput)('json') : undefined;
    await runOrderAction(c.var.deps, scope, id, row, input);
    return c.json(await requireOrderView(c.var.deps.db, scope, id), 200);
  };

const refund = refundRoute({
  path: '/v1/admin/orders/{id}/refunds',
  tag: 'admin',
  summary: 'Refund (part of) a paid order, on the merchant’s own decision',
  actor: 'merchant',
});

/** `POST /v1/admin/refunds/{id}/<decision>`: the refund as decided. */
const decisionRoute = (row: RefundDecisionRow) =>
  createRoute({
    method: 'post',
    path: `/v1/admin/refunds/{id}/${row.name}`,
    tags: ['admin'],
    summary: row.summary,
    security: bearerAuth,
    request: { params: RefundIdParam, body: jsonBody(row.input) },
    responses: { 200: jsonResponse(RefundSchema, 'The refund'), ...errorResponses(400, 401, 403, 404, 409) },
  });

const decide =
  (row: RefundDecisionRow): AppRouteHandler<ReturnType<typeof decisionRoute>> =>
  async (c) => {
    const scope = merchantScopeOf(c.get('principal'));
    const refundId = c.req.valid('param').id;
    const orderId = await refundOrderId(c.var.deps, scope, refundId);
    const input = (c.req.valid as (target: 'json') => NonNullable<ActionInput>)('json');
    return c.json(await runRefundDecision(c.var.deps, scope, orderId, refundId, row, input), 200);
  };

export function registerAdminOrderRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  const admin = requireKey(keys, 'admin');
  app.use('/v1/admin/orders', admin);
  app.use('/v1/admin/orders/*', admin);
  app.use('/v1/admin/refunds/*', admin);

  app.openapi(listRoute, list);
  for (const row of ORDER_ACTION_ROWS) app.openapi(actionRoute(row), act(row));
  app.openapi(refund.route, refund.handler);
  for (const row of REFUND_DECISION_ROWS) app.openapi(decisionRoute(row), decide(row));
}
