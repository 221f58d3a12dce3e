// A WeChat Pay API v3 simulator: the endpoints Paystead uses, over real HTTP. It authenticates requests as
// WeChat Pay does (`Authorization: WECHATPAY2-SHA256-RSA2048 …` verified with the merchant's public key), signs
// every answer with its platform key, keeps payments and refunds in memory and sends notifications
// (notifier.ts). Payments are made by Native, H5 or JSAPI pay, each checked as WeChat Pay documents it. Tests
// steer it with plain methods: scan and pay, pay on the H5 page or in the JSAPI payment sheet, refund
// outcomes, injected failures, forgeries.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { beijingTime, certificatePem, platformCertificate, platformPublicKey, randomDigits, rsaKeyPair, serialNumber, sign, verify, type PlatformKey, type Validity } from './crypto.js';
import { createNotifier, type NotifyOptions } from './notifier.js';
import { tradeBill } from './bill.js';
import { createStatementDesk, type StatementOptions } from '../statements.js';
import { text } from 'node:stream/consumers';

export type Operation = 'native' | 'h5' | 'jsapi' | 'query' | 'close' | 'refund' | 'refundQuery' | 'tradeBill';

/** An injected failure for the next call of an operation. */
export type Fault =
  /** Answer with this error; with `afterWork`, do the work first (the caller cannot tell it happened). */
  | { status: number; code: string; message?: string; afterWork?: boolean }
  /** Answer normally, but signed with a key that is not the platform's. */
  | { forgedSignature: true };

/** The states a payment goes through here (no USERPAYING, PAYERROR or REVOKED: those are payment-code flows'). */
type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED';
type RefundState = 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
type TradeType = 'NATIVE' | 'MWEB' | 'JSAPI';

interface Payment {
  trade_type: TradeType;
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  time_expire: string;
  total: number;
  /** Native: the code to scan. */
  code_url?: string;
  /** H5: the page the shopper's browser is sent to, and the address WeChat Pay expects it opened from. */
  h5_url?: string;
  payer_client_ip?: string;
  /** JSAPI: the prepay the payment sheet is opened for, and the only payer who can pay it. */
  prepay_id?: string;
  openid?: string;
  trade_state: TradeState;
  transaction_id?: string;
  success_time?: string;
}

interface Refund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  reason: string;
  notify_url: string | undefined;
  refund: number;
  total: number;
  status: RefundState;
  create_time: string;
  success_time?: string;
}

/** How the next refunds settle: their final state, after how long, and how the notification travels. */
export interface RefundBehaviour {
  outcome: Exclude<RefundState, 'PROCESSING'>;
  delayMs: number;
  notification: NotifyOptions;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function refuseUnless(condition: unknown, status: number, code: string, message: string): asserts condition {
  if (!condition) throw new Refusal(status, code, message);
}

/** A request body as WeChat Pay checks it: anything off is 400 PARAM_ERROR, naming the field. */
function valid<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Refusal(400, 'PARAM_ERROR', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}

const fen = z.number().int().positive();

const NativeRequestSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_\-*|]{6,32}$/),
  time_expire: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/, 'RFC 3339').optional(),
  notify_url: z.string().regex(/^https?:\/\/[^?]+$/, 'a URL without a query'),
  amount: z.object({ total: fen, currency: z.literal('CNY').optional() }),
});

const H5RequestSchema = NativeRequestSchema.extend({
  scene_info: z.object({
    payer_client_ip: z.union([z.ipv4(), z.ipv6()]),
    h5_info: z.object({ type: z.enum(['iOS', 'Android', 'Wap']), app_name: z.string().optional(), app_url: z.string().optional() }),
  }),
});

const JsapiRequestSchema = NativeRequestSchema.extend({ payer: z.object({ openid: z.string().min(1).max(128) }) });

const RefundRequestSchema = z.object({
  out_trade_no: z.string().optional(),
  out_refund_no: z.string().regex(/^[0-9A-Za-z_\-*|@]{1,64}$/),
  reason: z.string().max(80).optional(),
  notify_url: z.string().optional(),
  amount: z.object({ refund: fen, total: fen, currency: z.literal('CNY') }),
});

const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
const H5_PAGE = '/cgi-bin/mmpayweb-bin/checkmweb';
const MAX_SKEW_SECONDS = 300;

const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; operation: Operation }> = [
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/native$/, operation: 'native' },
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/h5$/, operation: 'h5' },
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/jsapi$/, operation: 'jsapi' },
  { method: 'GET', pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, operation: 'query' },
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, operation: 'close' },
  { method: 'POST', pattern: /^\/v3\/refund\/domestic\/refunds$/, operation: 'refund' },
  { method: 'GET', pattern: /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, operation: 'refundQuery' },
  { method: 'GET', pattern: /^\/v3\/bill\/tradebill$/, operation: 'tradeBill' },
];

/** Where bills are downloaded; its answers are the file itself, unsigned. */
const BILL_DOWNLOAD = '/v3/billdownload/file';

/** A platform certificate out of its validity period, for the merchant to have configured. */
export type LapsedCertificate = 'expired' | 'notYetValid';

const DAY_MS = 86_400_000;

const LAPSED_VALIDITY: Record<LapsedCertificate, () => Validity> = {
  expired: () => ({ notBefore: new Date(Date.now() - 5 * 365 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) }),
  notYetValid: () => ({ notBefore: new Date(Date.now() + DAY_MS), notAfter: new Date(Date.now() + 5 * 365 * DAY_MS) }),
};

const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
};

export async function startWechatPaySimulator(options: { platformKey?: 'certificate' | 'publicKey'; statements?: Partial<StatementOptions> } = {}) {
  const mchid = `19${randomDigits(8)}`;
  const appid = `wx${randomBytes(8).toString('hex')}`;
  const apiV3Key = randomBytes(16).toString('hex');
  const merchantKeys = rsaKeyPair();
  const merchantSerial = serialNumber();
  const publicKeyOnly = options.platformKey === 'publicKey';
  const platform: PlatformKey = publicKeyOnly ? platformPublicKey() : platformCertificate();
  const foreign: PlatformKey = platformPublicKey();
  const notifier = createNotifier({ platform, foreign, apiV3Key });

  /** Where the server listens, once it does. */
  let origin = '';
  const payments = new Map<string, Payment>();
  const refunds = new Map<string, Refund>();
  const faults = new Map<Operation, Fault[]>();
  const calls: Array<{ method: string; path: string; operation?: Operation; status: number }> = [];
  let refundBehaviour: RefundBehaviour = { outcome: 'SUCCESS', delayMs: 100, notification: {} };
  // WeChat Pay makes a day's bill the next morning (advised: after 10:00); files wait here for download.
  const statements = createStatementDesk({ readyAfterHours: 10, ...options.statements });
  const bills = new Map<string, Buffer>();

  /** `GET /v3/bill/tradebill`: the day's bill, made now, and where to fetch it. */
  function applyTradeBill(query: URLSearchParams) {
    const date = query.get('bill_date') ?? '';
    refuseUnless(/^\d{4}-\d{2}-\d{2}$/.test(date), 400, 'PARAM_ERROR', 'bill_date 格式不正确');
    refuseUnless(['ALL', null].includes(query.get('bill_type')), 400, 'PARAM_ERROR', 'bill_type 只支持 ALL');
    refuseUnless(statements.ready(date), 400, 'STATEMENT_CREATING', '账单生成中');
    const traded = [...payments.values()].some((p) => p.success_time?.startsWith(date)) || [...refunds.values()].some((r) => r.success_time?.startsWith(date));
    refuseUnless(traded, 400, 'NO_STATEMENT_EXIST', '请求的账单文件不存在');
    const fault = statements.takeFault();
    const file = Buffer.from(tradeBill(payments.values(), refunds.values(), date, statements, fault === 'wrongHash' ? undefined : fault));
    const token = randomBytes(16).toString('hex');
    bills.set(token, file);
    const hash = createHash('sha1').update(fault === 'wrongHash' ? Buffer.concat([file, Buffer.from('\r\n')]) : file).digest('hex');
    return { status: 200, body: { hash_type: 'SHA1', hash_value: hash, download_url: `${origin}${BILL_DOWNLOAD}?token=${token}` } };
  }

  function transaction(payment: Payment) {
    const paid = payment.transaction_id !== undefined;
    return {
      appid: payment.appid,
      mchid: payment.mchid,
      out_trade_no: payment.out_trade_no,
      ...(paid && { transaction_id: payment.transaction_id, trade_type: payment.trade_type, bank_type: 'OTHERS', success_time: payment.success_time, payer: { openid: payment.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } }),
      trade_state: payment.trade_state,
      trade_state_desc: TRADE_STATE_DESC[payment.trade_state],
      attach: '',
      amount: { total: payment.total, ...(paid && { payer_total: payment.total }), currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  function refundJson(refund: Refund) {
    return {
      refund_id: refund.refund_id,
      out_refund_no: refund.out_refund_no,
      transaction_id: refund.transaction_id,
      out_trade_no: refund.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      create_time: refund.create_time,
      ...(refund.success_time && { success_time: refund.success_time }),
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund, settlement_total: refund.total, settlement_refund: refund.refund, discount_refund: 0, currency: 'CNY' },
    };
  }

  /** Checks the merchant's signature; answers 401 SIGN_ERROR as WeChat Pay does when it does not hold. */
  function authenticate(method: string, target: string, body: string, header = ''): void {
    refuseUnless(header.startsWith(`${AUTH_SCHEME} `), 401, 'SIGN_ERROR', `Authorization is not ${AUTH_SCHEME}`);
    const params = Object.fromEntries([...header.slice(AUTH_SCHEME.length + 1).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const { mchid: claimed, nonce_str: nonce, signature, timestamp, serial_no: serial } = params;
    refuseUnless(claimed && nonce && signature && timestamp && serial, 401, 'SIGN_ERROR', 'Authorization lacks mchid, nonce_str, signature, timestamp or serial_no');
    refuseUnless(claimed === mchid, 401, 'SIGN_ERROR', `unknown mchid ${claimed}`);
    refuseUnless(serial === merchantSerial, 401, 'SIGN_ERROR', `serial_no ${serial} is not this merchant's certificate`);
    refuseUnless(Math.abs(Date.now() / 1000 - Number(timestamp)) <= MAX_SKEW_SECONDS, 401, 'SIGN_ERROR', 'timestamp too far from now');
    refuseUnless(verify(merchantKeys.publicKey, [method, target, timestamp, nonce, body], signature), 401, 'SIGN_ERROR', 'signature does not verify');
  }

  /** What each trade type answers: the code, the page or the prepay. */
  function prepayAnswer(payment: Payment) {
    if (payment.trade_type === 'MWEB') return { h5_url: payment.h5_url };
    if (payment.trade_type === 'JSAPI') return { prepay_id: payment.prepay_id };
    return { code_url: payment.code_url };
  }

  /** Native, H5 and JSAPI orders: a new one, or the same one again when nothing differs. */
  function createPayment(operation: 'native' | 'h5' | 'jsapi', body: unknown) {
    const h5 = operation === 'h5' ? valid(H5RequestSchema, body) : undefined;
    const jsapi = operation === 'jsapi' ? valid(JsapiRequestSchema, body) : undefined;
    const request = h5 ?? jsapi ?? valid(NativeRequestSchema, body);
    const tradeType: TradeType = operation === 'h5' ? 'MWEB' : operation === 'jsapi' ? 'JSAPI' : 'NATIVE';
    refuseUnless(request.mchid === mchid, 400, 'PARAM_ERROR', 'mchid does not match the Authorization mchid');
    refuseUnless(request.appid === appid, 400, 'APPID_MCHID_NOT_MATCH', 'appid and mchid do not match');
    const existing = payments.get(request.out_trade_no);
    if (existing) {
      refuseUnless(existing.trade_state === 'NOTPAY', 400, existing.trade_state === 'SUCCESS' ? 'ORDERPAID' : 'ORDER_CLOSED', `order is ${existing.trade_state}`);
      // One out_trade_no is one order, of one trade type: it cannot be placed again as another.
      refuseUnless(existing.trade_type === tradeType, 400, 'OUT_TRADE_NO_USED', '商户订单号重复');
      refuseUnless(existing.total === request.amount.total, 400, 'INVALID_REQUEST', 'out_trade_no used with different parameters');
      return { status: 200, body: prepayAnswer(existing) };
    }
    const prepayId = `wx${beijingTime().replace(/\D/g, '').slice(0, 14)}${randomBytes(8).toString('hex')}`;
    const payment: Payment = {
      trade_type: tradeType,
      appid,
      mchid,
      out_trade_no: request.out_trade_no,
      description: request.description,
      notify_url: request.notify_url,
      time_expire: request.time_expire ?? beijingTime(Date.now() + 2 * 3_600_000),
      total: request.amount.total,
      ...(tradeType === 'NATIVE' && { code_url: `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}` }),
      ...(h5 && {
        // wx.tenpay.com's page, served here.
        h5_url: `${origin}${H5_PAGE}?prepay_id=${prepayId}&package=${randomDigits(10)}`,
        payer_client_ip: h5.scene_info.payer_client_ip,
      }),
      ...(jsapi && { prepay_id: prepayId, openid: jsapi.payer.openid }),
      trade_state: 'NOTPAY',
    };
    payments.set(payment.out_trade_no, payment);
    return { status: 200, body: prepayAnswer(payment) };
  }

  /** The shopper pays an open payment; returns the notification id. */
  function pay(payment: Payment, notification: NotifyOptions): string {
    if (payment.trade_state !== 'NOTPAY') throw new Error(`payment ${payment.out_trade_no} is ${payment.trade_state}`);
    if (Date.parse(payment.time_expire) < Date.now()) throw new Error(`payment ${payment.out_trade_no} expired at ${payment.time_expire}`);
    payment.trade_state = 'SUCCESS';
    payment.transaction_id = `42${randomDigits(26)}`;
    payment.success_time = beijingTime();
    return notifier.notify(payment.notify_url, { eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource: transaction(payment) }, notification);
  }

  function paymentFor(outTradeNo: string, queryMchid: unknown): Payment {
    refuseUnless(queryMchid === mchid, 400, 'PARAM_ERROR', 'mchid does not match the Authorization mchid');
    const payment = payments.get(outTradeNo);
    refuseUnless(payment, 404, 'ORDER_NOT_EXIST', '订单不存在');
    return payment;
  }

  function close(outTradeNo: string, body: Record<string, unknown>) {
    const payment = paymentFor(outTradeNo, body.mchid);
    refuseUnless(payment.trade_state !== 'SUCCESS' && payment.trade_state !== 'REFUND', 400, 'ORDERPAID', '订单已支付');
    payment.trade_state = 'CLOSED';
    return { status: 204 };
  }

  function settleRefund(refund: Refund, behaviour: RefundBehaviour): void {
    refund.status = behaviour.outcome;
    if (behaviour.outcome === 'SUCCESS') refund.success_time = beijingTime();
    if (!refund.notify_url) return;
    notifier.notify(
      refund.notify_url,
      {
        eventType: `REFUND.${behaviour.outcome}`,
        summary: '退款状态变更',
        originalType: 'refund',
        resource: {
          mchid,
          out_trade_no: refund.out_trade_no,
          transaction_id: refund.transaction_id,
          out_refund_no: refund.out_refund_no,
          refund_id: refund.refund_id,
          refund_status: refund.status,
          ...(refund.success_time && { success_time: refund.success_time }),
          user_received_account: '支付用户零钱',
          amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund },
        },
      },
      behaviour.notification,
    );
  }

  function createRefund(body: unknown) {
    const request = valid(RefundRequestSchema, body);
    const payment = payments.get(request.out_trade_no ?? '');
    refuseUnless(payment, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const existing = refunds.get(request.out_refund_no);
    if (existing) {
      // The same out_refund_no is the same refund: answered again, never made twice.
      refuseUnless(existing.refund === request.amount.refund && existing.out_trade_no === payment.out_trade_no, 400, 'INVALID_REQUEST', 'out_refund_no used with different parameters');
      return { status: 200, body: refundJson(existing) };
    }
    refuseUnless(payment.transaction_id !== undefined, 400, 'INVALID_REQUEST', '订单未支付');
    refuseUnless(request.amount.total === payment.total, 400, 'INVALID_REQUEST', 'amount.total is not the order amount');
    const refunded = [...refunds.values()].filter((r) => r.out_trade_no === payment.out_trade_no && r.status !== 'CLOSED').reduce((sum, r) => sum + r.refund, 0);
    refuseUnless(refunded + request.amount.refund <= payment.total, 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const refund: Refund = {
      refund_id: `50${randomDigits(27)}`,
      out_refund_no: request.out_refund_no,
      out_trade_no: payment.out_trade_no,
      transaction_id: payment.transaction_id,
      reason: request.reason ?? '',
      notify_url: request.notify_url,
      refund: request.amount.refund,
      total: payment.total,
      status: 'PROCESSING',
      create_time: beijingTime(),
    };
    refunds.set(refund.out_refund_no, refund);
    payment.trade_state = 'REFUND';
    const behaviour = refundBehaviour;
    void sleep(behaviour.delayMs).then(() => settleRefund(refund, behaviour));
    return { status: 200, body: refundJson(refund) };
  }

  function run(operation: Operation, param: string | undefined, query: URLSearchParams, body: Record<string, unknown>): { status: number; body?: object } {
    switch (operation) {
      case 'native':
      case 'h5':
      case 'jsapi':
        return createPayment(operation, body);
      case 'query':
        return { status: 200, body: transaction(paymentFor(param!, query.get('mchid'))) };
      case 'close':
        return close(param!, body);
      case 'refund':
        return createRefund(body);
      case 'tradeBill':
        return applyTradeBill(query);
      case 'refundQuery': {
        const refund = refunds.get(param!);
        refuseUnless(refund, 404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
        return { status: 200, body: refundJson(refund) };
      }
    }
  }

  /** Every answer is signed, errors included, with the platform key (unless a fault says otherwise). */
  function respond(res: ServerResponse, status: number, payload: object | undefined, signer: PlatformKey): void {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    res.writeHead(status, {
      ...(body && { 'content-type': 'application/json; charset=utf-8' }),
      'request-id': randomUUID(),
      'wechatpay-nonce': nonce,
      'wechatpay-timestamp': timestamp,
      'wechatpay-serial': platform.id,
      'wechatpay-signature': sign(signer.privateKey, [timestamp, nonce, body]),
    });
    res.end(body);
  }

  /** WeChat Pay's H5 page, as a phone browser opens it: it names the amount; the shopper pays with `payOnH5Page`. */
  function h5Page(url: URL, res: ServerResponse): void {
    const prepayId = url.searchParams.get('prepay_id');
    const payment = [...payments.values()].find((p) => p.h5_url !== undefined && prepayId === new URL(p.h5_url).searchParams.get('prepay_id'));
    const body = payment ? `<h1>微信支付 (simulated)</h1><p>¥${(payment.total / 100).toFixed(2)}</p>` : '<h1>商家参数格式有误</h1>';
    res.writeHead(payment ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><body>${body}</body></html>`);
  }

  /** The bill file as it is: no signature headers (the announced hash vouches for it). */
  function downloadBill(method: string, target: string, raw: string, header: string | undefined, url: URL, res: ServerResponse): void {
    try {
      authenticate(method, target, raw, header);
      const file = bills.get(url.searchParams.get('token') ?? '');
      refuseUnless(file, 400, 'INVALID_REQUEST', '下载链接无效或已过期');
      calls.push({ method, path: url.pathname, status: 200 });
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      calls.push({ method, path: url.pathname, status: error.status });
      respond(res, error.status, { code: error.code, message: error.message }, platform);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await text(req);
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const url = new URL(target, 'http://simulator');
    if (method === 'GET' && url.pathname === H5_PAGE) return h5Page(url, res);
    if (method === 'GET' && url.pathname === BILL_DOWNLOAD) return downloadBill(method, target, raw, req.headers.authorization, url, res);
    const route = ROUTES.map((r) => ({ ...r, match: r.method === method ? r.pattern.exec(url.pathname) : null })).find((r) => r.match);
    let status: number;
    let payload: object | undefined;
    let signer = platform;
    try {
      authenticate(method, target, raw, req.headers.authorization);
      refuseUnless(route, 404, 'NOT_FOUND', `no API at ${method} ${url.pathname}`);
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          throw new Refusal(400, 'PARAM_ERROR', 'body is not JSON');
        }
      }
      const fault = faults.get(route.operation)?.shift();
      if (fault && 'status' in fault && !fault.afterWork) throw new Refusal(fault.status, fault.code, fault.message ?? 'injected');
      ({ status, body: payload } = run(route.operation, route.match?.[1], url.searchParams, body));
      if (fault && 'status' in fault) throw new Refusal(fault.status, fault.code, fault.message ?? 'injected');
      if (fault) signer = foreign;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      status = error.status;
      payload = { code: error.code, message: error.message };
    }
    calls.push({ method, path: url.pathname, ...(route && { operation: route.operation }), status });
    respond(res, status, payload, signer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) respond(res, 500, { code: 'SYSTEM_ERROR', message: String(error) }, platform);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}/`,
    mchid,
    /** Every API call seen (authenticated or not), with the status answered. */
    calls,
    /** Every notification POST and what Paystead answered. */
    deliveries: notifier.attempts,

    /**
     * What the merchant enters in Paystead. `platformCertificate` gives the platform key in a certificate with
     * the same serial but dates that make it expired or not yet valid; the simulator keeps signing with it.
     */
    merchantCredentials(options: { platformCertificate?: LapsedCertificate } = {}) {
      if (options.platformCertificate && publicKeyOnly) throw new Error('a platform public key has no certificate to lapse');
      return {
        mchId: mchid,
        appId: appid,
        apiV3Key,
        certificateSerialNo: merchantSerial,
        privateKey: merchantKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        platformKeyId: platform.id,
        platformKey: options.platformCertificate ? certificatePem(platform, platform.id, LAPSED_VALIDITY[options.platformCertificate]()) : platform.pem,
      };
    },

    payment(outTradeNo: string) {
      const payment = payments.get(outTradeNo);
      return payment && { ...payment };
    },

    refundsOf(outTradeNo: string) {
      return [...refunds.values()].filter((r) => r.out_trade_no === outTradeNo).map((r) => ({ ...r }));
    },

    /** The shopper scans the QR code (`code_url`) with WeChat and pays; returns the notification id. */
    scanAndPay(codeUrl: string, notification: NotifyOptions = {}): string {
      const payment = [...payments.values()].find((p) => p.code_url === codeUrl);
      if (!payment) throw new Error(`no payment has code_url ${codeUrl}`);
      return pay(payment, notification);
    },

    /**
     * The shopper's browser opens the H5 page (`h5_url`, with Paystead's `redirect_url`) from `clientIp` and
     * pays; WeChat Pay refuses a page opened from another address than payer_client_ip. Returns where the
     * shopper is sent back to.
     */
    payOnH5Page(pageUrl: string, clientIp: string, notification: NotifyOptions = {}): { redirectUrl: string | undefined } {
      const url = new URL(pageUrl);
      const payment = [...payments.values()].find((p) => p.h5_url !== undefined && url.searchParams.get('prepay_id') === new URL(p.h5_url).searchParams.get('prepay_id'));
      if (!payment) throw new Error(`no H5 payment for ${pageUrl}`);
      // 商家参数格式有误: the page was opened from another network than the order named.
      if (payment.payer_client_ip !== clientIp) throw new Error(`H5 page opened from ${clientIp}, not payer_client_ip ${payment.payer_client_ip}`);
      pay(payment, notification);
      return { redirectUrl: url.searchParams.get('redirect_url') ?? undefined };
    },

    /**
     * WeChat's payment sheet, as \`getBrandWCPayRequest\` opens it for the shopper \`openid\`: the parameters
     * must be signed by the merchant's key for this app and a prepay of this payer; then the shopper pays.
     * Answers with the \`err_msg\` WeChat gives the page.
     */
    payInWechat(payRequest: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }, openid: string, notification: NotifyOptions = {}): string {
      const payment = [...payments.values()].find((p) => p.prepay_id !== undefined && payRequest.package === `prepay_id=${p.prepay_id}`);
      if (!payment || payRequest.appId !== appid || payRequest.signType !== 'RSA') return 'get_brand_wcpay_request:fail';
      if (!verify(merchantKeys.publicKey, [payRequest.appId, payRequest.timeStamp, payRequest.nonceStr, payRequest.package], payRequest.paySign)) return 'get_brand_wcpay_request:fail';
      if (payment.openid !== openid) return 'get_brand_wcpay_request:fail';
      pay(payment, notification);
      return 'get_brand_wcpay_request:ok';
    },

    /** The merchant's API public key, as WeChat Pay holds it to check signatures. */
    merchantPublicKey: merchantKeys.publicKey,

    /** A success notification for a payment nobody paid, sent with a forgery or corrupted on the way. */
    forgeSuccess(outTradeNo: string, notification: NotifyOptions): string {
      const payment = payments.get(outTradeNo);
      if (!payment) throw new Error(`no payment ${outTradeNo}`);
      const paid: Payment = { ...payment, trade_state: 'SUCCESS', transaction_id: `42${randomDigits(26)}`, success_time: beijingTime() };
      return notifier.notify(payment.notify_url, { eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource: transaction(paid) }, notification);
    },

    failNext(operation: Operation, fault: Fault): void {
      faults.set(operation, [...(faults.get(operation) ?? []), fault]);
    },

    /**
     * The merchant refunds in the merchant platform: WeChat Pay numbers the refund itself, settles it at
     * once and notifies no one. Returns its out_refund_no.
     */
    refundInDashboard(outTradeNo: string, fen: number): string {
      const payment = payments.get(outTradeNo);
      if (!payment?.transaction_id) throw new Error(`payment ${outTradeNo} is not paid`);
      const refund: Refund = {
        refund_id: `50${randomDigits(27)}`,
        out_refund_no: `${randomDigits(20)}`,
        out_trade_no: outTradeNo,
        transaction_id: payment.transaction_id,
        reason: '',
        notify_url: undefined,
        refund: fen,
        total: payment.total,
        status: 'SUCCESS',
        create_time: beijingTime(),
        success_time: beijingTime(),
      };
      refunds.set(refund.out_refund_no, refund);
      payment.trade_state = 'REFUND';
      return refund.out_refund_no;
    },

    /** Statements: close a day early, plant a fault in the next bill, the fee charged. */
    statements,

    setRefundBehaviour(behaviour: Partial<RefundBehaviour>): void {
      refundBehaviour = { ...refundBehaviour, ...behaviour };
    },

    /** Resolves once no notification is under way. */
    idle: () => notifier.idle(),

    async stop(): Promise<void> {
      await notifier.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WechatPaySimulator = Awaited<ReturnType<typeof startWechatPaySimulator>>;
