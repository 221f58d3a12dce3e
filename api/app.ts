import { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../db/database.js';
import { ApiError } from './errors.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerDocsRoutes } from './routes/docs.js';

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
}

export type AppEnv = { Variables: Record<string, never> };

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

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));

  registerHealthRoutes(app, deps);
  registerDocsRoutes(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
