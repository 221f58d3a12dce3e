// `POST …/orders/{id}/refunds`, one shape for both callers: the storefront asks for the customer (the
// merchant's policy decides whether it waits for approval), merchant staff refund on their own decision.
import { createRoute } from '@hono/zod-openapi';
import type { Actor } from '../../domain/order.js';
import { RefundRequestSchema, requestRefund } from '../../services/order-updates.js';
import { merchantScopeOf } from '../auth.js';
import type { AppRouteHandler } from '../context.js';
import { OrderIdParam, RefundRequestHeaders, RefundSchema } from '../order-schemas.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

export function refundRoute(spec: { path: string; tag: string; summary: string; actor: Extract<Actor, 'customer' | 'merchant'> }) {
  const route = createRoute({
    method: 'post',
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    security: bearerAuth,
    request: { params: OrderIdParam, headers: RefundRequestHeaders, body: jsonBody(RefundRequestSchema) },
    responses: { 201: jsonResponse(RefundSchema, 'The refund'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  });
  const handler: AppRouteHandler<typeof route> = async (c) => {
    const scope = merchantScopeOf(c.get('principal'));
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const made = await requestRefund(c.var.deps, scope, c.req.valid('param').id, { ...c.req.valid('json'), actor: spec.actor, idempotencyKey });
    return c.json(made, 201);
  };
  return { route, handler };
}
