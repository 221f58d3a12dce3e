// The workflow interceptors, bundled with the workflow code (worker/workflow-bundle.ts): request ids on
// the timeline (request-ids.ts).
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { RequestIdInterceptor } from './request-ids.js';

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new RequestIdInterceptor()],
});
