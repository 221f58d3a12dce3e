// The trade bill (`bill_type=ALL`) WeChat Pay makes of a day from its payments and refunds: UTF-8 CSV,
// every data cell led by a backtick, a summary after the rows, the fee charged on each payment (returned,
// negative, on each refund) written with five places.
import type { StatementDesk, StatementFault } from '../statements.js';

const HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类',
  '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包',
  '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
];

export interface BillPayment {
  appid: string;
  mchid: string;
  transaction_id?: string;
  out_trade_no: string;
  openid?: string;
  trade_type: string;
  description: string;
  total: number;
  success_time?: string;
}

export interface BillRefund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  refund: number;
  status: string;
  success_time?: string;
}

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.trunc(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
/** Five places, as WeChat Pay writes fees. */
const feeYuan = (fen: number) => `${yuan(fen)}000`;
/** `2026-12-03T10:00:00+08:00` -> `2026-12-03 10:00:00`. */
const wallClock = (rfc3339: string) => rfc3339.slice(0, 19).replace('T', ' ');
const row = (cells: readonly string[]) => cells.map((value) => `\`${value}`).join(',');

export function tradeBill(payments: Iterable<BillPayment>, refunds: Iterable<BillRefund>, date: string, desk: StatementDesk, fault: StatementFault | undefined): string {
  const rate = `${(desk.feeRate * 100).toFixed(2)}%`;
  const byTradeNo = new Map([...payments].map((p) => [p.out_trade_no, p]));
  const rows: string[] = [];
  let refunded = 0;
  let fees = 0;
  for (const p of byTradeNo.values()) {
    if (!p.success_time?.startsWith(date)) continue;
    const fee = desk.fee(p.total);
    fees += fee;
    rows.push(row([wallClock(p.success_time), p.appid, p.mchid, '0', '', p.transaction_id!, p.out_trade_no, p.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', p.trade_type, 'SUCCESS', 'OTHERS', 'CNY', yuan(p.total), '0.00', '0', '0', '0.00', '0.00', '', '', p.description, '', feeYuan(fee), rate, yuan(p.total), '0.00', '']));
  }
  for (const r of refunds) {
    const p = byTradeNo.get(r.out_trade_no);
    if (r.status !== 'SUCCESS' || !p || !r.success_time?.startsWith(date)) continue;
    const fee = -desk.fee(r.refund);
    fees += fee;
    refunded += r.refund;
    rows.push(row([wallClock(r.success_time), p.appid, p.mchid, '0', '', p.transaction_id!, p.out_trade_no, p.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', p.trade_type, 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', r.refund_id, r.out_refund_no, yuan(r.refund), '0.00', 'ORIGINAL', 'SUCCESS', p.description, '', feeYuan(fee), rate, '0.00', yuan(r.refund), '']));
  }
  if (fault === 'malformed' && rows.length > 0) rows[0] = rows[0]!.replace(/`(\d+)\.(\d{2}),/, '`$1,$2,');
  const settled = [...byTradeNo.values()].filter((p) => p.success_time?.startsWith(date)).reduce((sum, p) => sum + p.total, 0);
  const lines = [
    HEADER.join(','),
    ...rows,
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    row([String(rows.length), yuan(settled), yuan(refunded), '0.00', feeYuan(fees), yuan(settled), yuan(refunded)]),
  ];
  // A bill made short: the rows stop part way and the summary never comes.
  const kept = fault === 'truncated' ? lines.slice(0, Math.max(1, lines.length - 3)) : lines;
  return `${kept.join('\r\n')}\r\n`;
}
