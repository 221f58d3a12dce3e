// Which API call a message to the workflow came from: the API's Temporal client puts the call's
// `X-Request-Id` in a header of each update and signal it sends; the inbound interceptor below runs the
// message's handler with that id at hand, so the timeline entries the handler records carry it. A header,
// not an argument: no message changes shape, and histories without it replay as before. The activities a
// handler schedules carry the id on in a header of their own, so the worker's log lines about them name
// the request too (worker/request-ids.ts).
import {
  AsyncLocalStorage,
  defaultPayloadConverter,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type Payload,
  type SignalInput,
  type UpdateInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from './messages.js';

const handled = new AsyncLocalStorage<string>();

/**
 * The request id of the update or signal being handled, also across the handler's awaits; undefined in the
 * workflow's own run, and outside a workflow (where Temporal's AsyncLocalStorage is an empty stand-in).
 */
export function handledRequestId(): string | undefined {
  return typeof handled.getStore === 'function' ? handled.getStore() : undefined;
}

/** Runs `fn` as caused by `requestId` (the run's own work that a request started, e.g. checkout's payment). */
export function causedBy<T>(requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
  return requestId === undefined || typeof handled.run !== 'function' ? fn() : handled.run(requestId, fn);
}

function requestIdOf(headers: Record<string, Payload>): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (payload === undefined) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

export class RequestIdInterceptor implements WorkflowInboundCallsInterceptor {
  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const requestId = requestIdOf(input.headers);
    return requestId === undefined ? next(input) : handled.run(requestId, () => next(input));
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const requestId = requestIdOf(input.headers);
    return requestId === undefined ? next(input) : handled.run(requestId, () => next(input));
  }
}

/** Activities scheduled while a request's message is handled carry its id in their headers. */
export class RequestIdOutboundInterceptor implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return next(withRequestIdHeader(input));
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return next(withRequestIdHeader(input));
  }
}

function withRequestIdHeader<T extends { headers: Record<string, Payload> }>(input: T): T {
  const requestId = handledRequestId();
  return requestId === undefined ? input : { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } };
}
