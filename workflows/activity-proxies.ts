// The activities the order workflow calls, with their profiles: projection writes are quick and retried
// until the database is back; gateway calls are slower and retried with backoff. Failures that cannot heal
// (a rejection by the gateway or the database, a bug) are final whatever the profile: activities/failures.ts.
import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const dbProfile = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
} satisfies ActivityOptions & LocalActivityOptions;
const gatewayProfile = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['GatewayRejected'] },
} satisfies ActivityOptions & LocalActivityOptions;

/**
 * Gateway activities beat every second while a call lasts (activities/gateway-calls.ts): a worker killed
 * mid-call is noticed within these 5 seconds and the call retried on another, rather than after its
 * start-to-close timeout. Activity options are not compared on replay (only each activity's id and type
 * are), so running orders take this up at their next call.
 */
const GATEWAY_HEARTBEAT_TIMEOUT = '5 seconds';

export const db = proxyActivities<Activities>(dbProfile);
export const gateway = proxyActivities<Activities>({ ...gatewayProfile, heartbeatTimeout: GATEWAY_HEARTBEAT_TIMEOUT });
/** The same two profiles as local activities, for checkout only (see `checkout-in-one-task` in patches.ts). */
export const localActivities = { db: proxyLocalActivities<Activities>(dbProfile), gateway: proxyLocalActivities<Activities>(gatewayProfile) };

/** The gateway's refusal (bad parameters, authentication) as a message, or undefined for any other failure. */
export function gatewayRejection(error: unknown): string | undefined {
  // Activities fail with an ActivityFailure around the cause; local activities with the cause itself.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === 'GatewayRejected' ? failure.message : undefined;
}

/**
 * An activity that failed for good (activities/failures.ts: the database refused the data, a bug) as its
 * message; undefined for any other failure (a cancellation, say).
 */
export function finalFailure(error: unknown): string | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.nonRetryable ? failure.message : undefined;
}

/**
 * Payment creation within a bound: five attempts whose backoff takes under half of `seconds`, and no longer than that
 * in all, so a gateway that cannot be reached ends the checkout instead of keeping it waiting for ever
 * (local activities do not stop retrying at their schedule-to-close, hence the backoff). `local` as in
 * `localActivities`.
 */
export function boundedPaymentCreation(local: boolean, seconds: number) {
  const ms = seconds * 1000;
  const options = {
    ...gatewayProfile,
    startToCloseTimeout: Math.min(ms, 30_000),
    scheduleToCloseTimeout: ms,
    retry: { ...gatewayProfile.retry, initialInterval: Math.min(ms / 16, 1000), maximumInterval: Math.min(ms / 8, 30_000), maximumAttempts: 5 },
  };
  return (local ? proxyLocalActivities<Activities>(options) : proxyActivities<Activities>({ ...options, heartbeatTimeout: GATEWAY_HEARTBEAT_TIMEOUT })).createGatewayPayment;
}

/** The innermost message of an activity's failure: a timeout's cause is the last attempt's error. */
export function deepestMessage(error: unknown): string {
  let current = error instanceof Error ? error : new Error(String(error));
  while (current.cause instanceof Error) current = current.cause;
  return current.message;
}
