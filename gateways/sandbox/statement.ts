// The sandbox gateway's daily statement: a CSV of the day's captured payments and succeeded refunds with
// the fee charged on each, ending with a trailer that counts the lines (a statement without it, or with
// another count, is truncated). Written by the sandbox server from its ledger, read by the adapter.
import { parse } from 'csv-parse/sync';
import { StatementUnreadable } from '../types.js';
import type { StatementLine } from '../../domain/gateway-statements.js';

export const STATEMENT_HEADER = ['kind', 'our_id', 'payment_id', 'reference', 'amount', 'currency', 'fee', 'occurred_at'] as const;
const TRAILER = /^# lines (\d+)$/;

/** What the sandbox charges: 0.6 % of a payment, rounded half up; a refund returns its share. */
export function sandboxFee(amount: number): number {
  return Math.round((amount * 6) / 1000);
}

export interface SandboxStatementRow {
  kind: 'payment' | 'refund';
  ourId: string;
  paymentId: string;
  reference: string;
  amount: number;
  currency: string;
  fee: number;
  occurredAt: string;
}

export function writeStatement(rows: readonly SandboxStatementRow[]): string {
  const body = rows.map((r) => [r.kind, r.ourId, r.paymentId, r.reference, r.amount, r.currency, r.fee, r.occurredAt].join(','));
  return [STATEMENT_HEADER.join(','), ...body, `# lines ${rows.length}`].join('\n') + '\n';
}

const int = (text: string, what: string, raw: string): number => {
  if (!/^-?\d+$/.test(text)) throw new StatementUnreadable(`sandbox statement: ${what} "${text}" is not a whole number in line "${raw}"`);
  return Number(text);
};

/** Every line, or `StatementUnreadable` naming what is wrong: never part of a statement. */
export function readStatement(text: string): StatementLine[] {
  const rawLines = text.split('\n').filter((l) => l !== '');
  const trailer = TRAILER.exec(rawLines.at(-1) ?? '');
  if (!trailer) throw new StatementUnreadable('sandbox statement is truncated: it does not end with its "# lines" trailer');
  const dataLines = rawLines.slice(1, -1);
  if (rawLines[0] !== STATEMENT_HEADER.join(',')) throw new StatementUnreadable(`sandbox statement: unexpected header "${rawLines[0] ?? ''}"`);
  if (dataLines.length !== Number(trailer[1])) throw new StatementUnreadable(`sandbox statement is truncated: ${dataLines.length} of ${trailer[1]} lines`);
  let records: string[][];
  try {
    records = parse(dataLines.join('\n'), { relax_column_count: false }) as string[][];
  } catch (error) {
    throw new StatementUnreadable(`sandbox statement: ${error instanceof Error ? error.message : String(error)}`);
  }
  return records.map((fields, i) => {
    const raw = dataLines[i]!;
    if (fields.length !== STATEMENT_HEADER.length) throw new StatementUnreadable(`sandbox statement: ${fields.length} fields instead of ${STATEMENT_HEADER.length} in line "${raw}"`);
    const [kind, ourId, paymentId, reference, amount, currency, fee, occurredAt] = fields as [string, string, string, string, string, string, string, string];
    if (kind !== 'payment' && kind !== 'refund') throw new StatementUnreadable(`sandbox statement: unknown kind "${kind}" in line "${raw}"`);
    if (Number.isNaN(Date.parse(occurredAt))) throw new StatementUnreadable(`sandbox statement: unreadable time "${occurredAt}" in line "${raw}"`);
    return {
      kind,
      ourId,
      ...(kind === 'refund' && { paymentId }),
      gatewayReference: reference,
      amount: int(amount, 'amount', raw),
      currency,
      fee: int(fee, 'fee', raw),
      occurredAt: new Date(occurredAt).toISOString(),
      raw,
    };
  });
}
