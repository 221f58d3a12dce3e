// Alipay's side of the trades: what each OpenAPI method does to them, answered with Alipay's codes. A trade
// made by precreate or page pay is a pre-order Alipay does not show (query, close and refund answer
// ACQ.TRADE_NOT_EXIST) until the buyer opens the page or scans the code; after time_expire it is closed.
import { randomBytes, randomInt } from 'node:crypto';

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface Refund {
  outRequestNo: string;
  fen: number;
  at: Date;
}

export interface Trade {
  appId: string;
  outTradeNo: string;
  tradeNo: string;
  fen: number;
  subject: string;
  notifyUrl?: string;
  timeExpire?: Date;
  status: TradeStatus;
  /** The buyer has opened the page or scanned the code. */
  opened: boolean;
  qrCode?: string;
  createdAt: Date;
  paidAt?: Date;
  refunds: Refund[];
}

/** The `*_response` object of one call. */
export type Answer = Record<string, string>;

const CODE_MESSAGES: Record<string, string> = {
  '20000': 'Service Currently Unavailable',
  '20001': 'Insufficient Token Permissions',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40004': 'Business Failed',
  '40006': 'Insufficient Permissions',
};

const success = (fields: Answer): Answer => ({ code: '10000', msg: 'Success', ...fields });
export const failure = (code: string, subCode: string, subMsg: string): Answer => ({ code, msg: CODE_MESSAGES[code] ?? 'Unknown', sub_code: subCode, sub_msg: subMsg });
const business = (subCode: string, subMsg: string) => failure('40004', subCode, subMsg);
const notExist = () => business('ACQ.TRADE_NOT_EXIST', '交易不存在');
const invalid = (what: string) => business('ACQ.INVALID_PARAMETER', `参数无效: ${what}`);

const beijingFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** "yyyy-MM-dd HH:mm:ss" in Beijing, with ".SSS" where Alipay gives milliseconds. */
export function beijing(date: Date, millis = false): string {
  const text = beijingFormat.format(date);
  return millis ? `${text}.${String(date.getUTCMilliseconds()).padStart(3, '0')}` : text;
}

export function parseBeijing(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function fenFrom(yuan: unknown): number | undefined {
  const match = typeof yuan === 'string' ? /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan) : null;
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

export function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export const refunded = (trade: Trade) => trade.refunds.reduce((sum, r) => sum + r.fen, 0);

function text(biz: Record<string, unknown>, name: string): string | undefined {
  const value = biz[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function createTradeBook(events: { refunded(trade: Trade, refund: Refund): void }) {
  const trades = new Map<string, Trade>();

  /** A trade as it stands now: an unpaid one past time_expire is closed. */
  function current(outTradeNo: string | undefined): Trade | undefined {
    const trade = outTradeNo === undefined ? undefined : trades.get(outTradeNo);
    if (trade?.status === 'WAIT_BUYER_PAY' && trade.timeExpire && trade.timeExpire.getTime() <= Date.now()) trade.status = 'TRADE_CLOSED';
    return trade;
  }

  /** What query, close and refund can see. */
  const visible = (biz: Record<string, unknown>) => {
    const trade = current(text(biz, 'out_trade_no'));
    return trade?.opened ? trade : undefined;
  };

  /** Precreate and page pay: a new pre-order, or the same one again when nothing differs. */
  function open(appId: string, biz: Record<string, unknown>, notifyUrl: string | undefined, opened: boolean): { trade: Trade } | { refused: Answer } {
    const outTradeNo = text(biz, 'out_trade_no');
    const subject = text(biz, 'subject');
    const fen = fenFrom(biz.total_amount);
    if (!outTradeNo || !subject || fen === undefined || fen < 1) return { refused: invalid('out_trade_no, subject and total_amount (0.01 or more) are required') };
    const expireText = text(biz, 'time_expire');
    const timeExpire = expireText === undefined ? undefined : parseBeijing(expireText);
    if (expireText !== undefined && !timeExpire) return { refused: invalid('time_expire') };
    const existing = current(outTradeNo);
    if (existing) {
      if (existing.status === 'TRADE_SUCCESS' || existing.status === 'TRADE_FINISHED') return { refused: business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付') };
      if (existing.status === 'TRADE_CLOSED') return { refused: business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭') };
      if (existing.fen !== fen || existing.subject !== subject) return { refused: business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改') };
      existing.opened ||= opened;
      return { trade: existing };
    }
    if (timeExpire && timeExpire.getTime() <= Date.now()) return { refused: invalid('time_expire is in the past') };
    const now = new Date();
    const trade: Trade = {
      appId,
      outTradeNo,
      tradeNo: `${beijing(now).slice(0, 10).replaceAll('-', '')}22001${String(randomInt(1e9, 1e10))}${String(randomInt(1e5, 1e6))}`,
      fen,
      subject,
      ...(notifyUrl && { notifyUrl }),
      ...(timeExpire && { timeExpire }),
      status: 'WAIT_BUYER_PAY',
      opened,
      createdAt: now,
      refunds: [],
    };
    trades.set(outTradeNo, trade);
    return { trade };
  }

  const methods: Record<string, (appId: string, biz: Record<string, unknown>, params: Record<string, string>) => Answer> = {
    'alipay.trade.precreate'(appId, biz, params) {
      const opened = open(appId, biz, params.notify_url, false);
      if ('refused' in opened) return opened.refused;
      const { trade } = opened;
      trade.qrCode ??= `https://qr.alipay.com/bax0${randomBytes(10).toString('hex')}`;
      return success({ out_trade_no: trade.outTradeNo, qr_code: trade.qrCode });
    },

    'alipay.trade.query'(_appId, biz) {
      const trade = visible(biz);
      if (!trade) return notExist();
      const paid = trade.paidAt !== undefined;
      return success({
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        trade_status: trade.status,
        total_amount: yuan(trade.fen),
        ...(paid && { buyer_logon_id: '159****5620', buyer_pay_amount: yuan(trade.fen), receipt_amount: yuan(trade.fen), send_pay_date: beijing(trade.paidAt!) }),
      });
    },

    'alipay.trade.close'(_appId, biz) {
      const trade = visible(biz);
      if (!trade) return notExist();
      if (trade.status !== 'WAIT_BUYER_PAY') return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      trade.status = 'TRADE_CLOSED';
      return success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
    },

    'alipay.trade.refund'(_appId, biz) {
      const trade = visible(biz);
      if (!trade) return notExist();
      const fen = fenFrom(biz.refund_amount);
      if (fen === undefined || fen < 1) return invalid('refund_amount');
      // Without out_request_no Alipay takes the refund to be the whole trade's.
      const outRequestNo = text(biz, 'out_request_no') ?? trade.outTradeNo;
      const answer = (fundChange: 'Y' | 'N', at: Date) =>
        success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, buyer_logon_id: '159****5620', fund_change: fundChange, refund_fee: yuan(refunded(trade)), gmt_refund_pay: beijing(at) });
      const earlier = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
      // The same refund number again is the same refund: nothing moves twice.
      if (earlier) return earlier.fen === fen ? answer('N', earlier.at) : business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额与原请求不一致');
      if (trade.status !== 'TRADE_SUCCESS') return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      if (refunded(trade) + fen > trade.fen) return business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
      const refund: Refund = { outRequestNo, fen, at: new Date() };
      trade.refunds.push(refund);
      if (refunded(trade) === trade.fen) trade.status = 'TRADE_CLOSED';
      events.refunded(trade, refund);
      return answer('Y', refund.at);
    },

    'alipay.trade.fastpay.refund.query'(_appId, biz) {
      const trade = visible(biz);
      if (!trade) return notExist();
      const refund = trade.refunds.find((r) => r.outRequestNo === (text(biz, 'out_request_no') ?? trade.outTradeNo));
      if (!refund) return success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
      return success({ trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo, out_request_no: refund.outRequestNo, total_amount: yuan(trade.fen), refund_amount: yuan(refund.fen), refund_status: 'REFUND_SUCCESS' });
    },
  };

  /** The buyer scans the QR code: the pre-order becomes a trade Alipay shows. */
  function scan(outTradeNo: string): Trade {
    const trade = current(outTradeNo);
    if (!trade) throw new Error(`no trade ${outTradeNo}`);
    trade.opened = true;
    return trade;
  }

  /**
   * The merchant refunds in Alipay's merchant portal: Alipay numbers the refund itself and sends no
   * notification for it.
   */
  function dashboardRefund(outTradeNo: string, fen: number): Refund {
    const trade = current(outTradeNo);
    if (trade?.status !== 'TRADE_SUCCESS' || refunded(trade) + fen > trade.fen) throw new Error(`trade ${outTradeNo} cannot be refunded ${fen} fen`);
    const at = new Date();
    const refund: Refund = { outRequestNo: `${beijing(at).slice(0, 10).replaceAll('-', '')}${String(randomInt(1e11, 1e12))}`, fen, at };
    trade.refunds.push(refund);
    if (refunded(trade) === trade.fen) trade.status = 'TRADE_CLOSED';
    return refund;
  }

  /** The buyer pays. */
  function pay(outTradeNo: string): Trade {
    const trade = scan(outTradeNo);
    if (trade.status !== 'WAIT_BUYER_PAY') throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    trade.status = 'TRADE_SUCCESS';
    trade.paidAt = new Date();
    return trade;
  }

  return { methods, open, current, scan, pay, dashboardRefund, all: () => trades.values() };
}
