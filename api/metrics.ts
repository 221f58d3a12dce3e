// The API's metrics: every request timed by method, route pattern and status, and `/metrics` for Prometheus.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { metrics, metricsText, scrapeAllowed } from '../core/metrics.js';
import { refreshDiscrepancyMetric } from '../services/reconciliation.js';
import type { AppEnv, AppOpenAPI } from './context.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The pattern of the route that answered (`/v1/orders/:orderId`), never the path itself; `unmatched` when
 * no route did (the answer came from a middleware such as `*` or `/v1/*`, or from not-found).
 */
function routeOf(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (!route || route.path.endsWith('*')) return 'unmatched';
  return routePath(c);
}

/** Times each request until its response is ready (a stream's body may go on after). */
export function recordRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    metrics.httpRequest({ method, route: routeOf(c), status: c.res.status }, (performance.now() - started) / 1000);
  };
}

/** `GET /metrics`: this process's metrics as Prometheus text (behind `METRICS_TOKEN` when set). */
export function registerMetricsRoute(app: AppOpenAPI): void {
  app.get('/metrics', async (c) => {
    if (!scrapeAllowed(c.req.header('authorization'), c.var.deps.config.metricsToken)) {
      return c.json({ error: { code: 'unauthorized', message: 'This endpoint needs the metrics token.' } }, 401);
    }
    // Best effort within a second: a scrape must answer while the database is down, when it matters most
    // (the gauge then keeps its last values).
    await Promise.race([refreshDiscrepancyMetric(c.var.deps), new Promise((resolve) => setTimeout(resolve, 1000).unref())]).catch((err: unknown) => {
      c.var.deps.logger.warn({ err }, 'open discrepancies not counted for this scrape');
    });
    const { contentType, body } = await metricsText();
    return c.body(body, 200, { 'content-type': contentType });
  });
}
