// The settlement files UnionPay makes of a settlement day, written from the file interface specification
// (ZM文件: 42 fixed-width fields, GBK, one space after each) rather than from the adapter's reader: a zip
// holding the ZM file and an empty ZME (errors) file, deflated (zlib) and base64'd as `fileContent`.
import iconv from 'iconv-lite';
import { zipSync, zlibSync } from 'fflate';
import type { StatementDesk, StatementFault } from '../statements.js';

/** 《文件接口》 6.1: each field's width in bytes, in order. */
const WIDTHS = [3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98];

/** One transaction as the settlement file tells it. */
export interface SettledTransaction {
  /** 01 consume, 04 refund, 31 cancel. */
  txnType: string;
  orderId: string;
  /** The consume's orderId, for a refund or cancel. */
  origOrderId?: string;
  queryId: string;
  origQryId?: string;
  txnAmt: number;
  merId: string;
  /** When UnionPay took it, ms. */
  at: number;
}

const digits = (value: number, width: number) => String(value).padStart(width, '0');
/** D: the merchant pays; C: the merchant is paid. */
const signed = (fen: number) => `${fen < 0 ? 'C' : 'D'}${digits(Math.abs(fen), 12)}`;

/** `MMDDhhmmss` in Beijing time. */
function traceTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(4, 14);
}

function zmRecord(t: SettledTransaction, fee: number): Buffer {
  const consume = t.txnType === '01';
  // 交易代码: S22 for a consume; the simulator writes S31 for a cancel and S30 for a refund (the adapter reads 交易类型).
  const txnCode = consume ? 'S22' : t.txnType === '31' ? 'S31' : 'S30';
  const values: Array<string | undefined> = [
    txnCode, '00010000', '00049992', digits(Number(t.queryId.slice(-6)), 6), traceTime(t.at), '6216***********0004', digits(t.txnAmt, 12), '5811', '07', t.queryId, '', t.orderId,
    '01', '', '', signed(consume ? fee : -fee), signed(consume ? -(t.txnAmt - fee) : t.txnAmt - fee), '0001', '', t.txnType, consume ? '01' : '00', '000201', '01', '', '', '', t.origQryId,
    t.merId, '', '', '', signed(0), signed(consume ? -(t.txnAmt - fee) : t.txnAmt - fee), '', '', signed(0), signed(0), '000000000000', '00', '1', t.origOrderId, '',
  ];
  const fields = WIDTHS.map((width, i) => {
    const bytes = iconv.encode(values[i] ?? '', 'gbk');
    if (bytes.length > width) throw new Error(`field ${i + 1} does not fit ${width} bytes`);
    return Buffer.concat([bytes, Buffer.alloc(width - bytes.length, ' ')]);
  });
  return Buffer.concat(fields.flatMap((field, i) => (i === 0 ? [field] : [Buffer.from(' '), field])));
}

/** The day's `fileName` and `fileContent`. */
export function settlementFiles(transactions: readonly SettledTransaction[], merId: string, settleDate: string, desk: StatementDesk, fault: StatementFault | undefined) {
  const records = transactions.map((t) => zmRecord(t, desk.fee(t.txnAmt)));
  // A garbled amount: letters where the digits of 交易金额 belong.
  if (fault === 'malformed' && records.length > 0) records[0]!.write('00000000ABCD', WIDTHS.slice(0, 6).reduce((sum, w) => sum + w + 1, 0), 'latin1');
  const zm = Buffer.concat(records.flatMap((record) => [record, Buffer.from('\r\n')]));
  const day = settleDate.replaceAll('-', '');
  const zip = zipSync({ [`INN${day.slice(2)}88ZM_${merId}`]: new Uint8Array(zm), [`INN${day.slice(2)}88ZME_${merId}`]: new Uint8Array(0) });
  const deflated = zlibSync(zip);
  // Cut off part way: the deflate stream ends before its data does.
  const content = fault === 'truncated' ? deflated.slice(0, Math.floor(deflated.length / 2)) : deflated;
  return { fileName: `${merId}_${day}.zip`, fileContent: Buffer.from(content).toString('base64') };
}
