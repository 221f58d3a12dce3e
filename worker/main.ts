import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfigOrExit } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { temporalConnectionOptions } from '../core/temporal-connection.js';
import { createDb } from '../db/database.js';
import { CREDENTIAL_FIELD_NAMES } from '../domain/gateways.js';
import { resumeCustomerEmail } from '../activities/customer-email.js';
import { createActivities } from '../activities/index.js';
import { createSmtpNotifier } from '../activities/notifier.js';
import { createGatewayRegistry } from '../gateways/registry.js';
import { createWorker } from './create-worker.js';
import { workerTracing } from './tracing.js';
import { startTracing } from '../telemetry/tracing.js';
import { workflowBundleForWorker } from './workflow-bundle.js';

const config = loadConfigOrExit();
const tracing = startTracing(config.tracing, 'paystead-worker');
const logger = createLogger(config.logLevel, 'worker', { secretFields: CREDENTIAL_FIELD_NAMES });
const db = createDb(config.database.url, config.database.poolSize);
const [connection, workflowBundle] = await Promise.all([NativeConnection.connect(temporalConnectionOptions(config.temporal)), workflowBundleForWorker()]);
const notifier = createSmtpNotifier(config.mail);
// Activities start workflows too (a webhook's or an e-mail's delivery): a client beside the worker's own connection.
const temporal = new Client({ connection: Connection.lazy(temporalConnectionOptions(config.temporal)), namespace: config.temporal.namespace });
const worker = await createWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  activities: createActivities({
    db,
    logger,
    gateways: createGatewayRegistry(config),
    notifier,
    masterKey: config.masterKey,
    publicBaseUrl: config.http.publicBaseUrl,
    temporal,
    webhooks: config.webhooks,
  }),
  workflowBundle,
  maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  tracing: workerTracing(tracing),
});
logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
if (!notifier) logger.warn('SMTP_URL is not set: customer e-mail waits in the outbox');
else {
  // Beside the worker's start, not before it: a long backlog must not hold up orders.
  void resumeCustomerEmail(db, temporal, config.temporal.taskQueue).then(
    (resumed) => resumed > 0 && logger.info({ resumed }, 'customer e-mail waiting in the outbox is being sent'),
    (err: unknown) => logger.error({ err }, 'could not resume customer e-mail waiting in the outbox'),
  );
}
// Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks have finished.
await worker.run();
await connection.close();
await temporal.connection.close();
await db.destroy();
await tracing?.shutdown();
logger.info('worker stopped');
