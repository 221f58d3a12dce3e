import type { Headers, Next, WorkflowClientInterceptor, WorkflowSignalInput, WorkflowSignalWithStartInput, WorkflowStartInput, WorkflowStartUpdateInput, WorkflowStartUpdateWithStartInput } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { currentRequestId } from '../core/request-context.js';
import { REQUEST_ID_HEADER } from '../workflows/messages.js';

function withRequestId(headers: Headers): Headers {
  const requestId = currentRequestId();
  return requestId === undefined ? headers : { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) };
}

// The Temporal client's side of request ids and traces.

/**
 * Sends the API call's request id with every update, signal and start the call makes (a header: see
 * workflows/request-ids.ts), so the timeline entries it causes name it.
 */
export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>) {
    return next({ ...input, headers: withRequestId(input.headers) });
  }

  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>) {
    return next({ ...input, headers: withRequestId(input.headers) });
  }

  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>) {
    return next({ ...input, headers: withRequestId(input.headers) });
  }

  startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>) {
    return next({ ...input, headers: withRequestId(input.headers) });
  }

  startUpdateWithStart(input: WorkflowStartUpdateWithStartInput, next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>) {
    return next({ ...input, workflowStartHeaders: withRequestId(input.workflowStartHeaders), updateHeaders: withRequestId(input.updateHeaders) });
  }
}

/**
 * The interceptors of a Temporal client (the API's, and the worker's own that activities start delivery
 * workflows with): request ids, and with tracing on the OpenTelemetry one, which makes each start, update
 * and signal a span and hands its context to the workflow (one checkout, one trace).
 */
export function clientInterceptors({ tracing }: { tracing: boolean }): WorkflowClientInterceptor[] {
  return [new RequestIdClientInterceptor(), ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [])];
}
