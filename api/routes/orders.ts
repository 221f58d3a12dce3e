// The storefront's view of one order: read it, cancel it before payment, ask for a refund.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { endTime, startTime } from 'hono/timing';
import { cancelUpdate } from '../../workflows/messages.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { OrderIdParam, OrderSchema, RefundRequestHeaders, RefundRequestSchema, RefundSchema } from '../order-schemas.js';
import { orderWorkflowId, requestRefund, updateOrder } from '../../services/order-updates.js';
import { requireOrderView } from '../../services/order-reads.js';
import { bearerAuth, errorResponses } from '../schemas.js';

export function registerOrderRoutes(app: OpenAPIHono<AppEnv>, { db, temporal, keys }: RouteDeps) {
  app.use('/v1/orders/*', requireKey(keys, 'secret', 'admin'));

  const orderResponse = { description: 'The order', content: { 'application/json': { schema: OrderSchema } } };


  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/orders/{id}',
      tags: ['orders'],
      summary: 'An order with its payments, refunds, shipment and timeline',
      security: bearerAuth,
      request: { params: OrderIdParam },
      responses: { 200: orderResponse, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      // The read on its own in Server-Timing, beside the request's total: a slow answer's time, located.
      startTime(c, 'db');
      const order = await requireOrderView(db, merchantIdOf(c.get('principal')), c.req.valid('param').id);
      endTime(c, 'db');
      return c.json(order, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/cancel',
      tags: ['orders'],
      summary: 'Cancel an order that has not been paid; the gateway payment is closed',
      security: bearerAuth,
      request: { params: OrderIdParam },
      responses: { 200: orderResponse, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const { id } = c.req.valid('param');
      const workflowId = await orderWorkflowId(db, merchantId, id);
      await updateOrder(temporal, workflowId, (handle) => handle.executeUpdate(cancelUpdate, { args: [{ actor: 'customer', reason: 'Cancelled by the customer before payment.' }] }));
      return c.json(await requireOrderView(db, merchantId, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/orders/{id}/refunds',
      tags: ['orders'],
      summary: "Request a refund for the customer; the merchant's policy decides whether it needs approval",
      security: bearerAuth,
      request: { params: OrderIdParam, headers: RefundRequestHeaders, body: { required: true, content: { 'application/json': { schema: RefundRequestSchema } } } },
      responses: {
        201: { description: 'The refund', content: { 'application/json': { schema: RefundSchema } } },
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const { id } = c.req.valid('param');
      const key = c.req.valid('header')['idempotency-key'];
      const refund = await requestRefund({ db, temporal }, merchantId, id, { ...c.req.valid('json'), actor: 'customer', idempotencyKey: key });
      return c.json(refund, 201);
    },
  );
}
