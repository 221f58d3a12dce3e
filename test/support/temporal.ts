import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities/deps.js';
import { createActivities } from '../../activities/index.js';
import { createWorker } from '../../worker/create-worker.js';
import type { WorkerTracing } from '../../worker/tracing.js';

export interface TestTemporal {
  client: Client;
  taskQueue: string;
  /** Starts a worker on this file's own task queue; stop it with `worker.shutdown()`. */
  startWorker(deps: ActivityDeps, tracing?: WorkerTracing): Promise<{ worker: Worker; running: Promise<void> }>;
  close(): Promise<void>;
}

// Worker state changes are noise in test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** A client and a task queue of this test file's own, on the run's one Temporal dev server. */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const workflowBundle = { codePath: inject('workflowBundlePath') };
  const nativeConnections: NativeConnection[] = [];
  return {
    client,
    taskQueue,
    async startWorker(deps, tracing) {
      const nativeConnection = await NativeConnection.connect({ address });
      nativeConnections.push(nativeConnection);
      const worker = await createWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        activities: createActivities(deps),
        workflowBundle,
        ...(tracing && { tracing }),
      });
      return { worker, running: worker.run() };
    },
    async close() {
      await connection.close();
      await Promise.all(nativeConnections.map((c) => c.close()));
    },
  };
}
