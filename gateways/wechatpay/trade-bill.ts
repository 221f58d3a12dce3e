// WeChat Pay's trade bill (`bill_type=ALL`), UTF-8 CSV: a header row, one row per payment (交易状态
// SUCCESS) or refund (REFUND), then a summary header (`总交易单数,…`) and one summary row. Every cell of a
// data row starts with a backtick (so spreadsheets keep long numbers as text). Amounts are yuan; 手续费 has
// five places and is negative on a refund row (the fee returned). The rows are believed only when the
// summary is there and agrees with them: anything less is a cut or damaged file.
import { parse } from 'csv-parse/sync';
import type { StatementLine } from '../../domain/gateway-statements.js';
import { fenOf, instantOfBeijingTime } from '../statement-files.js';
import { fromTradeNo } from '../trade-numbers.js';
import { StatementUnreadable } from '../types.js';

const COLUMNS = {
  time: '交易时间',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  state: '交易状态',
  currency: '货币种类',
  settled: '应结订单金额',
  refundId: '微信退款单号',
  outRefundNo: '商户退款单号',
  refund: '退款金额',
  fee: '手续费',
} as const;

const SUMMARY = { count: '总交易单数', refunds: '退款总金额', fees: '手续费总金额' } as const;

type Row = Record<keyof typeof COLUMNS, string>;

/** A fee in 1/100 000 yuan (five places, as written), for summing exactly before rounding to fen. */
function feeUnits(value: string): number | undefined {
  const match = /^(-)?(\d{1,10})(?:\.(\d{1,5}))?$/.exec(value);
  if (!match) return undefined;
  const units = Number(match[2]) * 100_000 + Number((match[3] ?? '').padEnd(5, '0'));
  return match[1] ? -units : units;
}

/** A cell as written, without its leading backtick. */
const cell = (value: string) => (value.startsWith('`') ? value.slice(1) : value);

function columnsOf<K extends string>(header: readonly string[] | undefined, names: Record<K, string>, what: string): Record<K, number> {
  const indexes = Object.fromEntries(Object.entries<string>(names).map(([key, name]) => [key, header?.indexOf(name) ?? -1])) as Record<K, number>;
  const missing = (Object.keys(names) as K[]).find((key) => indexes[key] < 0);
  if (missing !== undefined) throw new StatementUnreadable(`the ${what} header has no ${names[missing]} column`);
  return indexes;
}

function fen(value: string, name: string, where: string): number {
  const amount = fenOf(value);
  if (amount === undefined) throw new StatementUnreadable(`${where}: ${name} is not an amount: "${value}"`);
  return amount;
}

function toLine(row: Row, raw: string, where: string): StatementLine {
  const occurredAt = instantOfBeijingTime(row.time);
  if (occurredAt === undefined) throw new StatementUnreadable(`${where}: 交易时间 is not a time: "${row.time}"`);
  const paymentId = fromTradeNo(row.outTradeNo);
  const common = { currency: row.currency, fee: fen(row.fee, COLUMNS.fee, where), occurredAt, raw };
  if (row.state === 'SUCCESS') {
    return { kind: 'payment', ...(paymentId && { ourId: paymentId }), gatewayReference: row.transactionId, amount: fen(row.settled, COLUMNS.settled, where), ...common };
  }
  if (row.state === 'REFUND') {
    const refundId = fromTradeNo(row.outRefundNo);
    return { kind: 'refund', ...(refundId && { ourId: refundId }), ...(paymentId && { paymentId }), gatewayReference: row.refundId, amount: fen(row.refund, COLUMNS.refund, where), ...common };
  }
  throw new StatementUnreadable(`${where}: 交易状态 "${row.state}" is neither SUCCESS nor REFUND`);
}

/** The statement lines of a trade bill's text. */
export function readTradeBill(text: string): StatementLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line !== '');
  const summaryAt = lines.findIndex((line) => line.startsWith(`${SUMMARY.count},`));
  if (summaryAt < 0 || summaryAt + 2 !== lines.length) throw new StatementUnreadable('the summary (总交易单数…) does not close the file: it is cut short');
  const parseLines = (from: number, to: number) => parse(lines.slice(from, to).join('\n'), { relax_quotes: true, relax_column_count: true }) as string[][];
  const [header, ...rows] = parseLines(0, summaryAt);
  const columns = columnsOf(header, COLUMNS, 'bill');
  const statement = rows.map((cells, i) => {
    const where = `row ${i + 1}`;
    if (cells.length !== header!.length) throw new StatementUnreadable(`${where} has ${cells.length} cells, the header ${header!.length}`);
    const row = Object.fromEntries(Object.entries(columns).map(([key, index]) => [key, cell(cells[index]!)])) as Row;
    return toLine(row, lines[i + 1]!, where);
  });

  const [summaryHeader, summaryRow] = parseLines(summaryAt, summaryAt + 2);
  const totals = columnsOf(summaryHeader, SUMMARY, 'summary');
  const total = (key: keyof typeof SUMMARY) => cell(summaryRow?.[totals[key]] ?? '');
  const refunds = statement.filter((l) => l.kind === 'refund').reduce((sum, l) => sum + l.amount, 0);
  // Fees are summed as written (fractions of a fen included), as WeChat Pay sums them.
  const fees = rows.reduce((sum, cells) => sum + (feeUnits(cell(cells[columns.fee]!)) ?? NaN), 0);
  if (Number(total('count')) !== statement.length || fenOf(total('refunds')) !== refunds || feeUnits(total('fees')) !== fees) {
    throw new StatementUnreadable(`the summary says ${total('count')} rows, refunds ${total('refunds')}, fees ${total('fees')}; the bill has ${statement.length} rows, refunds ${refunds} fen, fees ${fees / 100_000} yuan`);
  }
  return statement;
}
