import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { classifyFailure, FINAL_FAILURE, withFailureRule } from '../activities/failures.js';
import { GatewayError } from '../gateways/types.js';

function databaseError(code: string): Error {
  const error = new pg.DatabaseError('refused', 0, 'error');
  error.code = code;
  return error;
}

const final = (error: unknown) => {
  const failure = classifyFailure(error);
  return failure instanceof ApplicationFailure && failure.nonRetryable ? failure.type : undefined;
};

describe('activity failure rule', () => {
  it('fails at once on what cannot heal', () => {
    expect(final(databaseError('22P05'))).toBe(FINAL_FAILURE.dataRejected);
    expect(final(databaseError('23514'))).toBe(FINAL_FAILURE.dataRejected);
    expect(final(new GatewayError('invalid_request', 'bad amount'))).toBe(FINAL_FAILURE.gatewayRejected);
    expect(final(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(FINAL_FAILURE.programmingError);
    expect(final(new RangeError('Invalid time value'))).toBe(FINAL_FAILURE.programmingError);
  });

  it('leaves connection loss, timeouts and gateway trouble to be retried', () => {
    for (const error of [
      databaseError('08006'),
      databaseError('57P01'),
      databaseError('40001'),
      new GatewayError('network', 'unreachable'),
      new GatewayError('timeout', 'no answer'),
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      expect(classifyFailure(error)).toBe(error);
    }
  });

  it('keeps a failure an activity already typed, and wraps every activity', async () => {
    const typed = ApplicationFailure.nonRetryable('no', 'GatewayRejected');
    expect(classifyFailure(typed)).toBe(typed);
    const activities = withFailureRule({ write: async () => Promise.reject(databaseError('22021')) });
    await expect(activities.write()).rejects.toMatchObject({ type: FINAL_FAILURE.dataRejected, nonRetryable: true });
  });
});
