// Alipay's trade bill (bill_type `trade`): a zip holding two GBK-encoded CSV files, the details
// (`#支付宝业务明细查询`) and their summary. The details file opens with `#` comment lines, then a header row
// and one row per trade (业务类型 交易) or refund (退款), closed by `#-----…业务明细列表结束…` and the totals
// (`#交易合计：N笔，商家实收共X元…`, `#退款合计：M笔，商家实收退款共-Y元…`). Text cells carry a trailing tab
// (so spreadsheets keep long numbers as text). A refund row's 商家实收 is the negative refund; 服务费 is the
// fee, negative when charged and positive when returned. The rows are believed only when the list is
// closed and the totals agree with them: anything less is a cut or damaged file.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { StatementLine } from '../../domain/gateway-statements.js';
import { fenOf, instantOfBeijingTime, unzipped } from '../statement-files.js';
import { fromTradeNo } from '../trade-numbers.js';
import { StatementUnreadable } from '../types.js';

const TITLE = '#支付宝业务明细查询';
const LIST_START = /^#-+业务明细列表-+$/;
const LIST_END = /^#-+业务明细列表结束-+$/;
const TRADE_TOTAL = /^#交易合计：(\d+)笔，商家实收共(-?[\d.]+)元/;
const REFUND_TOTAL = /^#退款合计：(\d+)笔，商家实收退款共(-?[\d.]+)元/;

const COLUMNS = {
  tradeNo: '支付宝交易号',
  outTradeNo: '商户订单号',
  type: '业务类型',
  finishedAt: '完成时间',
  orderAmount: '订单金额（元）',
  received: '商家实收（元）',
  refundNo: '退款批次号/请求号',
  fee: '服务费（元）',
} as const;

type Row = Record<keyof typeof COLUMNS, string>;

function fen(row: Row, column: 'orderAmount' | 'received' | 'fee', line: number): number {
  const value = fenOf(row[column]);
  if (value === undefined) throw new StatementUnreadable(`row ${line}: ${COLUMNS[column]} is not an amount: "${row[column]}"`);
  return value;
}

function toLine(row: Row, raw: string, line: number): StatementLine {
  const occurredAt = instantOfBeijingTime(row.finishedAt);
  if (occurredAt === undefined) throw new StatementUnreadable(`row ${line}: 完成时间 is not a time: "${row.finishedAt}"`);
  const paymentId = fromTradeNo(row.outTradeNo);
  const common = { currency: 'CNY', fee: -fen(row, 'fee', line), occurredAt, raw };
  if (row.type === '交易') {
    return { kind: 'payment', ...(paymentId && { ourId: paymentId }), gatewayReference: row.tradeNo, amount: fen(row, 'orderAmount', line), ...common };
  }
  if (row.type === '退款') {
    const refundId = fromTradeNo(row.refundNo);
    return {
      kind: 'refund',
      ...(refundId && { ourId: refundId }),
      ...(paymentId && { paymentId }),
      gatewayReference: row.refundNo,
      amount: -fen(row, 'received', line),
      ...common,
    };
  }
  throw new StatementUnreadable(`row ${line}: 业务类型 "${row.type}" is neither 交易 nor 退款`);
}

function checkTotals(footer: readonly string[], lines: readonly StatementLine[]): void {
  const [trades, refunds] = [TRADE_TOTAL, REFUND_TOTAL].map((pattern) => footer.map((text) => pattern.exec(text)).find(Boolean));
  if (!trades || !refunds) throw new StatementUnreadable('the totals after the list are missing');
  const payments = lines.filter((l) => l.kind === 'payment');
  const refundLines = lines.filter((l) => l.kind === 'refund');
  const sum = (of: readonly StatementLine[]) => of.reduce((total, l) => total + l.amount, 0);
  if (Number(trades[1]) !== payments.length || fenOf(trades[2]!) !== sum(payments)) {
    throw new StatementUnreadable(`the totals say ${trades[1]} trades of ${trades[2]} yuan; the list has ${payments.length} of ${sum(payments)} fen`);
  }
  if (Number(refunds[1]) !== refundLines.length || fenOf(refunds[2]!) !== -sum(refundLines)) {
    throw new StatementUnreadable(`the totals say ${refunds[1]} refunds of ${refunds[2]} yuan; the list has ${refundLines.length} of -${sum(refundLines)} fen`);
  }
}

/** The statement lines of the details CSV (already decoded from GBK). */
export function readDetails(text: string): StatementLine[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => LIST_START.test(l));
  const end = lines.findIndex((l) => LIST_END.test(l));
  if (start < 0) throw new StatementUnreadable('no 业务明细列表 line opens the list');
  if (end < start) throw new StatementUnreadable('the list is not closed by 业务明细列表结束: the file is cut short');
  const records = parse(lines.slice(start + 1, end).join('\n'), { trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const [header, ...rows] = records;
  const columns = Object.fromEntries(Object.entries(COLUMNS).map(([key, name]) => [key, header?.indexOf(name) ?? -1]));
  const missing = Object.entries(columns).find(([, index]) => index < 0);
  if (missing) throw new StatementUnreadable(`the header has no ${COLUMNS[missing[0] as keyof typeof COLUMNS]} column`);
  const rawRows = lines.slice(start + 2, end).filter((l) => l.trim() !== '');
  const statement = rows.map((cells, i) => {
    if (cells.length !== header!.length) throw new StatementUnreadable(`row ${i + 1} has ${cells.length} cells, the header ${header!.length}`);
    const row = Object.fromEntries(Object.entries(columns).map(([key, index]) => [key, cells[index]!])) as Row;
    // A cell with a line break would split raw rows from parsed ones; Alipay writes none.
    return toLine(row, rawRows[i] ?? cells.join(','), i + 1);
  });
  checkTotals(lines.slice(end + 1), statement);
  return statement;
}

/** The lines of a downloaded trade bill (the zip as Alipay serves it). */
export function readTradeBill(zip: Uint8Array): StatementLine[] {
  const texts = Object.values(unzipped(zip)).map((bytes) => iconv.decode(Buffer.from(bytes), 'gbk'));
  // Entry names are GBK without the zip's UTF-8 flag, so the details are known by their first line.
  const details = texts.filter((text) => text.startsWith(TITLE));
  if (details.length !== 1) throw new StatementUnreadable(`the archive holds ${details.length} files starting ${TITLE}, not one`);
  return readDetails(details[0]!);
}
