// One rule for every activity's failure: what cannot heal by trying again fails at once, with a type the
// workflow can read; anything else (connection loss, timeouts, a gateway's 5xx or 429) is thrown as it is
// and retried by Temporal with the activity's backoff.
import { ApplicationFailure } from '@temporalio/activity';
import { dataRefusalCode } from '../db/errors.js';
import { GatewayError } from '../gateways/types.js';

/** Failure types of activities that ended for good; the workflow and its retry policies name them. */
export const FINAL_FAILURE = {
  /** Postgres refused the data (SQLSTATE class 22 or 23): the same write will be refused again. */
  dataRejected: 'DataRejected',
  /** The gateway refused the request (invalid parameters, authentication). */
  gatewayRejected: 'GatewayRejected',
  /** A bug in our code (TypeError, RangeError...): another attempt runs the same code on the same input. */
  programmingError: 'ProgrammingError',
} as const;

const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/** A bug, not a network failure: `fetch` reports a lost connection as a TypeError whose cause is the system error. */
function isProgrammingError(error: unknown): error is Error {
  if (!PROGRAMMING_ERRORS.some((kind) => error instanceof kind)) return false;
  const cause = (error as Error).cause;
  return !(cause instanceof Error && 'code' in cause);
}

/** The failure an activity ends with: non-retryable with a clear type when retrying cannot help, else the error itself. */
export function classifyFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const sqlState = dataRefusalCode(error);
  if (sqlState !== undefined) {
    return ApplicationFailure.create({ type: FINAL_FAILURE.dataRejected, message: `The database refused the data (SQLSTATE ${sqlState}): ${(error as Error).message}`, nonRetryable: true, cause: error as Error });
  }
  if (error instanceof GatewayError && !error.retryable) {
    return ApplicationFailure.create({ type: FINAL_FAILURE.gatewayRejected, message: error.message, nonRetryable: true });
  }
  if (isProgrammingError(error)) {
    return ApplicationFailure.create({ type: FINAL_FAILURE.programmingError, message: `${error.name}: ${error.message}`, nonRetryable: true, cause: error });
  }
  return error;
}

/** The same activities, each failing through `classifyFailure`. */
export function withFailureRule<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw classifyFailure(error);
      }
    };
  }
  return wrapped as T;
}
