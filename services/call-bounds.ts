// Every storefront, merchant and customer call waits for an order only so long (core/config.ts `bounds`):
// past it the caller hears `504 order_busy` with `Retry-After`, and the order's work goes on without it.
import { isGrpcCancelledError, isGrpcDeadlineError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { RetryLaterError } from '../core/errors.js';

/** Whether a Temporal client call failed because its deadline passed. */
function pastDeadline(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const cause = error instanceof ServiceError ? error.cause : error;
  return isGrpcDeadlineError(cause) || isGrpcCancelledError(cause);
}

export function orderBusy(seconds: number): RetryLaterError {
  return new RetryLaterError(504, 'order_busy', `The order did not answer within ${seconds} s; its work goes on. Ask again (with the same Idempotency-Key where there is one) or read the order.`, Math.max(1, Math.ceil(seconds)));
}

/** Runs Temporal client calls under one deadline, `seconds` from now; past it, `504 order_busy`. */
export async function withinBound<T>(temporal: Client, seconds: number, call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  try {
    return await temporal.withDeadline(deadline, call);
  } catch (error) {
    if (pastDeadline(error)) throw orderBusy(seconds);
    throw error;
  }
}
