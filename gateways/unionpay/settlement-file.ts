// UnionPay's settlement files (ACP file transfer, txnType 76, fileType 00): `fileContent` is the base64 of a
// zlib-deflated zip, which holds the day's files. Read here: the merchant's general transaction file, the
// one named `INN…ZM_<merId>`, in the layout of 《全渠道平台接入接口规范 第3部分 文件接口》 6.1 (ZM文件): one
// record per line, 42 fixed-width fields (widths in bytes, GBK) each followed by one space. Amounts are
// fen; 商户手续费 and the other signed amounts are `D` or `C` and 12 digits (D: the merchant pays, C: it is
// paid back). A transaction is a payment (交易类型 01), a refund (04) or a same-day cancel (31).
import iconv from 'iconv-lite';
import type { StatementLine } from '../../domain/gateway-statements.js';
import { fromBeijingWallClock } from '../beijing-time.js';
import { inflated, unzipped } from '../statement-files.js';
import { fromTradeNo } from '../trade-numbers.js';
import { StatementUnreadable } from '../types.js';

/** ZM fields in order, with their widths; the names are the specification's. */
const ZM_FIELDS = [
  ['txnCode', 3], // 交易代码
  ['acquirerId', 11], // 代理机构标识码
  ['senderId', 11], // 发送机构标识码
  ['traceNo', 6], // 系统跟踪号
  ['traceTime', 10], // 交易传输时间 MMDDhhmmss
  ['accNo', 19], // 帐号
  ['txnAmt', 12], // 交易金额
  ['merCatCode', 4], // 商户类别
  ['termType', 2], // 终端类型
  ['queryId', 21], // 查询流水号
  ['oldPayType', 2], // 支付方式（旧）
  ['orderId', 32], // 商户订单号
  ['cardType', 2], // 支付卡类型
  ['origTraceNo', 6], // 原始交易的系统跟踪号
  ['origTime', 10], // 原始交易日期时间
  ['merFee', 13], // 商户手续费
  ['settleAmt', 13], // 结算金额
  ['payType', 4], // 支付方式
  ['groupMerId', 15], // 集团商户代码
  ['txnType', 2], // 交易类型
  ['txnSubType', 2], // 交易子类
  ['bizType', 6], // 业务类型
  ['accType', 2], // 帐号类型
  ['billType', 4], // 账单类型
  ['billNo', 32], // 账单号码
  ['interactMode', 1], // 交互方式
  ['origQryId', 21], // 原交易查询流水号
  ['merId', 15], // 商户代码
  ['splitMode', 1], // 分账入账方式
  ['subMerId', 15], // 二级商户代码
  ['subMerAbbr', 32], // 二级商户简称
  ['subMerAmt', 13], // 二级商户分账入账金额
  ['netAmt', 13], // 清算净额
  ['termId', 8], // 终端号
  ['merReserved', 32], // 商户自定义域
  ['discountAmt', 13], // 优惠金额
  ['invoiceAmt', 13], // 发票金额
  ['installmentFee', 12], // 分期付款附加手续费
  ['installments', 2], // 分期付款期数
  ['medium', 1], // 交易介质
  ['origOrderId', 32], // 原始交易订单号
  ['reserved', 98], // 保留使用
] as const;

type ZmRecord = Record<(typeof ZM_FIELDS)[number][0], string>;

/** Bytes in a record: the fields and a space after each but the last. */
const RECORD_BYTES = ZM_FIELDS.reduce((sum, [, width]) => sum + width, 0) + ZM_FIELDS.length - 1;
/** The reserved field at the end may come with its trailing spaces cut. */
const SHORTEST_RECORD = RECORD_BYTES - ZM_FIELDS.at(-1)![1];

const KINDS: Record<string, StatementLine['kind']> = { '01': 'payment', '04': 'refund', '31': 'refund' };

function record(bytes: Buffer, where: string): ZmRecord {
  if (bytes.length < SHORTEST_RECORD || bytes.length > RECORD_BYTES) throw new StatementUnreadable(`${where} is ${bytes.length} bytes, not ${RECORD_BYTES}: cut short or malformed`);
  const fields: Partial<ZmRecord> = {};
  let at = 0;
  for (const [name, width] of ZM_FIELDS) {
    fields[name] = iconv.decode(bytes.subarray(at, at + width), 'gbk').trim();
    at += width + 1;
  }
  return fields as ZmRecord;
}

/** `MMDDhhmmss` (Beijing) within a few days of the settlement date `YYYY-MM-DD`, as an ISO instant. */
function instantNear(traceTime: string, settleDate: string, where: string): string {
  const match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(traceTime);
  const year = Number(settleDate.slice(0, 4));
  const ms = (y: number) => (match ? fromBeijingWallClock(`${y}-${match[1]}-${match[2]}T${match[3]}:${match[4]}:${match[5]}`) : undefined);
  const settled = Date.parse(`${settleDate}T00:00:00+08:00`);
  // A transaction late on 31 December settles in the next year's first days.
  const at = [ms(year), ms(year - 1)].find((value) => value !== undefined && value < settled + 2 * 86_400_000);
  if (at === undefined) throw new StatementUnreadable(`${where}: 交易传输时间 is not a time: "${traceTime}"`);
  return new Date(at).toISOString();
}

function amount(value: string, name: string, where: string): number {
  if (!/^\d{12}$/.test(value)) throw new StatementUnreadable(`${where}: ${name} is not an amount: "${value}"`);
  return Number(value);
}

function signedAmount(value: string, name: string, where: string): number {
  const match = /^([DC])(\d{12})$/.exec(value);
  if (!match) throw new StatementUnreadable(`${where}: ${name} is not a D/C amount: "${value}"`);
  return match[1] === 'D' ? Number(match[2]) : -Number(match[2]);
}

function toLine(zm: ZmRecord, raw: string, settleDate: string, where: string): StatementLine {
  const kind = KINDS[zm.txnType];
  if (!kind) throw new StatementUnreadable(`${where}: 交易类型 ${zm.txnType} is none of 01, 04, 31`);
  const ourId = fromTradeNo(zm.orderId);
  const paymentId = kind === 'refund' ? fromTradeNo(zm.origOrderId) : undefined;
  return {
    kind,
    ...(ourId && { ourId }),
    ...(paymentId && { paymentId }),
    gatewayReference: zm.queryId,
    amount: amount(zm.txnAmt, '交易金额', where),
    // UnionPay Online settles in yuan here.
    currency: 'CNY',
    fee: signedAmount(zm.merFee, '商户手续费', where),
    occurredAt: instantNear(zm.traceTime, settleDate, where),
    raw,
  };
}

/** The statement lines of a ZM file for `merId` settled on `settleDate` (`YYYY-MM-DD`). */
export function readZmFile(file: Buffer, merId: string, settleDate: string): StatementLine[] {
  const lines: Buffer[] = [];
  for (let start = 0; start < file.length; ) {
    const end = file.indexOf(0x0a, start);
    const line = file.subarray(start, end < 0 ? file.length : end);
    lines.push(line.at(-1) === 0x0d ? line.subarray(0, -1) : line);
    start = end < 0 ? file.length : end + 1;
  }
  return lines
    .filter((line) => line.length > 0)
    .map((bytes, i) => {
      const where = `record ${i + 1}`;
      const zm = record(bytes, where);
      if (zm.merId !== merId) throw new StatementUnreadable(`${where} is merchant ${zm.merId}'s, not ${merId}'s`);
      return toLine(zm, iconv.decode(bytes, 'gbk').trimEnd(), settleDate, where);
    });
}

/** The lines of `fileContent` as UnionPay answers it: base64 of a deflated zip holding the ZM file. */
export function readSettlementFiles(fileContent: string, merId: string, settleDate: string): StatementLine[] {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(fileContent)) throw new StatementUnreadable('fileContent is not base64');
  const files = unzipped(inflated(Buffer.from(fileContent, 'base64')));
  const zm = Object.keys(files).filter((name) => /(^|\/)INN\d{8}ZM_/.test(name));
  if (zm.length !== 1) throw new StatementUnreadable(`the archive holds ${zm.length} ZM files, not one (${Object.keys(files).join(', ') || 'none'})`);
  return readZmFile(Buffer.from(files[zm[0]!]!), merId, settleDate);
}
