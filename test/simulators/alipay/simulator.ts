// A local Alipay OpenAPI gateway (`gateway.do`) for the real alipay-sdk. It holds Alipay's key and the
// app's public key as the open platform does, checks the RSA2 signature of every request, signs its
// answers and notifications with Alipay's key, and serves the page-pay and WAP-pay links. Test controls are plain
// methods: the buyer scans or pays, the next call fails, a notification is tweaked.
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier, type Notification, type NotifyMode } from './notifier.js';
import { bareBase64, rsa2Sign, rsa2Verify, signingString } from './signing.js';
import { beijing, createTradeBook, failure, parseBeijing, refunded, yuan, type Answer, type Trade } from './trades.js';
import { tradeBill } from './bill.js';
import { createStatementDesk, type StatementOptions } from '../statements.js';
import { text as readBody } from 'node:stream/consumers';

const TIMESTAMP_TOLERANCE_MS = 10 * 60_000;

export type { NotifyMode } from './notifier.js';

export interface Fault {
  /** Answer with this HTTP status (a proxy's 502, a 429) ... */
  httpStatus?: number;
  /** ... or with this Alipay code and sub-code. */
  code?: string;
  subCode?: string;
  /** Do the work, then answer with the fault: the answer is lost, the effect is not. */
  afterProcessing?: boolean;
}

export interface NotificationTweak {
  /** Changed before signing (a stale notify_time, another app's app_id, a claimed trade_status). */
  fields?: Record<string, string>;
  /** Changed after signing (a tampered amount). */
  tamper?: Record<string, string>;
  /** Signed with a key that is not Alipay's. */
  foreignKey?: boolean;
}

/** Every OpenAPI request carries these; `sign` covers all parameters but itself. */
const COMMON_PARAMS = ['app_id', 'method', 'charset', 'sign_type', 'sign', 'timestamp', 'version'];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function bizContent(params: Record<string, string>): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(params.biz_content ?? '');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The merchant's Alipay account (partner id), as bills and notifications name it. */
const SELLER_ID = '2088101106499364';

export async function startAlipaySimulator(options: { retryDelaysMs?: readonly number[]; statements?: Partial<StatementOptions> } = {}) {
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipayKeys = rsa();
  /** The merchant's app key pair: the simulator keeps the public half, as if uploaded to the open platform. */
  const appKeys = rsa();
  const foreignKeys = rsa();
  const appId = `2021${randomInt(1e11, 1e12)}`;
  const notifier = createNotifier(options.retryDelaysMs ?? [200, 500, 1000]);
  const refundModes: NotifyMode[] = [];
  const calls: Array<{ method: string; biz: Record<string, unknown>; refused?: string }> = [];
  const faults = new Map<string, Fault[]>();

  /** A trade_status_sync notification for the trade as it stands, signed as Alipay signs it. */
  function notification(trade: Trade, extra: Record<string, string> = {}, tweak: NotificationTweak = {}): Notification {
    if (!trade.notifyUrl) throw new Error(`trade ${trade.outTradeNo} has no notify_url`);
    const amount = yuan(trade.fen);
    const fields: Record<string, string> = {
      notify_time: beijing(new Date()),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      app_id: trade.appId,
      auth_app_id: trade.appId,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      seller_id: SELLER_ID,
      buyer_id: '2088102177846880',
      trade_status: trade.status,
      total_amount: amount,
      subject: trade.subject,
      gmt_create: beijing(trade.createdAt),
      ...(trade.paidAt && {
        gmt_payment: beijing(trade.paidAt),
        receipt_amount: amount,
        buyer_pay_amount: amount,
        invoice_amount: amount,
        point_amount: '0.00',
        fund_bill_list: JSON.stringify([{ amount, fundChannel: 'ALIPAYACCOUNT' }]),
      }),
      ...extra,
      ...tweak.fields,
    };
    const sign = rsa2Sign(signingString(fields, ['sign', 'sign_type']), (tweak.foreignKey ? foreignKeys : alipayKeys).privateKey);
    return { url: trade.notifyUrl, outTradeNo: trade.outTradeNo, fields: { ...fields, sign, ...tweak.tamper } };
  }

  const book = createTradeBook({
    refunded(trade, refund) {
      // Alipay reports a refund in the trade's notification, with the refund's number and the total refunded.
      const fields = { out_biz_no: refund.outRequestNo, refund_fee: yuan(refunded(trade)), gmt_refund: beijing(refund.at, true) };
      void notifier.send(notification(trade, fields), { fault: refundModes.shift() });
    },
  });

  // Alipay makes a day's trade bill the next morning (from 09:00); the download link is served here.
  const statements = createStatementDesk({ readyAfterHours: 9, ...options.statements });
  const bills = new Map<string, Uint8Array>();
  let origin = '';
  const billMethods: Record<string, (appId: string, biz: Record<string, unknown>) => Answer> = {
    'alipay.data.dataservice.bill.downloadurl.query'(_appId, biz) {
      const date = typeof biz.bill_date === 'string' ? biz.bill_date : '';
      if (biz.bill_type !== 'trade' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return failure('40004', 'isv.invalid-arguments', '参数无效: bill_type 或 bill_date');
      if (!statements.ready(date)) return failure('40004', 'isp.bill_not_exist', '账单不存在');
      const token = randomBytes(12).toString('hex');
      bills.set(token, tradeBill(book.all(), date, SELLER_ID, statements, statements.takeFault()));
      return { code: '10000', msg: 'Success', bill_download_url: `${origin}/bill/download?bill_date=${date}&token=${token}` };
    },
  };

  /** Alipay's checks before any method runs: an error answer, or undefined when the request holds. */
  function refusal(params: Record<string, string>): Answer | undefined {
    const missing = COMMON_PARAMS.find((name) => !params[name]);
    if (missing) return failure('40001', `isv.missing-${missing.replaceAll('_', '-')}`, `缺少必选参数 ${missing}`);
    if (params.app_id !== appId) return failure('40002', 'isv.invalid-app-id', '无效的AppID参数');
    if (params.sign_type !== 'RSA2') return failure('40002', 'isv.invalid-signature-type', '无效的签名类型');
    if (params.charset?.toLowerCase() !== 'utf-8') return failure('40002', 'isv.invalid-charset', '字符集错误');
    // The timestamp is Beijing time; one far from now (a server stamping its own local time) is refused.
    const stamped = parseBeijing(params.timestamp ?? '');
    if (!stamped || Math.abs(stamped.getTime() - Date.now()) > TIMESTAMP_TOLERANCE_MS) return failure('40002', 'isv.invalid-timestamp', '非法的时间戳参数');
    const signed = signingString(params, ['sign']);
    if (!rsa2Verify(signed, params.sign ?? '', appKeys.publicKey)) {
      return failure('40002', 'isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${signed}`);
    }
    if (!bizContent(params)) return failure('40002', 'isv.invalid-parameter', 'biz_content 不是 JSON 对象');
    return undefined;
  }

  function reply(response: ServerResponse, method: string, answer: Answer): void {
    const json = JSON.stringify(answer);
    const key = `${method.replaceAll('.', '_')}_response`;
    // Alipay signs with the key it keeps for the app; for an app it does not know it has none.
    const body = answer.sub_code === 'isv.invalid-app-id' ? `{"${key}":${json}}` : `{"${key}":${json},"sign":"${rsa2Sign(json, alipayKeys.privateKey)}"}`;
    response.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(body);
  }

  function replyWithFault(response: ServerResponse, method: string, fault: Fault): void {
    if (fault.httpStatus !== undefined) {
      response.writeHead(fault.httpStatus, { 'content-type': 'text/html' }).end(`<html><body>${fault.httpStatus}</body></html>`);
      return;
    }
    reply(response, method, failure(fault.code ?? '20000', fault.subCode ?? 'isp.unknow-error', '系统繁忙'));
  }

  function openApi(params: Record<string, string>, response: ServerResponse): void {
    const method = params.method ?? '';
    const biz = bizContent(params) ?? {};
    const refused = refusal(params);
    calls.push({ method, biz, ...(refused && { refused: refused.sub_code }) });
    if (refused) return reply(response, method, refused);
    const handler = book.methods[method] ?? billMethods[method];
    if (!handler) return reply(response, method, failure('40002', 'isv.invalid-method', '不存在的方法名'));
    const fault = faults.get(method)?.shift();
    if (fault && !fault.afterProcessing) return replyWithFault(response, method, fault);
    const answer = handler(appId, biz, params);
    if (fault) return replyWithFault(response, method, fault);
    reply(response, method, answer);
  }

  function page(response: ServerResponse, title: string, lines: string[]): void {
    response.writeHead(200, { 'content-type': 'text/html;charset=utf-8' }).end(`<!doctype html><title>${title}</title>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}`);
  }

  /** What each page method's biz_content must hold beyond the trade (https://opendocs.alipay.com/open/59da99d0_alipay.trade.page.pay, …/29ae8cb6_alipay.trade.wap.pay). */
  const PAGE_METHODS: Record<string, { productCode: string; required: readonly string[] }> = {
    'alipay.trade.page.pay': { productCode: 'FAST_INSTANT_TRADE_PAY', required: [] },
    // WAP pay: the phone cashier; quit_url is where a buyer who leaves it goes.
    'alipay.trade.wap.pay': { productCode: 'QUICK_WAP_WAY', required: ['quit_url'] },
  };

  function pageRefusal(method: string, biz: Record<string, unknown>): Answer | undefined {
    const { productCode, required } = PAGE_METHODS[method]!;
    const missing = required.find((name) => typeof biz[name] !== 'string' || biz[name] === '');
    if (missing) return failure('40001', `isv.missing-${missing.replaceAll('_', '-')}`, `缺少必选参数 ${missing}`);
    if (biz.product_code !== productCode) return failure('40004', 'ACQ.INVALID_PARAMETER', `参数无效: product_code 应为 ${productCode}`);
    return undefined;
  }

  /** The cashier page a page-pay or WAP-pay link opens: the pre-order becomes a trade the buyer can pay. */
  function cashier(method: string, params: Record<string, string>, response: ServerResponse): void {
    const biz = bizContent(params) ?? {};
    const refused = refusal(params) ?? pageRefusal(method, biz);
    calls.push({ method, biz, ...(refused && { refused: refused.sub_code }) });
    if (refused) return page(response, '支付宝 - 错误', [`错误代码 ${refused.sub_code}`, refused.sub_msg ?? '']);
    const opened = book.open(appId, biz, params.notify_url, true);
    if ('refused' in opened) return page(response, '支付宝 - 错误', [`错误代码 ${opened.refused.sub_code}`, opened.refused.sub_msg ?? '']);
    page(response, '支付宝 - 收银台', [opened.trade.subject, `¥${yuan(opened.trade.fen)}`]);
  }

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://alipay.local');
      if (url.pathname === '/bill/download') {
        const bill = bills.get(url.searchParams.get('token') ?? '');
        return void (bill ? response.writeHead(200, { 'content-type': 'application/zip' }).end(bill) : response.writeHead(404).end());
      }
      if (url.pathname !== '/gateway.do') return void response.writeHead(404).end();
      const body = await readBody(request);
      // The SDK puts the common parameters in the query string and the rest in a form body.
      const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : new URLSearchParams();
      const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(form) };
      if (params.method !== undefined && params.method in PAGE_METHODS) cashier(params.method, params, response);
      else openApi(params, response);
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gatewayUrl = `${origin}/gateway.do`;

  function tradeOrFail(outTradeNo: string): Trade {
    const trade = book.current(outTradeNo);
    if (!trade) throw new Error(`no trade ${outTradeNo}`);
    return trade;
  }

  return {
    gatewayUrl,
    appId,
    /** What the merchant stores; keys as Alipay's tools show them (bare base64). */
    merchantCredentials: () => ({ appId, privateKey: bareBase64(appKeys.privateKey), alipayPublicKey: bareBase64(alipayKeys.publicKey) }),
    /** Every request, in order, with the sub-code of the gateway's refusal where it refused it. */
    calls,
    /** Every notification attempt with the answer it got. */
    deliveries: notifier.attempts,
    trade: (outTradeNo: string) => book.current(outTradeNo),
    refundedFen: (outTradeNo: string) => refunded(tradeOrFail(outTradeNo)),
    failNext(method: string, fault: Fault): void {
      faults.set(method, [...(faults.get(method) ?? []), fault]);
    },
    /** The buyer scans the QR code without paying yet. */
    scan(outTradeNo: string): void {
      book.scan(outTradeNo);
    },
    /** The buyer pays; Alipay notifies. */
    async pay(outTradeNo: string, { notify = 'deliver' }: { notify?: NotifyMode } = {}): Promise<void> {
      await notifier.send(notification(book.pay(outTradeNo)), { fault: notify });
    },
    /** The merchant refunds in Alipay's merchant portal (no number of ours, no notification); returns Alipay's refund number. */
    refundInDashboard(outTradeNo: string, fen: number): string {
      return book.dashboardRefund(outTradeNo, fen).outRequestNo;
    },
    /** Statements: close a day early, plant a fault in the next bill, the fee charged. */
    statements,
    /** How the next refund's notification goes (by default: delivered). */
    notifyNextRefund(mode: NotifyMode): void {
      refundModes.push(mode);
    },
    /** Sends a notification for the trade as it stands, tweaked; resolves with its notify_id. */
    async notify(outTradeNo: string, tweak: NotificationTweak, mode: NotifyMode = 'deliver'): Promise<string> {
      const sent = notification(tradeOrFail(outTradeNo), {}, tweak);
      await notifier.send(sent, { fault: mode });
      return sent.fields.notify_id!;
    },
    async stop(): Promise<void> {
      notifier.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type AlipaySimulator = Awaited<ReturnType<typeof startAlipaySimulator>>;
