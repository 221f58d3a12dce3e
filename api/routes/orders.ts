// The storefront's view of one order: read it, cancel it before payment, ask for a refund.
import { createRoute } from '@hono/zod-openapi';
import { endTime, startTime } from 'hono/timing';
import { cancelOrder } from '../../services/order-actions.js';
import { requireOrderView } from '../../services/order-reads.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { OrderIdParam, OrderSchema } from '../order-schemas.js';
import { bearerAuth, errorResponses, jsonResponse } from '../schemas.js';
import { refundRoute } from './refund-route.js';

const orderResponse = jsonResponse(OrderSchema, 'The order');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/orders/{id}',
  tags: ['orders'],
  summary: 'An order with its payments, refunds, shipment and timeline',
  security: bearerAuth,
  request: { params: OrderIdParam },
  responses: { 200: orderResponse, ...errorResponses(401, 403, 404) },
});

const get: AppRouteHandler<typeof getRoute> = async (c) => {
  // The read on its own in Server-Timing, beside the request's total: a slow answer's time, located.
  startTime(c, 'db');
  const order = await requireOrderView(c.var.deps.db, merchantScopeOf(c.get('principal')), c.req.valid('param').id);
  endTime(c, 'db');
  return c.json(order, 200);
};

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{id}/cancel',
  tags: ['orders'],
  summary: 'Cancel an order that has not been paid; the gateway payment is closed',
  security: bearerAuth,
  request: { params: OrderIdParam },
  responses: { 200: orderResponse, ...errorResponses(401, 403, 404, 409) },
});

const cancel: AppRouteHandler<typeof cancelRoute> = async (c) => {
  const scope = merchantScopeOf(c.get('principal'));
  const { id } = c.req.valid('param');
  await cancelOrder(c.var.deps, scope, id);
  return c.json(await requireOrderView(c.var.deps.db, scope, id), 200);
};

const refund = refundRoute({
  path: '/v1/orders/{id}/refunds',
  tag: 'orders',
  summary: "Request a refund for the customer; the merchant's policy decides whether it needs approval",
  actor: 'customer',
});

export function registerOrderRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/orders/*', requireKey(keys, 'secret', 'admin'));
  app.openapi(getRoute, get);
  app.openapi(cancelRoute, cancel);
  app.openapi(refund.route, refund.handler);
}
