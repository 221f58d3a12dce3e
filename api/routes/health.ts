import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { AppDeps } from '../../services/deps.js';
import type { AppEnv } from '../context.js';

const CHECK_TIMEOUT_MS = 2000;

const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ database: z.string(), temporal: z.string() }),
  })
  .openapi('Readiness');

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (error) {
    return `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, { db, temporal }: AppDeps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['operations'],
      summary: 'The process is alive',
      responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['operations'],
      summary: 'The database and Temporal are reachable',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: ReadinessSchema } } },
        503: { description: 'A dependency is unreachable', content: { 'application/json': { schema: ReadinessSchema } } },
      },
    }),
    async (c) => {
      const [database, temporalCheck] = await Promise.all([
        check(() => sql`select 1`.execute(db)),
        check(() => temporal.connection.workflowService.getSystemInfo({})),
      ]);
      const ready = database === 'ok' && temporalCheck === 'ok';
      const body = { status: ready ? ('ready' as const) : ('unavailable' as const), checks: { database, temporal: temporalCheck } };
      return ready ? c.json(body, 200) : c.json(body, 503);
    },
  );
}
