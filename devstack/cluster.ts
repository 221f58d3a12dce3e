// The production topology on one machine, without Docker: Postgres with separate databases and users for
// Temporal's persistence, Temporal's visibility and Paystead; a real Temporal server (deploy/temporal/config.yaml,
// 4 history shards) with its Web UI; two APIs and two workers. Every process has a handle that stops, kills
// and restarts it on its own, for `npm run cluster`, the fault run and the benchmark.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createDb } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildDist } from './build.js';
import { untilReadyOrKill, type ManagedProcess } from './child-process.js';
import type { Entry } from './node-args.js';
import { ensurePostgresBinaries, persistentClusterDir, scratchClusterDir, startPostgresCluster } from './postgres-cluster.js';
import { freePort } from './ports.js';
import { SERVICE_ENV_DEFAULTS, startService, untilApiReady } from './services.js';
import {
  chooseTemporalPorts,
  ensureDatabase,
  ensureNamespace,
  setUpTemporalSchemas,
  startTemporalClusterServer,
  startTemporalUi,
  TEMPORAL_PERSISTENCE,
  TEMPORAL_VISIBILITY,
  type DatabaseAccount,
} from './temporal-cluster.js';
import { findOrBuildTemporalServer, findOrBuildTemporalSqlTool, findOrBuildTemporalUiServer, temporalPostgresSchemaDir } from './temporal-cluster-tools.js';

/** Paystead's own database and role (not a superuser; it owns its database, so it runs the migrations). */
export const PAYSTEAD_DATABASE: DatabaseAccount = { database: 'paystead', user: 'paystead' };
const NAMESPACE = 'default';

/** One process of the cluster. `start` resolves once it serves (the worker: once spawned). */
export interface ClusterProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGTERM (Postgres: SIGINT, its fast shutdown) unless told; SIGKILL kills. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it, waits `downMs`, starts it again on the same ports with the same data. */
  restart(downMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

export interface ClusterOptions {
  /** Keep Postgres's data here across runs; without it, a scratch cluster deleted on stop. */
  dataDir?: string;
  /** Secrets for the APIs and workers (kept with `dataDir` by `npm run cluster`); random when absent. */
  secrets?: { PLATFORM_API_KEY: string; MASTER_KEY: string };
  apis?: number;
  workers?: number;
  /** Start the Temporal Web UI. */
  ui?: boolean;
  /** Preferred ports, each used when free (Temporal's frontend: 7233 unless given). */
  /** First ports wanted (the n-th API or worker takes the next ones); free ones are picked otherwise. */
  ports?: { postgres?: number; temporal?: number; ui?: number; api?: number; worker?: number };
  taskQueue?: string;
  /** More environment for the APIs and workers. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Each process's output, by process name. */
  onOutput?: (name: string, line: string) => void;
  /** A process exited without its handle stopping it. */
  onUnexpectedExit?: (name: string, code: number | NodeJS.Signals | null) => void;
}

/** A handle over a process that `spawn` starts again each time. */
function clusterProcess(
  name: string,
  spawn: () => Promise<ManagedProcess>,
  defaultSignal: NodeJS.Signals,
  onUnexpectedExit: ClusterOptions['onUnexpectedExit'],
): ClusterProcess {
  let current: ManagedProcess | undefined;
  const handle: ClusterProcess = {
    name,
    get pid() {
      return current?.child.pid;
    },
    get running() {
      return current !== undefined;
    },
    async start() {
      if (current) return;
      const proc = await spawn();
      current = proc;
      void proc.exited.then((code) => {
        if (current !== proc) return;
        current = undefined;
        onUnexpectedExit?.(name, code);
      });
    },
    async stop(signal = defaultSignal) {
      const proc = current;
      current = undefined;
      await proc?.stop(signal, 15_000);
    },
    async restart(downMs = 0, signal) {
      await handle.stop(signal);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await handle.start();
    },
  };
  return handle;
}

export async function startCluster(options: ClusterOptions = {}) {
  const log = options.log ?? (() => undefined);
  const output = (name: string) => (line: string) => options.onOutput?.(name, line);
  const [binDir, serverPath, sqlTool, schemaDir, uiServerPath] = await Promise.all([
    ensurePostgresBinaries(log),
    findOrBuildTemporalServer(log),
    findOrBuildTemporalSqlTool(log),
    temporalPostgresSchemaDir(),
    options.ui ? findOrBuildTemporalUiServer(log) : undefined,
    buildDist(log),
  ]);

  const pgDir = options.dataDir ? persistentClusterDir(options.dataDir) : scratchClusterDir();
  const pgPort = await freePort(options.ports?.postgres);
  let adminUrl = '';
  const postgres = clusterProcess(
    'postgres',
    async () => {
      const cluster = await startPostgresCluster({ binDir, dir: pgDir, port: pgPort, superuser: 'postgres', onOutput: output('postgres') });
      adminUrl = cluster.url('postgres');
      return cluster.process;
    },
    'SIGINT',
    options.onUnexpectedExit,
  );
  const stack: ClusterProcess[] = [];
  const stopAll = async () => {
    for (const proc of [...stack].reverse()) await proc.stop().catch((error: unknown) => log(`${proc.name}: ${String(error)}`));
    if (!options.dataDir) rmSync(pgDir, { recursive: true, force: true });
  };

  try {
    await postgres.start();
    stack.push(postgres);
    for (const account of [TEMPORAL_PERSISTENCE, TEMPORAL_VISIBILITY, PAYSTEAD_DATABASE]) await ensureDatabase(adminUrl, account);
    log('setting up Temporal\'s schemas (temporal-sql-tool)...');
    await setUpTemporalSchemas({ sqlTool, schemaDir, port: pgPort });
    const databaseUrl = `postgres://${PAYSTEAD_DATABASE.user}@127.0.0.1:${pgPort}/${PAYSTEAD_DATABASE.database}`;
    const db = createDb(databaseUrl, 1);
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }

    const temporalPorts = await chooseTemporalPorts(options.ports?.temporal);
    const temporalAddress = `127.0.0.1:${temporalPorts.FRONTEND_GRPC_PORT}`;
    const temporal = clusterProcess(
      'temporal',
      async () => (await startTemporalClusterServer({ serverPath, postgresPort: pgPort, ports: temporalPorts, onOutput: output('temporal') })).process,
      'SIGTERM',
      options.onUnexpectedExit,
    );
    await temporal.start();
    stack.push(temporal);
    await ensureNamespace(temporalAddress, NAMESPACE);

    let uiUrl: string | undefined;
    let ui: ClusterProcess | undefined;
    if (uiServerPath) {
      const uiPort = await freePort(options.ports?.ui);
      uiUrl = `http://127.0.0.1:${uiPort}`;
      const dir = options.dataDir ?? pgDir;
      ui = clusterProcess(
        'temporal-ui',
        async () => (await startTemporalUi({ uiServerPath, address: temporalAddress, namespace: NAMESPACE, port: uiPort, dir, onOutput: output('temporal-ui') })).process,
        'SIGTERM',
        options.onUnexpectedExit,
      );
      await ui.start();
      stack.push(ui);
    }

    const apiPorts: number[] = [];
    for (let i = 0; i < (options.apis ?? 2); i += 1) {
      apiPorts.push(await freePort(options.ports?.api ? options.ports.api + i : 0));
    }
    const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    // Each worker's own listener (health, readiness, /metrics).
    const workerPorts: number[] = [];
    for (let i = 0; i < (options.workers ?? 2); i += 1) {
      workerPorts.push(await freePort(options.ports?.worker ? options.ports.worker + i : 0));
    }
    const workerUrls = workerPorts.map((port) => `http://127.0.0.1:${port}`);
    const secrets = options.secrets ?? { PLATFORM_API_KEY: `pk_${randomBytes(24).toString('hex')}`, MASTER_KEY: randomBytes(32).toString('base64') };
    const env: NodeJS.ProcessEnv = {
      ...SERVICE_ENV_DEFAULTS,
      ...process.env,
      ...secrets,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'paystead-orders',
      // Links and gateway notify URLs name the first API; in production a load balancer's address.
      PUBLIC_BASE_URL: apiUrls[0],
      ...(uiUrl && { TEMPORAL_UI_URL: uiUrl }),
      ...options.env,
    };
    const service = (name: string, entry: Entry, serviceEnv: NodeJS.ProcessEnv, ready?: () => Promise<void>) =>
      clusterProcess(
        name,
        async () => {
          const proc = startService(entry, 'compiled', serviceEnv, output(name));
          if (ready) await untilReadyOrKill(proc, name, ready());
          return proc;
        },
        'SIGTERM',
        options.onUnexpectedExit,
      );
    const apis = apiPorts.map((port, i) => service(`api-${i + 1}`, 'api/main.ts', { ...env, PORT: String(port) }, () => untilApiReady(apiUrls[i] as string)));
    const workers = workerPorts.map((port, i) => service(`worker-${i + 1}`, 'worker/main.ts', { ...env, WORKER_PORT: String(port) }));
    stack.push(...workers, ...apis);
    await Promise.all([...workers, ...apis].map((proc) => proc.start()));

    return {
      env,
      databaseUrl,
      /** The superuser's URL for `database`. */
      adminUrl: (database: string) => adminUrl.replace(/\/[^/]*$/, `/${database}`),
      temporalAddress,
      namespace: NAMESPACE,
      uiUrl,
      apiUrls,
      workerUrls,
      postgres,
      temporal,
      ui,
      apis,
      workers,
      /** Stops every process, newest first, and deletes a scratch cluster's data. */
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
