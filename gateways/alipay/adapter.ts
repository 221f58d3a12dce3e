// The Alipay gateway (OpenAPI v2, `gateway.do`, through the official SDK). A payment is a PC page-pay link
// the shopper opens, a QR code from precreate, or a WAP-pay link for a phone browser; our payment id is the out_trade_no and our refund id the
// out_request_no, so every call is idempotent at Alipay.
import { z } from 'zod';
import { parseAnswer } from '../answers.js';
import { toTradeNo } from '../trade-numbers.js';
import type { PaymentResult, RefundResult } from '../../domain/gateway-reports.js';
import { GatewayError, type GatewayAdapter, type GatewayContext } from '../types.js';
import { memoByCredentials } from '../credential-memo.js';
import { limitText } from '../text-limits.js';
import { connectAlipay, type AlipayClient, type AlipayResponse } from './client.js';
import { fromBeijingTime, fromYuan, PAYMENT_STATUS, toBeijingTime, toYuan, TRADE_STATUSES } from './format.js';
import { readNotification } from './notification.js';
import { ALIPAY_PROFILE } from './profile.js';
import { fetchTradeBill } from './bill-download.js';

export interface AlipayAdapterDeps {
  /** Alipay's `gateway.do`. */
  gatewayUrl: string;
  timeoutMs?: number;
  /** The clock notifications are judged fresh by. */
  now?: () => Date;
}

const TRADE_NOT_EXIST = 'ACQ.TRADE_NOT_EXIST';

const TradeSchema = z.object({
  trade_no: z.string(),
  trade_status: z.enum(TRADE_STATUSES),
  total_amount: z.string(),
  send_pay_date: z.string().optional(),
});
const PrecreateSchema = z.object({ qr_code: z.string().min(1) });
const RefundSchema = z.object({ fund_change: z.enum(['Y', 'N']) });
const RefundQuerySchema = z.object({ out_request_no: z.string().optional(), refund_status: z.string().optional() });

const parseOrFail = <T>(method: string, schema: z.ZodType<T>, response: AlipayResponse): T => parseAnswer(schema, response, `${method} answered`);

/** Alipay takes at most 256 characters for a subject or a refund reason. */
const limited = (text: string) => limitText(text, 256);

async function queryTrade(alipay: AlipayClient, outTradeNo: string): Promise<PaymentResult> {
  const method = 'alipay.trade.query';
  const response = await alipay.call(method, { out_trade_no: outTradeNo }, { accept: [TRADE_NOT_EXIST] });
  if (response.sub_code === TRADE_NOT_EXIST) return { status: 'not_found' };
  const trade = parseOrFail(method, TradeSchema, response);
  const amount = fromYuan(trade.total_amount);
  if (amount === undefined) throw new GatewayError('server', `${method} answered with total_amount ${trade.total_amount}`);
  const paidAt = trade.send_pay_date === undefined ? undefined : fromBeijingTime(trade.send_pay_date);
  return {
    status: PAYMENT_STATUS[trade.trade_status],
    amount,
    // Domestic Alipay trades settle in yuan only.
    currency: 'CNY',
    gatewayReference: trade.trade_no,
    ...(paidAt && { paidAt: paidAt.toISOString() }),
  };
}

async function queryRefund(alipay: AlipayClient, ref: { out_trade_no: string; out_request_no: string }): Promise<RefundResult> {
  const method = 'alipay.trade.fastpay.refund.query';
  const response = await alipay.call(method, ref, { accept: [TRADE_NOT_EXIST] });
  if (response.sub_code === TRADE_NOT_EXIST) return { status: 'not_found' };
  const refund = parseOrFail(method, RefundQuerySchema, response);
  // For a refund number it has never seen, Alipay answers success with no refund in it.
  if (refund.out_request_no === undefined) return { status: 'not_found' };
  return { status: refund.refund_status === 'REFUND_SUCCESS' ? 'succeeded' : 'processing' };
}

export function createAlipayAdapter(deps: AlipayAdapterDeps): GatewayAdapter {
  const options = { gatewayUrl: deps.gatewayUrl, timeoutMs: deps.timeoutMs ?? 10_000 };
  const now = deps.now ?? (() => new Date());
  const clientOf = memoByCredentials((credentials) => connectAlipay(credentials, options));
  const connect = (ctx: GatewayContext) => clientOf(ctx.credentials);
  const refundRef = (paymentId: string, refundId: string) => ({ out_trade_no: toTradeNo(paymentId), out_request_no: toTradeNo(refundId) });

  return {
    ...ALIPAY_PROFILE,

    async createPayment(ctx, request) {
      if (request.currency !== 'CNY') throw new GatewayError('invalid_request', `Alipay charges in CNY only, not ${request.currency}`);
      const alipay = connect(ctx);
      const trade = {
        out_trade_no: toTradeNo(request.paymentId),
        total_amount: toYuan(request.amount),
        subject: limited(request.description),
        // Alipay takes no money after this, so a shopper cannot pay an order whose window has closed.
        time_expire: toBeijingTime(request.expiresAt),
      };
      const params = { notify_url: ctx.notifyUrl };
      if (request.flow === 'qr_code') {
        const method = 'alipay.trade.precreate';
        const { qr_code } = parseOrFail(method, PrecreateSchema, await alipay.call(method, trade, { params }));
        return { action: { type: 'qr_code', code: qr_code } };
      }
      const pageParams = { ...params, ...(request.returnUrl && { return_url: request.returnUrl }) };
      if (request.flow === 'mobile_web') {
        // WAP pay: Alipay's phone cashier (or the Alipay app, when installed); quit_url is where a shopper who
        // leaves it goes back to.
        const url = alipay.pageUrl('alipay.trade.wap.pay', { ...trade, product_code: 'QUICK_WAP_WAY', quit_url: request.returnUrl }, pageParams);
        return { action: { type: 'redirect', url } };
      }
      const url = alipay.pageUrl('alipay.trade.page.pay', { ...trade, product_code: 'FAST_INSTANT_TRADE_PAY' }, pageParams);
      return { action: { type: 'redirect', url } };
    },

    async queryPayment(ctx, { paymentId }) {
      return queryTrade(connect(ctx), toTradeNo(paymentId));
    },

    async closePayment(ctx, { paymentId }) {
      const alipay = connect(ctx);
      const outTradeNo = toTradeNo(paymentId);
      const closed = await alipay.call('alipay.trade.close', { out_trade_no: outTradeNo }, { accept: [TRADE_NOT_EXIST, 'ACQ.TRADE_STATUS_ERROR'] });
      if (closed.code === '10000') return { status: 'closed' };
      // A page-pay trade exists at Alipay only once the shopper has opened the page; time_expire keeps a
      // page opened later from taking money.
      if (closed.sub_code === TRADE_NOT_EXIST) return { status: 'not_found' };
      // Paid or closed already: the trade says which.
      return queryTrade(alipay, outTradeNo);
    },

    async refund(ctx, request) {
      const alipay = connect(ctx);
      const ref = refundRef(request.paymentId, request.refundId);
      const method = 'alipay.trade.refund';
      const response = await alipay.call(method, { ...ref, refund_amount: toYuan(request.amount), refund_reason: limited(request.reason) });
      if (parseOrFail(method, RefundSchema, response).fund_change === 'Y') return { status: 'succeeded' };
      // No money moved this time: a repeat of a refund made before, or one still settling. Alipay's advice
      // is to ask the refund query which.
      const found = await queryRefund(alipay, ref);
      return found.status === 'not_found' ? { status: 'processing' } : found;
    },

    async queryRefund(ctx, { paymentId, refundId }) {
      return queryRefund(connect(ctx), refundRef(paymentId, refundId));
    },

    async verifyNotification(ctx, raw) {
      return readNotification(connect(ctx), raw, now());
    },

    async fetchStatement(ctx, day) {
      return { day, lines: await fetchTradeBill(connect(ctx), day, options.timeoutMs) };
    },
  };
}
