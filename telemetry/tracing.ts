// The process's tracer: set up by the API's and the worker's entry points when `OTEL_EXPORTER_OTLP_ENDPOINT`
// is set, and not at all otherwise (the OpenTelemetry API then hands out no-op tracers: nothing is recorded).
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '../core/config.js';

export interface Tracing {
  resource: Resource;
  /** Where finished spans go; the worker hands the workflows' spans to it too (worker/tracing.ts). */
  spanProcessor: SpanProcessor;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider, exporting over OTLP/HTTP in batches; undefined when tracing is
 * not configured. `spanProcessor` replaces the exporter (tests keep spans in memory).
 */
export function startTracing(config: TracingConfig | undefined, defaultServiceName: string, spanProcessor?: SpanProcessor): Tracing | undefined {
  if (!config) return undefined;
  const resource = new Resource({ 'service.name': config.serviceName ?? defaultServiceName });
  const processor = spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Also the W3C trace-context propagator and the async context manager the HTTP and gateway spans rely on.
  provider.register();
  return { resource, spanProcessor: processor, shutdown: () => provider.shutdown() };
}
