import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { timing } from 'hono/timing';
import { ApiError, RetryLaterError } from '../core/errors.js';
import { createKeyResolver } from '../services/api-keys.js';
import type { AppDeps } from '../services/deps.js';
import { createThrottle } from '../services/throttle.js';
import type { AppEnv, RouteDeps } from './context.js';
import { applyInputPolicy, notFoundOrNotAllowed } from './input-policy.js';
import { recordRequests, registerMetricsRoute } from './metrics.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerPlatformRoutes } from './routes/platform.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerSettingsRoutes } from './routes/settings.js';
import { registerQuoteRoutes } from './routes/quotes.js';
import { registerCheckoutRoutes } from './routes/checkout.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerAdminOrderRoutes } from './routes/admin-orders.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerGatewayCredentialRoutes } from './routes/gateway-credentials.js';
import { registerWebhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { createSandboxRoutes } from '../gateways/sandbox/server.js';
import { createPages } from '../pages/index.js';

/** Every request body, query and path that fails its zod schema gets the same 400 shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(400, 'invalid_request', 'The request is not valid.', result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          message: issue.message,
        })));
      }
    },
  });
}

export function createApp(appDeps: AppDeps) {
  const deps: RouteDeps = { ...appDeps, keys: createKeyResolver(appDeps.db, appDeps.config.platformApiKey, appDeps.config.http.keyCacheMs), throttle: createThrottle(appDeps.db, appDeps.config.throttle) };
  const app = createRouter();
  app.use('*', recordRequests());
  // Route handlers are named module constants (`AppRouteHandler<typeof route>`): they find the deps here.
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.onError((error, c) => {
    if (error instanceof RetryLaterError) c.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    // Hono's own refusals (malformed JSON, wrong content type) keep their status, in our error shape.
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 415 ? 'unsupported_media_type' : 'invalid_request';
      return c.json({ error: { code, message: error.message || 'The request is not valid.' } }, error.status);
    }
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });
  app.notFound(notFoundOrNotAllowed(app));
  applyInputPolicy(app);

  // The API's own time per request (`Server-Timing: total;dur=...`): tells a slow answer from a slow network
  // or a busy client (the benchmark reports both).
  app.use('/v1/*', timing({ totalDescription: 'Paystead API' }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'A merchant’s secret or admin key (`sk_test_…`, `sk_live_…`, `ak_test_…`, `ak_live_…`: the mode is in the prefix), or the platform key.' });
  registerHealthRoutes(app);
  registerMetricsRoute(app);
  registerPlatformRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerGatewayCredentialRoutes(app, deps);
  registerWebhookEndpointRoutes(app, deps);
  registerQuoteRoutes(app, deps);
  registerCheckoutRoutes(app, deps);
  registerOrderRoutes(app, deps);
  registerAdminOrderRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  // The built-in sandbox gateway is served by Paystead itself, but talked to over HTTP like any gateway;
  // `SANDBOX_ENABLED=false` leaves it out altogether.
  if (deps.config.sandboxEnabled) app.route('/sandbox', createSandboxRoutes({ db: deps.db, masterKey: deps.config.masterKey, logger: deps.logger }));
  // The admin and customer pages: their own Hono app over the same services, mounted at their paths.
  app.route('/', createPages(deps));
  registerDocsRoutes(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
