import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { collectProcessMetrics } from '../core/metrics.js';
import { temporalConnectionOptions } from '../core/temporal-connection.js';
import { createDb } from '../db/database.js';
import { CREDENTIAL_FIELD_NAMES } from '../domain/gateways.js';
import { migrateToLatest } from '../db/migrate.js';
import { createGatewayRegistry } from '../gateways/registry.js';
import { createApp } from './app.js';
import { clientInterceptors } from '../services/temporal-client-interceptors.js';
import { startTracing } from '../telemetry/tracing.js';
import { createNotificationDispatcher } from '../services/notification-dispatch.js';

const config = loadConfigOrExit();
const tracing = startTracing(config.tracing, 'paystead-api');
const logger = createLogger(config.logLevel, 'api', { secretFields: CREDENTIAL_FIELD_NAMES });
collectProcessMetrics();
const db = createDb(config.database.url, config.database.poolSize);
const applied = await migrateToLatest(db);
if (applied.length > 0) logger.info({ applied }, 'migrations applied');

// Lazy: the API starts (and /readyz reports the problem) even while Temporal is still coming up.
const connection = Connection.lazy(temporalConnectionOptions(config.temporal));
const temporal = new Client({ connection, namespace: config.temporal.namespace, interceptors: { workflow: clientInterceptors({ tracing: tracing !== undefined }) } });
const app = createApp({ config, db, temporal, logger, gateways: createGatewayRegistry(config) });

// Finishes notifications whose hand-over to their order was interrupted by a crash of an API process.
const dispatcher = createNotificationDispatcher({ db, temporal, logger });
const sweeper = setInterval(() => {
  dispatcher.sweep().catch((error: unknown) => logger.error({ err: error }, 'notification sweep failed'));
}, 15_000);

const server = serve({ fetch: app.fetch, port: config.http.port, hostname: '0.0.0.0' }, (info) => {
  logger.info({ port: info.port, url: config.http.publicBaseUrl }, 'api listening');
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'api stopping');
  clearInterval(sweeper);
  server.close();
  await connection.close();
  await db.destroy();
  await tracing?.shutdown();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
