// Alipay's formats at the edge: amounts in yuan with two decimals ("128.00") and times as Beijing wall-clock
// time ("2026-01-02 15:04:05"). Amounts convert with integer arithmetic only, never through floating point.

export function toYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Fen from a yuan string; undefined for anything but a plain decimal with at most two places. */
export function fromYuan(yuan: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

// China has kept UTC+8 all year since 1991, so a fixed offset is exact.
const BEIJING_OFFSET = '+08:00';
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function toBeijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A Beijing time (refund times carry milliseconds); undefined when malformed or not a real date. */
export function fromBeijingTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,3})?$/.test(text)) return undefined;
  const ms = Date.parse(`${text.replace(' ', 'T')}${BEIJING_OFFSET}`);
  // Date.parse rolls "02-30" over into March; a real date formats back to what was given.
  if (Number.isNaN(ms) || toBeijingTime(new Date(ms).toISOString()) !== text.slice(0, 19)) return undefined;
  return new Date(ms);
}

/**
 * Alipay's trade states in our words. TRADE_FINISHED is a paid trade past its refund period; TRADE_CLOSED is
 * an unpaid trade closed, or a paid one refunded in full.
 */
export const PAYMENT_STATUS = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'succeeded',
  TRADE_FINISHED: 'succeeded',
  TRADE_CLOSED: 'closed',
} as const;

export type TradeStatus = keyof typeof PAYMENT_STATUS;
export const TRADE_STATUSES = Object.keys(PAYMENT_STATUS) as [TradeStatus, ...TradeStatus[]];
