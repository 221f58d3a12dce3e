import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { Tracing } from '../telemetry/tracing.js';

export interface WorkerTracing {
  interceptors?: WorkerInterceptors;
  sinks: InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }>;
}

/**
 * What the worker adds for traces: a span per activity, child of the workflow's span that scheduled it,
 * and the sink the workflows' spans leave the sandbox through (workflows/tracing.ts). With tracing off the
 * sink drops what a traced caller's runs send, and activities are not wrapped.
 */
export function workerTracing(tracing: Tracing | undefined): WorkerTracing {
  if (!tracing) return { sinks: { exporter: { export: { fn: () => undefined } } } };
  return {
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
