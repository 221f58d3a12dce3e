// The stack the benchmark measures, in either topology, behind one shape: the API addresses, Temporal's
// address and task queue, each part's processes (for CPU and memory accounting) and Paystead's database.
import { createDb, type Db } from '../db/database.js';
import { startCluster, type ClusterProcess } from './cluster.js';
import { startLocalStack } from './local-stack.js';

export const TOPOLOGIES = ['dev', 'cluster'] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export type StackPart = 'temporal' | 'postgres' | 'worker' | 'api';

export interface BenchStack {
  topology: Topology;
  apiUrls: string[];
  temporalAddress: string;
  taskQueue: string;
  masterKey: Buffer;
  db: Db;
  /** The pids of each part's processes (with their children: Postgres's backends). */
  pids(): Record<StackPart, number[]>;
  stop(): Promise<void>;
}

/**
 * `dev`: one Postgres, the Temporal dev server (SQLite), one API and one worker (devstack/local-stack.ts).
 * `cluster`: the production topology (devstack/cluster.ts).
 */
export async function startBenchStack(topology: Topology, log: (line: string) => void): Promise<BenchStack> {
  if (topology === 'cluster') return startClusterStack(log);
  const stack = await startLocalStack({ name: 'bench', log });
  return {
    topology,
    apiUrls: [stack.baseUrl],
    temporalAddress: stack.temporal.address,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE!,
    masterKey: Buffer.from(stack.env.MASTER_KEY!, 'base64'),
    db: stack.db,
    pids: () => ({ temporal: [stack.temporal.process.child.pid!], postgres: [stack.postgres.process.child.pid!], worker: [stack.worker.pid!], api: [stack.api.pid!] }),
    stop: () => stack.stop(),
  };
}

/** The production topology: Temporal on Postgres (4 history shards), two APIs, two workers; no Web UI. */
async function startClusterStack(log: (line: string) => void): Promise<BenchStack> {
  const cluster = await startCluster({
    taskQueue: 'bench-orders',
    env: { LOG_LEVEL: 'warn' },
    log,
    onOutput: (name, line) => log(`[${name}] ${line}`),
    onUnexpectedExit: (name, code) => log(`[${name}] ERROR exited during the benchmark (${String(code)})`),
  });
  const db = createDb(cluster.databaseUrl, 4);
  const pid = (proc: ClusterProcess) => (proc.pid === undefined ? [] : [proc.pid]);
  return {
    topology: 'cluster',
    apiUrls: cluster.apiUrls,
    temporalAddress: cluster.temporalAddress,
    taskQueue: cluster.env.TEMPORAL_TASK_QUEUE!,
    masterKey: Buffer.from(cluster.env.MASTER_KEY!, 'base64'),
    db,
    // Postgres's processes also carry Temporal's persistence here.
    pids: () => ({ temporal: pid(cluster.temporal), postgres: pid(cluster.postgres), worker: cluster.workers.flatMap(pid), api: cluster.apis.flatMap(pid) }),
    async stop() {
      await db.destroy();
      await cluster.stop();
    },
  };
}
