// OpenTelemetry spans for the workflow (its run, updates, signals, and the activities it schedules), from
// `@temporalio/interceptors-opentelemetry`, but only for messages that arrive with a trace context: a run
// or handler started by a traced client is traced, anything else goes straight through. With tracing off
// nothing here runs, and histories recorded without trace headers replay exactly as before.
import { trace } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type {
  ActivityInput,
  DisposeInput,
  LocalActivityInput,
  Next,
  Payload,
  SignalInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header the OpenTelemetry client and workflow interceptors carry the trace context in. */
const TRACE_HEADER = '_tracer-data';

/** The OpenTelemetry interceptors of one run, made the first time a traced message arrives. */
class RunTracing {
  private made: { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor; internals: OpenTelemetryInternalsInterceptor } | undefined;

  /** The interceptors when `headers` carry a trace context (making them then), else undefined. */
  forHeaders(headers: Record<string, Payload>) {
    if (headers[TRACE_HEADER] === undefined) return undefined;
    this.made ??= { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor(), internals: new OpenTelemetryInternalsInterceptor() };
    return this.made;
  }

  /** The interceptors when work is being done inside a traced span of this run, else undefined. */
  inSpan() {
    return this.made !== undefined && trace.getActiveSpan() !== undefined ? this.made : undefined;
  }

  ifMade() {
    return this.made;
  }
}

class TracedInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const traced = this.run.forHeaders(input.headers);
    return traced ? traced.inbound.execute(input, next) : next(input);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const traced = this.run.forHeaders(input.headers);
    return traced ? traced.inbound.handleSignal(input, next) : next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const traced = this.run.forHeaders(input.headers);
    return traced ? traced.inbound.handleUpdate(input, next) : next(input);
  }
}

class TracedOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const traced = this.run.inSpan();
    return traced ? traced.outbound.scheduleActivity(input, next) : next(input);
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    const traced = this.run.inSpan();
    return traced ? traced.outbound.scheduleLocalActivity(input, next) : next(input);
  }
}

class TracedInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly run: RunTracing) {}

  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    const traced = this.run.ifMade();
    if (traced) void traced.internals.dispose(input, next);
    else next(input);
  }
}

export function tracingInterceptors() {
  const run = new RunTracing();
  return { inbound: new TracedInbound(run), outbound: new TracedOutbound(run), internals: new TracedInternals(run) };
}
