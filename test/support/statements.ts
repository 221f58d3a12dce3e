// What the gateway statement tests share: a settlement day to plant in (never one about to end), and the
// lines of a statement in a form to compare, without what only the gateway knows (its references, times,
// raw text).
import { setTimeout as sleep } from 'node:timers/promises';
import type { SettlementDay, StatementLine } from '../../domain/gateway-statements.js';
import { beijingDate } from '../simulators/statements.js';

const HOUR_MS = 3_600_000;

/**
 * Today's settlement day in Beijing, for a gateway whose day ends at `endHour` Beijing time (24: midnight;
 * UnionPay's ends at 23:00 and is named by the date it ends on). Within two minutes of the end it waits
 * the end out, so everything planted next falls in one day.
 */
export async function plantingDay(endHour = 24): Promise<SettlementDay> {
  const shift = (24 - endHour) * HOUR_MS;
  const untilEnd = HOUR_MS * 24 - ((Date.now() + 8 * HOUR_MS + shift) % (HOUR_MS * 24));
  if (untilEnd < 120_000) await sleep(untilEnd + 1_000);
  return { date: beijingDate(Date.now() + shift), timeZone: 'Asia/Shanghai' };
}

export type LineSummary = Pick<StatementLine, 'kind' | 'ourId' | 'paymentId' | 'amount' | 'currency' | 'fee'>;

/** The lines as comparable summaries, in a fixed order. */
export function summaries(lines: readonly StatementLine[]): LineSummary[] {
  return lines
    .map(({ kind, ourId, paymentId, amount, currency, fee }) => ({ kind, ...(ourId !== undefined && { ourId }), ...(paymentId !== undefined && { paymentId }), amount, currency, fee }))
    .sort((a, b) => `${a.kind}${a.paymentId ?? a.ourId}${a.amount}`.localeCompare(`${b.kind}${b.paymentId ?? b.ourId}${b.amount}`));
}

/** The day after: a day whose statement is not made yet. */
export function nextDay(day: SettlementDay): SettlementDay {
  return { ...day, date: new Date(Date.parse(`${day.date}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10) };
}

/** The lines a day of planted payments and refunds must give, at `feeRate` (charged on payments, returned on refunds). */
export function expectedLines(feeRate: number, payments: ReadonlyArray<{ id: string; amount: number }>, refunds: ReadonlyArray<{ id?: string; paymentId: string; amount: number }>): LineSummary[] {
  const fee = (amount: number) => Math.round(amount * feeRate);
  return summaries([
    ...payments.map((p) => ({ kind: 'payment' as const, ourId: p.id, amount: p.amount, currency: 'CNY', fee: fee(p.amount), occurredAt: '', raw: '' })),
    ...refunds.map((r) => ({ kind: 'refund' as const, ...(r.id !== undefined && { ourId: r.id }), paymentId: r.paymentId, amount: r.amount, currency: 'CNY', fee: -fee(r.amount), occurredAt: '', raw: '' })),
  ]);
}
