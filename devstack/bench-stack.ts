// The stack the benchmark measures, in either topology, behind one shape: the API addresses, Temporal's
// address and task queue, each part's processes (for CPU and memory accounting) and Paystead's database.
import type { Db } from '../db/database.js';
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
  if (topology === 'cluster') throw new Error('the cluster topology (devstack/cluster.ts) is not in this tree yet');
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
