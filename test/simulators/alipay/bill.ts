// The trade bill Alipay makes of a day from its trades: a zip of two GBK CSV files (details and summary),
// written as Alipay writes them, with the fee it charged on each payment and returned on each refund.
import iconv from 'iconv-lite';
import { zipSync } from 'fflate';
import type { StatementDesk, StatementFault } from '../statements.js';
import { beijingDate } from '../statements.js';
import { beijing, yuan, type Refund, type Trade } from './trades.js';

const HEADER = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];

/** Signed yuan: `-0.74`. */
const signedYuan = (fen: number) => `${fen < 0 ? '-' : ''}${yuan(Math.abs(fen))}`;
/** A text cell as Alipay writes it: quoted when it must be, with a trailing tab. */
const text = (value: string) => `${/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value}\t`;

function row(trade: Trade, refund: Refund | undefined, fee: number): string {
  const received = refund ? -refund.fen : trade.fen;
  return [
    text(trade.tradeNo), text(trade.outTradeNo), text(refund ? '退款' : '交易'), text(trade.subject),
    beijing(trade.createdAt), beijing(refund ? refund.at : trade.paidAt!),
    text(''), text(''), text(''), text(''), text('159****5620'),
    yuan(trade.fen), signedYuan(received), '0.00', '0.00', '0.00', '0.00', '0.00', text(''), '0.00', '0.00',
    text(refund?.outRequestNo ?? ''), signedYuan(refund ? fee : -fee), '0.00', text(''),
  ].join(',');
}

const dateWords = (date: string) => `${date.slice(0, 4)}年${date.slice(5, 7)}月${date.slice(8, 10)}日`;

export function tradeBill(trades: Iterable<Trade>, date: string, pid: string, desk: StatementDesk, fault: StatementFault | undefined): Uint8Array {
  const rows: string[] = [];
  let paid = { count: 0, fen: 0 };
  let refunded = { count: 0, fen: 0 };
  let fees = 0;
  for (const trade of trades) {
    if (trade.paidAt && beijingDate(trade.paidAt.getTime()) === date) {
      rows.push(row(trade, undefined, desk.fee(trade.fen)));
      fees -= desk.fee(trade.fen);
      paid = { count: paid.count + 1, fen: paid.fen + trade.fen };
    }
    for (const refund of trade.refunds.filter((r) => beijingDate(r.at.getTime()) === date)) {
      rows.push(row(trade, refund, desk.fee(refund.fen)));
      fees += desk.fee(refund.fen);
      refunded = { count: refunded.count + 1, fen: refunded.fen + refund.fen };
    }
  }
  if (fault === 'malformed' && rows.length > 0) rows[0] = rows[0]!.replace(/,(\d+)\.(\d{2}),/, ',$1.$2.0,');
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const details = [
    '#支付宝业务明细查询',
    `#账号：[${pid}]`,
    `#起始日期：[${dateWords(date)} 00:00:00]   终止日期：[${dateWords(next)} 00:00:00]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    HEADER.join(','),
    ...rows,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${paid.count}笔，商家实收共${yuan(paid.fen)}元，商家优惠共0.00元`,
    `#退款合计：${refunded.count}笔，商家实收退款共${signedYuan(-refunded.fen)}元，商家优惠退款共0.00元`,
    `#导出时间：[${dateWords(beijing(new Date()).slice(0, 10))} ${beijing(new Date()).slice(11)}]`,
  ];
  const summary = [
    '#支付宝业务汇总查询',
    `#账号：[${pid}]`,
    '#-----------------------------------------业务汇总列表----------------------------------------',
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,服务费（元）',
    `合计,,${paid.count},${refunded.count},${yuan(paid.fen)},${signedYuan(paid.fen - refunded.fen)},${signedYuan(fees)}`,
    '#----------------------------------------业务汇总列表结束-------------------------------------',
  ];
  const gbk = (lines: string[]) => new Uint8Array(iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk'));
  const day = date.replaceAll('-', '');
  const zip = zipSync({ [`${pid}_${day}_业务明细.csv`]: gbk(details), [`${pid}_${day}_业务明细(汇总).csv`]: gbk(summary) });
  // A download cut off part way: the archive's directory at its end is missing.
  return fault === 'truncated' ? zip.slice(0, Math.floor(zip.length / 2)) : zip;
}
