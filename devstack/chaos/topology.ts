// What the fault run needs of a topology, the same for both: the dev topology (one API, one worker, the
// Temporal dev server on SQLite) and the cluster (two APIs, two workers, a Temporal server on Postgres).
// Each process is a handle that can be killed and started again; service output lines come tagged with the
// process's name (`[worker-1] ...`).
import path from 'node:path';
import { createDb, type Db } from '../../db/database.js';
import { startCluster } from '../cluster.js';
import { startLocalStack, startStackMail } from '../local-stack.js';
import { DATA_DIR } from '../paths.js';

export type Topology = 'dev' | 'cluster';

export interface ChaosProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** An API's resolves once it serves; a worker's once it is spawned. */
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** A worker's: whether its `/readyz` says it polls Temporal (and reaches Temporal and the database). */
  ready?: () => Promise<boolean>;
}

/** The worker's readiness on its own listener; false while it does not answer. */
const readiness = (workerUrl: string) => async (): Promise<boolean> => {
  try {
    return (await fetch(`${workerUrl}/readyz`, { signal: AbortSignal.timeout(3000) })).status === 200;
  } catch {
    return false;
  }
};

export interface ChaosStack {
  readonly topology: Topology;
  env: NodeJS.ProcessEnv;
  db: Db;
  baseUrls: string[];
  apis: ChaosProcess[];
  workers: ChaosProcess[];
  temporal: {
    readonly address: string;
    /** It exited without being stopped. */
    readonly exited: boolean;
    /** Stops it and starts it again after `downMs`, its state kept (the dev server may take another port). */
    restart(downMs: number): Promise<void>;
  };
  postgres: {
    /** The postmaster, for freezing the process tree. */
    readonly pid: number | undefined;
    /** Stops the server (fast shutdown) and starts it on the same port and data; the cluster only. */
    restart?: (downMs: number) => Promise<void>;
  };
  mail: Awaited<ReturnType<typeof startStackMail>>;
  stop(): Promise<void>;
}

export interface ChaosStackOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startChaosStack(topology: Topology, options: ChaosStackOptions): Promise<ChaosStack> {
  return topology === 'cluster' ? startClusterStack(options) : startDevStack(options);
}

async function startDevStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const stack = await startLocalStack({ name: options.name, persistTemporal: true, mail: true, env: options.env, log: options.log });
  const api: ChaosProcess = {
    name: 'api',
    get pid() {
      return stack.api.pid;
    },
    async start() {
      stack.api.start();
      await stack.apiReady();
    },
    stop: (signal) => stack.api.stop(signal),
  };
  const worker: ChaosProcess = {
    name: 'worker',
    get pid() {
      return stack.worker.pid;
    },
    async start() {
      stack.worker.start();
    },
    stop: (signal) => stack.worker.stop(signal),
    ready: readiness(`http://127.0.0.1:${stack.env.WORKER_PORT!}`),
  };
  return {
    topology: 'dev',
    env: stack.env,
    db: stack.db,
    baseUrls: [stack.baseUrl],
    apis: [api],
    workers: [worker],
    temporal: {
      get address() {
        return stack.temporal.address;
      },
      get exited() {
        return stack.temporal.process.child.exitCode !== null;
      },
      restart: (downMs) => stack.restartTemporal(downMs),
    },
    postgres: {
      get pid() {
        return stack.postgres.process.child.pid;
      },
    },
    mail: stack.mail!,
    stop: () => stack.stop(),
  };
}

async function startClusterStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const mail = await startStackMail(path.join(DATA_DIR, `${options.name}-${process.pid}`), options.log);
  // A handle's own stop is not an exit on its own: only a crash sets this.
  let temporalExited = false;
  const cluster = await startCluster({
    apis: 2,
    workers: 2,
    taskQueue: `${options.name}-orders`,
    env: { LOG_LEVEL: 'warn', SMTP_URL: mail.smtpUrl, ...options.env },
    onOutput: (name, line) => options.log(`[${name}] ${line}`),
    onUnexpectedExit: (name, code) => {
      options.log(`[${name}] exited on its own (${String(code)})`);
      if (name === 'temporal') temporalExited = true;
    },
  }).catch(async (error: unknown) => {
    await mail.stop();
    throw error;
  });
  const db = createDb(cluster.databaseUrl, 4);
  const handle = (proc: (typeof cluster.apis)[number], workerUrl?: string): ChaosProcess => ({
    name: proc.name,
    get pid() {
      return proc.pid;
    },
    start: () => proc.start(),
    stop: (signal) => proc.stop(signal),
    ...(workerUrl !== undefined && { ready: readiness(workerUrl) }),
  });
  return {
    topology: 'cluster',
    env: cluster.env,
    db,
    baseUrls: cluster.apiUrls,
    apis: cluster.apis.map((proc) => handle(proc)),
    workers: cluster.workers.map((proc, i) => handle(proc, cluster.workerUrls[i])),
    temporal: {
      address: cluster.temporalAddress,
      get exited() {
        return temporalExited;
      },
      async restart(downMs) {
        await cluster.temporal.stop();
        temporalExited = false;
        await sleep(downMs);
        await cluster.temporal.start();
      },
    },
    postgres: {
      get pid() {
        return cluster.postgres.pid;
      },
      restart: (downMs) => cluster.postgres.restart(downMs),
    },
    mail,
    async stop() {
      await db.destroy();
      await cluster.stop();
      await mail.stop();
    },
  };
}
