import { NativeConnection, Worker, type WorkerOptions as SdkWorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { requestIdActivityInterceptors } from './request-ids.js';
import { workerTracing, type WorkerTracing } from './tracing.js';
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
  /** After shutdown(), how long in-flight activities may run before they are cancelled (default: at once). */
  shutdownGraceTime?: SdkWorkerOptions['shutdownGraceTime'];
  /** Activity spans and the workflows' span sink (worker/tracing.ts); without it, a sink that drops spans. */
  tracing?: WorkerTracing;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  const tracing = options.tracing ?? workerTracing(undefined);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle: options.workflowBundle,
    ...(options.identity && { identity: options.identity }),
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.shutdownGraceTime !== undefined && { shutdownGraceTime: options.shutdownGraceTime }),
    // Request ids first, so that the activity (and its span, when traced) runs inside the request's id.
    interceptors: { ...tracing.interceptors, activity: [requestIdActivityInterceptors, ...(tracing.interceptors?.activity ?? [])] },
    sinks: tracing.sinks,
  });
}
