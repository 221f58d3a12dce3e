// Liveness and readiness, for the orchestrator and the load balancer.
import { createRoute, z } from '@hono/zod-openapi';
import { checkReadiness } from '../../services/readiness.js';
import type { AppOpenAPI, AppRouteHandler } from '../context.js';
import { jsonResponse } from '../schemas.js';

const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ database: z.string(), temporal: z.string() }),
  })
  .openapi('Readiness');

const liveRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'The process is alive',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
});

const live: AppRouteHandler<typeof liveRoute> = (c) => c.json({ status: 'ok' as const }, 200);

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'The database and Temporal are reachable',
  responses: {
    200: jsonResponse(ReadinessSchema, 'Ready'),
    503: jsonResponse(ReadinessSchema, 'A dependency is unreachable'),
  },
});

const ready: AppRouteHandler<typeof readyRoute> = async (c) => {
  const readiness = await checkReadiness(c.var.deps);
  return readiness.status === 'ready' ? c.json(readiness, 200) : c.json(readiness, 503);
};

export function registerHealthRoutes(app: AppOpenAPI) {
  app.openapi(liveRoute, live);
  app.openapi(readyRoute, ready);
}
