// Checkout: one call makes the order and its payment and says what the customer must do to pay.
import { createRoute, z } from '@hono/zod-openapi';
import { checkout, CheckoutRequestSchema } from '../../services/checkout.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { CheckoutResponseSchema } from '../order-schemas.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const checkoutRoute = createRoute({
  method: 'post',
  path: '/v1/checkouts',
  tags: ['checkout'],
  summary: 'Start a checkout: creates the order and the payment, returns what the customer must do to pay',
  security: bearerAuth,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Unique per checkout attempt; retries reuse it.' }) }),
    body: jsonBody(CheckoutRequestSchema),
  },
  responses: {
    201: jsonResponse(CheckoutResponseSchema, 'The order and its payment action'),
    ...errorResponses(400, 401, 403, 409, 422, 503),
    502: jsonResponse(CheckoutResponseSchema, 'The gateway refused to create the payment'),
  },
});

const start: AppRouteHandler<typeof checkoutRoute> = async (c) => {
  const answer = await checkout(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
  if (answer.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(answer.checkout, 201);
};

export function registerCheckoutRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/checkouts', requireKey(keys, 'secret'));
  app.openapi(checkoutRoute, start);
}
