// The WeChat Pay API v3 adapter. A payment is a Native payment (a QR code the shopper scans with the WeChat
// app; the default, and what an order asking for `redirect` before checkout refused it got), an H5 payment
// (a WeChat Pay page a phone browser is sent to) or a JSAPI payment (WeChat's payment sheet, opened by the
// shop page inside WeChat's browser). Amounts are fen on both sides, so nothing is converted; our ids become
// out_trade_no / out_refund_no through `toTradeNo`.
import { z } from 'zod';
import { parseAnswer } from '../answers.js';
import { toTradeNo } from '../trade-numbers.js';
import type { PaymentResult } from '../../domain/gateway-reports.js';
import { GatewayError, type CreatedPayment, type CreatePaymentRequest, type GatewayAdapter, type GatewayContext, type PaymentRef } from '../types.js';
import { memoByCredentials } from '../credential-memo.js';
import { limitText } from '../text-limits.js';
import { createApi } from './client.js';
import { platformKeyLapse, readMerchant, type WechatPayMerchant } from './merchant.js';
import { verifyWechatPayNotification } from './notification.js';
import { RefundSchema, toPaymentResult, toRefundResult, TransactionSchema } from './resources.js';
import { WECHATPAY_PROFILE } from './profile.js';
import { beijingWallClock } from '../beijing-time.js';
import { h5RedirectUrl, jsapiPayRequest } from './pay-request.js';
import { fetchTradeBill } from './bill-download.js';

export interface WechatPayAdapterDeps {
  /** The API root: `https://api.mch.weixin.qq.com/` in production. */
  baseUrl: string;
  timeoutMs?: number;
  /** The clock that notifications' timestamps and the platform certificate's dates are checked against. */
  now?: () => Date;
}

const NativeSchema = z.object({ code_url: z.string().min(1) });
const H5Schema = z.object({ h5_url: z.string().min(1) });
const JsapiSchema = z.object({ prepay_id: z.string().min(1) });

const answer = <T>(schema: z.ZodType<T>, payload: unknown, what: string): T => parseAnswer(schema, payload, `WeChat Pay answered ${what}`);

/** The transaction endpoint for each flow, and what the flow adds to the order. */
function transactionFor(request: CreatePaymentRequest): { path: string; extra: object } {
  switch (request.flow) {
    case 'mobile_web':
      // H5 pay: WeChat Pay checks that the page is opened from payer_client_ip; `Wap` is a website.
      return { path: '/v3/pay/transactions/h5', extra: { scene_info: { payer_client_ip: request.payer?.clientIp, h5_info: { type: 'Wap' } } } };
    case 'in_app':
      return { path: '/v3/pay/transactions/jsapi', extra: { payer: { openid: request.payer?.openid } } };
    default:
      return { path: '/v3/pay/transactions/native', extra: {} };
  }
}

function actionFor(request: CreatePaymentRequest, merchant: WechatPayMerchant, payload: unknown, now: Date): CreatedPayment['action'] {
  switch (request.flow) {
    case 'mobile_web':
      return { type: 'redirect', url: h5RedirectUrl(answer(H5Schema, payload, 'the payment').h5_url, request.returnUrl) };
    case 'in_app':
      return { type: 'wechat_jsapi', payRequest: jsapiPayRequest(merchant, answer(JsapiSchema, payload, 'the payment').prepay_id, now) };
    default:
      return { type: 'qr_code', code: answer(NativeSchema, payload, 'the payment').code_url };
  }
}

/** `2024-06-01T10:00:00.000Z` -> `2024-06-01T18:00:00+08:00`: RFC 3339 in Beijing time, as WeChat Pay writes it. */
export function beijingTime(iso: string): string {
  return `${beijingWallClock(iso)}+08:00`;
}

export function createWechatPayAdapter(deps: WechatPayAdapterDeps): GatewayAdapter {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? (() => new Date());

  const merchantOf = memoByCredentials(readMerchant);
  const clientOf = memoByCredentials((credentials) => {
    const merchant = merchantOf(credentials);
    return { merchant, api: createApi(merchant, { baseUrl: deps.baseUrl, timeoutMs }) };
  });

  function connect(ctx: GatewayContext) {
    const client = clientOf(ctx.credentials);
    // No answer could be trusted, so nothing is sent: a refund refused here certainly moved no money.
    const lapse = platformKeyLapse(client.merchant, now());
    if (lapse) throw new GatewayError('auth', `WeChat Pay credentials: ${lapse}; nothing was sent.`);
    return client;
  }

  const transactionPath = (paymentId: string) => `/v3/pay/transactions/out-trade-no/${toTradeNo(paymentId)}`;

  async function queryPayment(ctx: GatewayContext, { paymentId }: PaymentRef): Promise<PaymentResult> {
    const { merchant, api } = connect(ctx);
    const what = 'the payment query';
    const payload = await api({ method: 'GET', path: transactionPath(paymentId), query: { mchid: merchant.mchId }, what, notFoundIsAnswer: true });
    return payload === undefined ? { status: 'not_found' } : toPaymentResult(answer(TransactionSchema, payload, what));
  }

  return {
    ...WECHATPAY_PROFILE,

    async createPayment(ctx, request) {
      if (request.currency !== 'CNY') throw new GatewayError('invalid_request', `WeChat Pay settles CNY only, not ${request.currency}.`);
      const { merchant, api } = connect(ctx);
      const { path, extra } = transactionFor(request);
      const payload = await api({
        method: 'POST',
        path,
        what: 'the payment',
        body: {
          ...extra,
          appid: merchant.appId,
          mchid: merchant.mchId,
          description: limitText(request.description, 127),
          out_trade_no: toTradeNo(request.paymentId),
          time_expire: beijingTime(request.expiresAt),
          notify_url: ctx.notifyUrl,
          amount: { total: request.amount, currency: 'CNY' },
        },
      });
      return { action: actionFor(request, merchant, payload, now()) };
    },

    queryPayment,

    async closePayment(ctx, payment) {
      const { merchant, api } = connect(ctx);
      try {
        const closed = await api({ method: 'POST', path: `${transactionPath(payment.paymentId)}/close`, body: { mchid: merchant.mchId }, what: 'the close', notFoundIsAnswer: true });
        return closed === undefined ? { status: 'not_found' } : { status: 'closed' };
      } catch (error) {
        // Refused because it is already paid (ORDERPAID) or otherwise settled: its state is the answer.
        if (error instanceof GatewayError && error.kind === 'invalid_request') {
          const current = await queryPayment(ctx, payment);
          if (current.status !== 'pending') return current;
        }
        throw error;
      }
    },

    async refund(ctx, request) {
      const { api } = connect(ctx);
      const what = 'the refund';
      const payload = await api({
        method: 'POST',
        path: '/v3/refund/domestic/refunds',
        what,
        unverifiedIsRetryable: true,
        body: {
          out_trade_no: toTradeNo(request.paymentId),
          out_refund_no: toTradeNo(request.refundId),
          reason: limitText(request.reason, 80),
          notify_url: ctx.notifyUrl,
          amount: { refund: request.amount, total: request.paymentAmount, currency: 'CNY' },
        },
      });
      const refund = answer(RefundSchema, payload, what);
      return toRefundResult(refund.status, refund.refund_id);
    },

    async queryRefund(ctx, { refundId }) {
      const { api } = connect(ctx);
      const what = 'the refund query';
      const payload = await api({ method: 'GET', path: `/v3/refund/domestic/refunds/${toTradeNo(refundId)}`, what, notFoundIsAnswer: true, unverifiedIsRetryable: true });
      if (payload === undefined) return { status: 'not_found' };
      const refund = answer(RefundSchema, payload, what);
      return toRefundResult(refund.status, refund.refund_id);
    },

    async verifyNotification(ctx, raw) {
      return verifyWechatPayNotification(merchantOf(ctx.credentials), raw, now());
    },

    async fetchStatement(ctx, day) {
      const { merchant, api } = connect(ctx);
      return { day, lines: await fetchTradeBill(merchant, api, day, timeoutMs) };
    },
  };
}
