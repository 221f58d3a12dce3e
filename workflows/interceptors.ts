// The workflow interceptors, bundled with the workflow code (worker/workflow-bundle.ts): request ids on
// the timeline (request-ids.ts) and traces for runs a traced client started (tracing.ts).
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { RequestIdInterceptor, RequestIdOutboundInterceptor } from './request-ids.js';
import { tracingInterceptors } from './tracing.js';

export const interceptors = (): WorkflowInterceptors => {
  const tracing = tracingInterceptors();
  return {
    inbound: [tracing.inbound, new RequestIdInterceptor()],
    outbound: [tracing.outbound, new RequestIdOutboundInterceptor()],
    internals: [tracing.internals],
  };
};
