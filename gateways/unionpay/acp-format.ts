// ACP 5.1.0 wire formats: times in Beijing time, amounts in fen, currencies as ISO 4217 numbers, and the
// `k=v&…` answer body of the back-end endpoints.

import { beijingWallClock, fromBeijingWallClock } from '../beijing-time.js';

/** `yyyyMMddHHmmss` in Beijing time (UTC+8, no daylight saving) for an ISO instant. */
export function acpTime(iso: string): string {
  return beijingWallClock(iso).replace(/\D/g, '');
}

/** The instant (ms since the epoch) of an ACP time; undefined when it is not one. */
export function parseAcpTime(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  return match ? fromBeijingWallClock(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}`) : undefined;
}

/** txnAmt: the amount in fen as an integer string (our minor units are fen already). */
export function acpAmount(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`not a positive integer amount: ${amount}`);
  return String(amount);
}

export function parseAcpAmount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** UnionPay Online settles CNY only here: ISO 4217 156. */
export const CNY_CODE = '156';

/** Our currency for a currencyCode; another code comes back as itself, so the order sees the mismatch. */
export function currencyOf(code: string | undefined): string | undefined {
  return code === CNY_CODE ? 'CNY' : code;
}

/**
 * Parses an answer body `k=v&k=v…`. Values are not URL-encoded; a value may hold a `{…}` or `[…]`
 * group (reserved fields carrying `k=v&k=v` of their own) whose `&` does not end the value.
 */
export function parseAcpAnswer(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let key: string | undefined;
  let token = '';
  let closer: string | undefined;
  const flush = () => {
    if (key !== undefined) fields[key] = token;
    else if (token !== '') fields[token] = '';
    key = undefined;
    token = '';
  };
  for (const char of body) {
    if (key === undefined) {
      if (char === '=') {
        key = token;
        token = '';
      } else if (char === '&') flush();
      else token += char;
      continue;
    }
    if (closer !== undefined) {
      if (char === closer) closer = undefined;
    } else if (char === '{') closer = '}';
    else if (char === '[') closer = ']';
    else if (char === '&') {
      flush();
      continue;
    }
    token += char;
  }
  flush();
  return fields;
}
