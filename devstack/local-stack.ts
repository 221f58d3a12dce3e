// A whole Paystead on this machine, as separate processes, for the benchmark and the fault run: a real
// Postgres cluster, the Temporal dev server, the API and the worker. Each part can be stopped and started
// again on its own.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { ManagedProcess } from './child-process.js';
import { findOrBuildMailpit, startMailpit, type Mailpit } from './mailpit.js';
import { DATA_DIR } from './paths.js';
import { ensurePostgresBinaries, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { freePort } from './ports.js';
import { findOrBuildTemporalCli } from './temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server.js';
import { buildDist } from './build.js';
import type { Entry } from './node-args.js';
import { SERVICE_ENV_DEFAULTS, startService, untilApiReady } from './services.js';

export interface LocalStackOptions {
  name: string;
  /** Keep Temporal's state in a SQLite file so the server can be restarted (fault run). */
  persistTemporal?: boolean;
  /** Run Mailpit as the SMTP server, its messages kept in a file so it can be stopped and started again. */
  mail?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function startLocalStack(options: LocalStackOptions) {
  const log = options.log ?? (() => undefined);
  const dir = path.join(DATA_DIR, `${options.name}-${process.pid}`);
  const [cliPath, binDir] = await Promise.all([findOrBuildTemporalCli(log), ensurePostgresBinaries(log), buildDist(log)]);
  const temporalDbFile = options.persistTemporal ? path.join(dir, 'temporal.sqlite') : undefined;
  let temporal: TemporalDevServer = await startTemporalDevServer({ cliPath, dbFile: temporalDbFile });
  const temporalPort = Number(temporal.address.split(':')[1]);
  const postgres: PostgresCluster = await startPostgresCluster({ binDir });
  const databaseUrl = postgres.url('postgres');
  const db = createDb(databaseUrl, 4);
  await migrateToLatest(db);

  const mail = options.mail ? await startStackMail(dir, log) : undefined;

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...SERVICE_ENV_DEFAULTS,
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `${options.name}-orders`,
    PORT: String(port),
    WORKER_PORT: String(await freePort()),
    PUBLIC_BASE_URL: baseUrl,
    PLATFORM_API_KEY: `pk_${randomBytes(24).toString('hex')}`,
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    ...(mail && { SMTP_URL: mail.smtpUrl }),
    ...options.env,
  };

  const service = (entry: Entry) => {
    let proc: ManagedProcess | undefined;
    return {
      get pid() {
        return proc?.child.pid;
      },
      start() {
        proc = startService(entry, 'compiled', env, (line) => log(`[${path.dirname(entry)}] ${line}`));
        return proc;
      },
      async stop(signal: NodeJS.Signals = 'SIGTERM') {
        await proc?.stop(signal, 10_000);
        proc = undefined;
      },
    };
  };
  const api = service('api/main.ts');
  const worker = service('worker/main.ts');
  const apiReady = () => untilApiReady(baseUrl);
  api.start();
  worker.start();
  await apiReady();

  return {
    env,
    baseUrl,
    db,
    postgres,
    get temporal() {
      return temporal;
    },
    api,
    worker,
    apiReady,
    mail,
    /** Stops the Temporal server and starts it again on the same port (state kept only with persistTemporal). */
    async restartTemporal(downMs = 0) {
      await temporal.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      temporal = await startTemporalDevServer({ cliPath, dbFile: temporalDbFile, port: temporalPort });
    },
    async stop() {
      await Promise.allSettled([api.stop(), worker.stop()]);
      await db.destroy();
      await Promise.allSettled([temporal.stop(), postgres.stop(), mail?.stop()]);
    },
  };
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;

/** Mailpit on fixed ports with its messages in a file, so stopping and starting it again loses nothing. */
export async function startStackMail(dir: string, log: (line: string) => void) {
  mkdirSync(dir, { recursive: true });
  const binary = await findOrBuildMailpit(log);
  const options = { smtp: await freePort(), http: await freePort(), database: path.join(dir, 'mailpit.db') };
  let running: Mailpit | undefined = await startMailpit(binary, options);
  const { smtpUrl, webUrl } = running;
  return {
    smtpUrl,
    webUrl,
    get up() {
      return running !== undefined;
    },
    async start() {
      running ??= await startMailpit(binary, options);
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
  };
}
