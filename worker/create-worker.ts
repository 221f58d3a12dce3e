import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { WorkerTracing } from './tracing.js';
import type { Activities } from '../activities/index.js';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** Bundled ahead (see workflow-bundle.ts): bundling costs seconds. */
  workflowBundle: WorkflowBundleOption;
  /** Identity shown in the Temporal UI for tasks this worker ran. */
  identity?: string;
  maxCachedWorkflows?: number;
  /** Activity spans and the workflows' span sink (worker/tracing.ts). */
  tracing?: WorkerTracing;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle: options.workflowBundle,
    ...(options.identity && { identity: options.identity }),
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.tracing?.interceptors && { interceptors: options.tracing.interceptors }),
    ...(options.tracing && { sinks: options.tracing.sinks }),
  });
}
