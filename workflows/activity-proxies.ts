// The activities the order workflow calls, with their profiles: projection writes are quick and retried
// until the database is back; gateway calls are slower and retried with backoff, except for rejections
// (bad parameters, auth), which are final.
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

export const db = proxyActivities<Activities>(dbProfile);
export const gateway = proxyActivities<Activities>(gatewayProfile);
/** The same two profiles as local activities, for checkout only (see `checkout-in-one-task` in patches.ts). */
export const localActivities = { db: proxyLocalActivities<Activities>(dbProfile), gateway: proxyLocalActivities<Activities>(gatewayProfile) };

/** The gateway's refusal (bad parameters, authentication) as a message, or undefined for any other failure. */
export function gatewayRejection(error: unknown): string | undefined {
  // Activities fail with an ActivityFailure around the cause; local activities with the cause itself.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === 'GatewayRejected' ? failure.message : undefined;
}
