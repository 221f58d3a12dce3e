// Alipay's formats at the edge: amounts in yuan with two decimals ("128.00") and times as Beijing wall-clock
// time ("2026-01-02 15:04:05"). Amounts convert with integer arithmetic only, never through floating point.
import { fromDecimalString, toDecimalString } from '../../domain/money.js';
import { beijingWallClock, fromBeijingWallClock } from '../beijing-time.js';

export function toYuan(fen: number): string {
  return toDecimalString(fen, 'CNY');
}

/** Fen from a yuan string; undefined for anything but a plain decimal with at most two places. */
export function fromYuan(yuan: string): number | undefined {
  // Alipay writes plain decimals; anything around one is not Alipay's.
  if (yuan !== yuan.trim()) return undefined;
  try {
    return fromDecimalString(yuan, 'CNY');
  } catch {
    return undefined;
  }
}

export function toBeijingTime(iso: string): string {
  return beijingWallClock(iso).replace('T', ' ');
}

/** A Beijing time (refund times carry milliseconds); undefined when malformed or not a real date. */
export function fromBeijingTime(text: string): Date | undefined {
  const ms = /^[\d-]{10} /.test(text) ? fromBeijingWallClock(text.replace(' ', 'T')) : undefined;
  return ms === undefined ? undefined : new Date(ms);
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
