// What ACP 5.1.0 answer codes (respCode of a call, origRespCode of a queried transaction) mean for us.
import { GatewayError, type GatewayErrorKind } from '../types.js';

/**
 * respCode of a back-end call:
 *
 * | code                 | ACP meaning                                                   | here             |
 * |----------------------|---------------------------------------------------------------|------------------|
 * | 00                   | success                                                       | ok               |
 * | 03 / 04 / 05         | timed out / state unknown / accepted: query for the result    | in_process       |
 * | 01 / 02 / 06         | failed (ask 95516) / system closed / system busy              | server (retried) |
 * | 10 / 13 / 14         | malformed message / required field missing / bad batch file  | invalid_request  |
 * | 11                   | signature verification failed                                 | auth             |
 * | 12                   | duplicate transaction (this orderId was seen before)          | duplicate        |
 * | 31 / 32              | merchant status invalid / no permission for this transaction  | auth             |
 * | 34                   | no such transaction                                           | not_found        |
 * | 37                   | too many queries, or too frequent                             | rate_limited     |
 * | 30, 33, 35, 36, 38   | declined, over limit, original missing or not matching, risk  | invalid_request  |
 * | 39                   | outside the time accepted (a cancel after its payment's day)  | invalid_request  |
 * | 40+                  | other refusals (binding, batch, card, issuer)                 | invalid_request  |
 *
 * A retried 01 is safe: a refund is re-queried before it is sent again, and orderId makes it idempotent.
 * A cancel refused with 39 is sent again at once as a refund (04), which no settlement day limits.
 */
export type AcpOutcome = 'ok' | 'in_process' | 'duplicate' | 'not_found' | GatewayErrorKind;

const OUTCOMES: Record<string, AcpOutcome> = {
  '00': 'ok',
  '03': 'in_process',
  '04': 'in_process',
  '05': 'in_process',
  '01': 'server',
  '02': 'server',
  '06': 'server',
  '10': 'invalid_request',
  '11': 'auth',
  '12': 'duplicate',
  '13': 'invalid_request',
  '14': 'invalid_request',
  '31': 'auth',
  '32': 'auth',
  '34': 'not_found',
  '37': 'rate_limited',
};

export function acpOutcome(respCode: string | undefined): AcpOutcome {
  return (respCode !== undefined && OUTCOMES[respCode]) || 'invalid_request';
}

/** UnionPay took the transaction (or already had it under this orderId): its result follows. */
export function isAcceptance(outcome: AcpOutcome): outcome is 'ok' | 'in_process' | 'duplicate' {
  return outcome === 'ok' || outcome === 'in_process' || outcome === 'duplicate';
}

/** The error for an answer that is none of what the caller can use, with UnionPay's own code and message. */
export function acpError(kind: GatewayErrorKind, what: string, answer: Record<string, string>): GatewayError {
  return new GatewayError(kind, `${what}: UnionPay answered ${answer.respCode ?? 'without respCode'} ${answer.respMsg ?? ''}`.trim());
}

/** A transaction's own state (origRespCode of a query, respCode of a notification): 03/04/05 are still under way. */
function transactionState(code: string | undefined): 'done' | 'in_process' | 'failed' {
  if (code === '00') return 'done';
  if (code === '03' || code === '04' || code === '05') return 'in_process';
  return 'failed';
}

export function paymentStatus(code: string | undefined): 'succeeded' | 'pending' | 'failed' {
  return ({ done: 'succeeded', in_process: 'pending', failed: 'failed' } as const)[transactionState(code)];
}

export function refundStatus(code: string | undefined): 'succeeded' | 'processing' | 'failed' {
  return ({ done: 'succeeded', in_process: 'processing', failed: 'failed' } as const)[transactionState(code)];
}
