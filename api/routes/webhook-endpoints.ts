// The merchant's webhook endpoints and their deliveries through the admin API (per key mode). A secret is
// in the answer that made it (creation, rotation) and never again.
import { createRoute, z } from '@hono/zod-openapi';
import { MERCHANT_EVENT_TYPES } from '../../domain/merchant-events.js';
import {
  changeEndpoint,
  createEndpoint,
  deliveriesOf,
  EndpointCreateSchema,
  EndpointPatchSchema,
  listEndpoints,
  removeEndpoint,
  resendDelivery,
  rotateSecret,
} from '../../services/merchant-webhooks.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const EndpointSchema = z
  .object({
    id: z.string().openapi({ example: 'whe_Jx3kPq9sT2vLm8Rw' }),
    url: z.string(),
    eventTypes: z.array(z.enum(MERCHANT_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: 'Why it is disabled: by the merchant, a 410 answer, or failing for 3 days.' }),
    livemode: z.boolean(),
    failingSince: z.string().nullable().openapi({ description: 'The first failed attempt since the last success.' }),
    previousSecretExpiresAt: z.string().nullable().openapi({ description: 'Until then the secret before the last rotation signs too.' }),
    createdAt: z.string(),
  })
  .openapi('WebhookEndpoint');

const EndpointWithSecretSchema = z
  .object({ endpoint: EndpointSchema, secret: z.string().openapi({ description: 'The signing secret (`whsec_…`): shown this once.', example: 'whsec_…' }) })
  .openapi('WebhookEndpointWithSecret');

const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.enum(MERCHANT_EVENT_TYPES),
    endpointId: z.string(),
    url: z.string(),
    orderId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    createdAt: z.string(),
    attempts: z.array(
      z.object({ at: z.string(), statusCode: z.number().int().nullable(), durationMs: z.number().int(), responseExcerpt: z.string().nullable(), error: z.string().nullable() }),
    ),
  })
  .openapi('WebhookDelivery');

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });
const tags = ['webhooks'];

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/admin/webhook-endpoints',
  tags,
  summary: 'Add a webhook endpoint (in the key’s mode); the answer carries its secret, once',
  security: bearerAuth,
  request: { body: jsonBody(EndpointCreateSchema) },
  responses: { 201: jsonResponse(EndpointWithSecretSchema, 'Created'), ...errorResponses(400, 401, 403, 422) },
});
const create: AppRouteHandler<typeof createRouteDef> = async (c) => c.json(await createEndpoint(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('json')), 201);

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/webhook-endpoints',
  tags,
  summary: 'The webhook endpoints of the key’s mode',
  security: bearerAuth,
  responses: { 200: jsonResponse(z.object({ endpoints: z.array(EndpointSchema) }), 'The endpoints'), ...errorResponses(401, 403) },
});
const list: AppRouteHandler<typeof listRoute> = async (c) => c.json({ endpoints: await listEndpoints(c.var.deps, merchantScopeOf(c.get('principal'))) }, 200);

const updateRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/webhook-endpoints/{id}',
  tags,
  summary: 'Change an endpoint’s URL, event types, or enable or disable it',
  security: bearerAuth,
  request: { params: IdParam, body: jsonBody(EndpointPatchSchema) },
  responses: { 200: jsonResponse(EndpointSchema, 'The endpoint'), ...errorResponses(400, 401, 403, 404, 422) },
});
const update: AppRouteHandler<typeof updateRoute> = async (c) =>
  c.json(await changeEndpoint(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id, c.req.valid('json')), 200);

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/v1/admin/webhook-endpoints/{id}',
  tags,
  summary: 'Delete an endpoint and its delivery log',
  security: bearerAuth,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});
const remove: AppRouteHandler<typeof deleteRouteDef> = async (c) => {
  await removeEndpoint(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id);
  return c.body(null, 204);
};

const rotateRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhook-endpoints/{id}/rotate-secret',
  tags,
  summary: 'A new signing secret (shown once); the old one keeps signing for 24 hours',
  security: bearerAuth,
  request: { params: IdParam },
  responses: { 200: jsonResponse(EndpointWithSecretSchema, 'The new secret'), ...errorResponses(401, 403, 404) },
});
const rotate: AppRouteHandler<typeof rotateRoute> = async (c) => c.json(await rotateSecret(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id), 200);

const deliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/webhook-deliveries',
  tags,
  summary: 'Deliveries with their attempts, of one order or one endpoint (newest first, at most 100)',
  security: bearerAuth,
  request: {
    query: z
      .object({ orderId: z.string().min(1).max(100).optional(), endpointId: z.string().min(1).max(100).optional() })
      .refine((q) => (q.orderId === undefined) !== (q.endpointId === undefined), 'give exactly one of orderId and endpointId'),
  },
  responses: { 200: jsonResponse(z.object({ deliveries: z.array(DeliverySchema) }), 'The deliveries'), ...errorResponses(400, 401, 403) },
});
const deliveries: AppRouteHandler<typeof deliveriesRoute> = async (c) => {
  const { orderId, endpointId } = c.req.valid('query');
  const filter = orderId !== undefined ? { orderId } : { endpointId: endpointId! };
  const found = await deliveriesOf(c.var.deps, merchantScopeOf(c.get('principal')), filter);
  return c.json({ deliveries: found }, 200);
};

const resendRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhook-deliveries/{id}/resend',
  tags,
  summary: 'Send a delivery again (with its retries)',
  security: bearerAuth,
  request: { params: IdParam },
  responses: { 202: jsonResponse(z.object({ resent: z.literal(true) }), 'Sending'), ...errorResponses(401, 403, 404, 409) },
});
const resend: AppRouteHandler<typeof resendRoute> = async (c) => {
  await resendDelivery(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id);
  return c.json({ resent: true as const }, 202);
};

export function registerWebhookEndpointRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  for (const path of ['/v1/admin/webhook-endpoints', '/v1/admin/webhook-endpoints/*', '/v1/admin/webhook-deliveries', '/v1/admin/webhook-deliveries/*']) {
    app.use(path, requireKey(keys, 'admin'));
  }
  app.openapi(createRouteDef, create);
  app.openapi(listRoute, list);
  app.openapi(updateRoute, update);
  app.openapi(deleteRouteDef, remove);
  app.openapi(rotateRoute, rotate);
  app.openapi(deliveriesRoute, deliveries);
  app.openapi(resendRoute, resend);
}
