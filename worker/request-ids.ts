// The request an activity runs for: a workflow handling an API call's update or signal schedules its
// activities with the call's id in a header (workflows/request-ids.ts). The activity then runs inside that
// id, so its own log lines name it (the logger's mixin reads it), and the SDK's log lines about the
// activity carry it as `requestId`. Activities the workflow schedules on its own carry none.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { withRequestId } from '../core/request-context.js';
import { REQUEST_ID_HEADER } from '../workflows/messages.js';

function requestIdOf(headers: Record<string, Payload>): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (payload === undefined) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

export const requestIdActivityInterceptors: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  const inbound: ActivityInboundCallsInterceptor = {
    execute(input, next) {
      requestId = requestIdOf(input.headers);
      return requestId === undefined ? next(input) : withRequestId(requestId, () => next(input));
    },
  };
  return {
    inbound,
    outbound: {
      getLogAttributes: (input, next) => next(requestId === undefined ? input : { ...input, requestId }),
    },
  };
};
