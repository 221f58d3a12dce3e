import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfigOrExit } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { collectProcessMetrics, metricsText } from '../core/metrics.js';
import { probeWithin } from '../core/probe.js';
import { temporalConnectionOptions } from '../core/temporal-connection.js';
import { createDb } from '../db/database.js';
import { pingDatabase } from '../db/health.js';
import { CREDENTIAL_FIELD_NAMES } from '../domain/gateways.js';
import { resumeCustomerEmail } from '../activities/customer-email.js';
import { createActivities } from '../activities/index.js';
import { createSmtpNotifier } from '../activities/notifier.js';
import { createGatewayRegistry } from '../gateways/registry.js';
import { createWorker } from './create-worker.js';
import { workerTracing } from './tracing.js';
import { clientInterceptors } from '../services/temporal-client-interceptors.js';
import { startTracing } from '../telemetry/tracing.js';
import { startWorkerHttpServer, type Readiness } from './http-server.js';
import { installRuntimeWithMetrics } from './sdk-metrics.js';
import { untilStarted, type Waiting } from './until-started.js';
import { workflowBundleForWorker } from './workflow-bundle.js';

/**
 * After SIGTERM, in-flight activities get this long to finish before they are cancelled; workflow tasks
 * finish anyway. Under the 10 s that Docker and the dev stack wait before SIGKILL.
 */
const SHUTDOWN_GRACE = '8 seconds';
const CHECK_TIMEOUT_MS = 2000;

const config = loadConfigOrExit();
const tracing = startTracing(config.tracing, 'paystead-worker');
const logger = createLogger(config.logLevel, 'worker', { secretFields: CREDENTIAL_FIELD_NAMES });
collectProcessMetrics();
const sdkMetrics = await installRuntimeWithMetrics(logger);
const db = createDb(config.database.url, config.database.poolSize);
const notifier = createSmtpNotifier(config.mail);
// Activities start workflows too (a webhook's or an e-mail's delivery): a client beside the worker's own connection.
const temporal = new Client({
  connection: Connection.lazy(temporalConnectionOptions(config.temporal)),
  namespace: config.temporal.namespace,
  interceptors: { workflow: clientInterceptors({ tracing: tracing !== undefined }) },
});

let phase: 'starting' | 'waiting_for_temporal' | 'running' | 'draining' | 'stopped' = 'starting';
let waiting: Waiting | undefined;
let connection: NativeConnection | undefined;
let worker: Worker | undefined;
const stopping = new AbortController();

async function readiness(): Promise<Readiness> {
  const ready = phase === 'running' && connection;
  const [database, temporalCheck] = await Promise.all([
    probeWithin(CHECK_TIMEOUT_MS, () => pingDatabase(db)),
    ready
      ? probeWithin(CHECK_TIMEOUT_MS, () => ready.workflowService.getSystemInfo({}))
      : waiting
        ? `error: ${waiting.reason} (retrying since ${waiting.since}, ${waiting.attempts} attempts)`
        : `error: worker ${phase}`,
  ]);
  const checks = { worker: phase, temporal: temporalCheck, database };
  return { status: ready && temporalCheck === 'ok' && database === 'ok' ? 'ready' : 'unavailable', checks };
}

const http = await startWorkerHttpServer({
  port: config.worker.port,
  metricsToken: config.metricsToken,
  readiness,
  // Paystead's metrics, then the SDK's: one scrape target.
  metrics: async () => {
    const [ours, sdk] = await Promise.all([metricsText(), sdkMetrics()]);
    return { contentType: ours.contentType, body: `${ours.body}\n${sdk}` };
  },
});
logger.info({ port: config.worker.port }, 'worker health and metrics listening');

function stop(signal: string) {
  if (stopping.signal.aborted) return;
  logger.info({ signal }, 'worker stopping: in-flight tasks finish first');
  phase = 'draining';
  stopping.abort();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
}
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));

const workflowBundle = await workflowBundleForWorker();
phase = 'waiting_for_temporal';
const started = await untilStarted(
  async () => {
    connection ??= await NativeConnection.connect(temporalConnectionOptions(config.temporal));
    return createWorker({
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
      shutdownGraceTime: SHUTDOWN_GRACE,
      tracing: workerTracing(tracing),
    });
  },
  {
    signal: stopping.signal,
    onFailure(next) {
      // The first failure, a new reason, and about once a minute while it lasts.
      if (next.reason !== waiting?.reason || next.attempts % 12 === 0) logger.warn({ address: config.temporal.address, attempts: next.attempts, reason: next.reason }, 'waiting for Temporal');
      waiting = next;
    },
  },
);

let exitCode = 0;
if (started && !stopping.signal.aborted) {
  worker = started;
  const running = worker.run();
  phase = 'running';
  waiting = undefined;
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  if (!notifier) logger.warn('SMTP_URL is not set: customer e-mail waits in the outbox');
  else {
    // Beside the worker's start, not before it: a long backlog must not hold up orders.
    void resumeCustomerEmail(db, temporal, config.temporal.taskQueue).then(
      (resumed) => resumed > 0 && logger.info({ resumed }, 'customer e-mail waiting in the outbox is being sent'),
      (err: unknown) => logger.error({ err }, 'could not resume customer e-mail waiting in the outbox'),
    );
  }
  // Resolves after shutdown() once in-flight tasks have finished (activities within SHUTDOWN_GRACE).
  await running.catch((err: unknown) => {
    logger.error({ err }, 'worker failed');
    exitCode = 1;
  });
}
phase = 'stopped';
http.close();
await connection?.close();
await temporal.connection.close();
await db.destroy();
await tracing?.shutdown();
logger.info('worker stopped');
process.exit(exitCode);
