// A local UnionPay Online (ACP 5.1.0) for tests: the front consume page, back transactions (refunds and
// same-day cancels) and the query, each verifying the merchant's signature by certId; answers and back
// notifications are signed with a UnionPay signing certificate under the simulator's own root, carried in
// signPubKeyCert. Notifications are retried until the receiver answers HTTP 200, which is all UnionPay
// looks at.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { createDeliveries, type Attempt, type Fault } from '../delivery.js';
import { acpSign, acpVerify, answerBody, beijingTime, certIdOf, parseBeijingTime } from './acp.js';
import { merchantCertificate, signingChain, type Issued, type SigningChain } from './certificates.js';
import { text as readBody } from 'node:stream/consumers';
import { createStatementDesk, type StatementOptions } from '../statements.js';
import { settlementFiles } from './settlement-files.js';

/** `file`: the file transfer (filedownload.95516.com in production), served here beside the gateway. */
export const PATHS = { front: '/gateway/api/frontTransReq.do', back: '/gateway/api/backTransReq.do', query: '/gateway/api/queryTrans.do', file: '/' } as const;
type Endpoint = keyof typeof PATHS;
type PlannedFailure = { failure: Failure; when: (fields: Record<string, string>) => boolean };

export type NotifyMode = Fault | 'delay';
/** Notifications a receiver must turn away: bad signature, replayed, tampered, for someone else, foreign root. */
export type Forgery = 'signature' | 'stale' | 'amount' | 'merchant' | 'foreign-ca';
export type Failure = { httpStatus: number; afterProcessing?: boolean } | { respCode: string; respMsg: string };

type Label = { orderId: string; txnType: string };

/** One delivery of a notification (a duplicate is a second one) with each of its attempts. */
export interface Delivery extends Label {
  attempts: Array<Attempt<Label>>;
}

interface Consume {
  fields: Record<string, string>;
  queryId?: string;
  /** When the customer paid, ms. */
  paidAt?: number;
  refunded: number;
  cancelled: boolean;
}

/** A refund (txnType 04) or a cancel (31) of a consume. */
interface Refund {
  fields: Record<string, string>;
  queryId: string;
  /** When UnionPay took it, ms. */
  at: number;
}

const OTHER_MER_ID = '898000000000002';
const COMMON = ['version', 'encoding', 'signMethod', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId'] as const;

/** UnionPay's settlement day, from 23:00 Beijing time the day before to 23:00, by the date it ends on. */
const settlementDay = (ms: number) => beijingTime(ms + 3_600_000).slice(0, 8);

const randomDigits = (count: number) => Array.from(randomBytes(count), (b) => String(b % 10)).join('');

function fen(amount: string): string {
  const n = Number(amount);
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}

function pick(fields: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key) => (fields[key] === undefined ? [] : [[key, fields[key]]])));
}

function takeFailure(queue: PlannedFailure[], fields: Record<string, string>): Failure | undefined {
  const index = queue.findIndex((entry) => entry.when(fields));
  return index < 0 ? undefined : queue.splice(index, 1)[0]!.failure;
}

export async function startUnionPaySimulator(options: { statements?: Partial<StatementOptions> } = {}) {
  const chain: SigningChain = signingChain('China UnionPay');
  /** Same names, another root: made when first needed (keys take a while). */
  let foreign: SigningChain | undefined;
  const foreignChain = () => (foreign ??= signingChain('China UnionPay'));
  const merId = `777${randomDigits(12)}`;
  const merchant: Issued = merchantCertificate(merId);
  /** Merchant signing certificates UnionPay has on file, by certId. */
  const merchantKeys = new Map<string, { merId: string; publicKey: KeyObject }>([[certIdOf(merchant.pem), { merId, publicKey: createPublicKey(merchant.pem) }]]);

  const consumes = new Map<string, Consume>();
  const refunds = new Map<string, Refund>();
  const received: Array<{ endpoint: Endpoint; fields: Record<string, string>; respCode: string; at: number }> = [];
  const failures: Record<Exclude<Endpoint, 'front'>, PlannedFailure[]> = { back: [], query: [], file: [] };
  // A settlement day's files are made the morning after it (it ends at 23:00 the evening before its date).
  const statements = createStatementDesk({ readyAfterHours: 9, ...options.statements });

  function signed(fields: Record<string, string>, signer: Issued = chain.leaf): Record<string, string> {
    const withCert = { ...fields, signPubKeyCert: signer.pem };
    return { ...withCert, signature: acpSign(withCert, signer.privateKey) };
  }

  /** What the gateway checks of every request; the respCode of the first problem. */
  function refusal(endpoint: Endpoint, fields: Record<string, string>, expected: Record<string, string>, required: readonly string[]): [string, string] | undefined {
    for (const key of [...COMMON, ...(endpoint === 'file' ? [] : ['orderId']), 'txnTime', 'certId', 'signature', ...required]) {
      if (!fields[key]) return ['13', `报文交易要素缺失[${key}]`];
    }
    const known = merchantKeys.get(fields.certId!);
    if (!known || known.merId !== fields.merId || !acpVerify(fields, known.publicKey)) return ['11', '验证签名失败'];
    const wanted = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', accessType: '0', ...expected };
    for (const [key, value] of Object.entries(wanted)) if (fields[key] !== value) return ['10', `报文格式错误[${key}]`];
    if (endpoint !== 'file' && !/^[0-9A-Za-z]{8,32}$/.test(fields.orderId!)) return ['10', '报文格式错误[orderId]'];
    if (!/^\d{14}$/.test(fields.txnTime!)) return ['10', '报文格式错误[txnTime]'];
    if (fields.txnAmt !== undefined && !/^[1-9]\d{0,11}$/.test(fields.txnAmt)) return ['10', '报文格式错误[txnAmt]'];
    return endpoint === 'front' && !/^\d{14}$/.test(fields.payTimeout!) ? ['10', '报文格式错误[payTimeout]'] : undefined;
  }

  // ---- Notifications --------------------------------------------------------------------------------

  const notices = createDeliveries({
    request: (message: { url: string; fields: Record<string, string> }) => ({ url: message.url, headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams(message.fields).toString() }),
    /** The amount changed after signing. */
    tamper(body) {
      const fields = new URLSearchParams(body);
      fields.set('txnAmt', String(Number(fields.get('txnAmt')) + 1));
      return fields.toString();
    },
    label: ({ fields }) => ({ orderId: fields.orderId ?? '', txnType: fields.txnType ?? '' }),
    settles: (answer) => answer.status === 200,
    retryPausesMs: [50, 100, 200],
  });

  function notify(url: string, fields: Record<string, string>, mode: NotifyMode, delayMs = 0): void {
    void notices.send({ url, fields: signed(fields) }, mode === 'delay' ? { delayMs } : { fault: mode });
  }

  /** The back notification UnionPay sends for a transaction, before signing. */
  function notification(request: Record<string, string>, queryId: string, extra: Record<string, string> = {}): Record<string, string> {
    const now = beijingTime(Date.now());
    return {
      ...pick(request, [...COMMON, 'orderId', 'txnTime', 'txnAmt', 'currencyCode', 'reqReserved']),
      queryId,
      traceNo: randomDigits(6),
      traceTime: now.slice(4),
      settleDate: now.slice(4, 8),
      settleAmt: request.txnAmt!,
      settleCurrencyCode: request.currencyCode!,
      respCode: '00',
      respMsg: 'success',
      ...extra,
    };
  }

  // ---- Endpoints ------------------------------------------------------------------------------------

  function answer(request: Record<string, string>, fields: Record<string, string>): Record<string, string> {
    return signed({ ...pick(request, [...COMMON, 'orderId', 'txnTime', 'reqReserved']), ...fields });
  }

  /**
   * The page the customer's browser lands on: the PC one for channelType 07, the phone one for 08 (any other
   * channel is not the gateway payment product's); the consume is recorded, to be paid with `pay`.
   */
  function frontConsume(fields: Record<string, string>): { html: string; respCode: string } {
    const channelType = fields.channelType === '08' ? '08' : '07';
    const problem = refusal('front', fields, { txnType: '01', txnSubType: '01', bizType: '000201', channelType, currencyCode: '156' }, ['txnAmt', 'currencyCode', 'frontUrl', 'backUrl', 'payTimeout']);
    if (problem) return { html: `<h1>交易失败</h1><p>${problem[0]} ${problem[1]}</p>`, respCode: problem[0] };
    if (!consumes.get(fields.orderId!)?.queryId) consumes.set(fields.orderId!, { fields, refunded: 0, cancelled: false });
    const heading = channelType === '08' ? 'UnionPay mobile (simulated)' : 'UnionPay (simulated)';
    return { html: `<h1>${heading}</h1><p>Pay ¥${fen(fields.txnAmt!)} for order ${fields.orderId}</p>`, respCode: '00' };
  }

  /** A refund (04) of part or all of what is left, or a cancel (31) of the whole consume on its own day. */
  function backTransaction(fields: Record<string, string>): Record<string, string> {
    const cancel = fields.txnType === '31';
    const problem = refusal('back', fields, { txnType: cancel ? '31' : '04', txnSubType: '00', bizType: '000201', channelType: '07', currencyCode: '156' }, ['txnAmt', 'backUrl', 'origQryId']);
    if (problem) return answer(fields, { respCode: problem[0], respMsg: problem[1] });
    // Only transactions taken are kept: a refused one leaves its orderId free to be sent again.
    if (refunds.has(fields.orderId!) || consumes.has(fields.orderId!)) return answer(fields, { respCode: '12', respMsg: '重复交易' });
    const original = [...consumes.values()].find((c) => c.queryId === fields.origQryId && c.fields.merId === fields.merId);
    if (!original || original.cancelled) return answer(fields, { respCode: '35', respMsg: '原交易不存在或状态不正确' });
    if (cancel) {
      // ACP takes a cancel of a consume nothing was refunded from, for its whole amount, on its settlement
      // day (here: its txnTime's). The specification names no code for a cancel on another day; 39 (交易不在
      // 受理时间范围内, not within the time accepted) is the documented code that fits.
      if (original.refunded > 0) return answer(fields, { respCode: '35', respMsg: '原交易不存在或状态不正确' });
      if (fields.txnAmt !== original.fields.txnAmt) return answer(fields, { respCode: '36', respMsg: '与原交易信息不符' });
      if (settlementDay(Date.now()) !== settlementDay(parseBeijingTime(original.fields.txnTime!))) return answer(fields, { respCode: '39', respMsg: '交易不在受理时间范围内' });
      original.cancelled = true;
    } else if (original.refunded + Number(fields.txnAmt) > Number(original.fields.txnAmt)) {
      return answer(fields, { respCode: '36', respMsg: '与原交易信息不符[退货金额超限]' });
    }
    original.refunded += Number(fields.txnAmt);
    const queryId = randomDigits(21);
    refunds.set(fields.orderId!, { fields, queryId, at: Date.now() });
    notify(fields.backUrl!, notification(fields, queryId, { origQryId: fields.origQryId! }), 'deliver');
    return answer(fields, { txnAmt: fields.txnAmt!, currencyCode: '156', origQryId: fields.origQryId!, queryId, respCode: '00', respMsg: '成功[0000000]' });
  }

  function query(fields: Record<string, string>): Record<string, string> {
    const problem = refusal('query', fields, { txnType: '00', txnSubType: '00', bizType: '000000' }, []);
    if (problem) return answer(fields, { respCode: problem[0], respMsg: problem[1] });
    const found = consumes.get(fields.orderId!) ?? refunds.get(fields.orderId!);
    if (!found || found.fields.txnTime !== fields.txnTime || found.fields.merId !== fields.merId) return answer(fields, { respCode: '34', respMsg: '查无此交易' });
    const original = found.fields;
    return answer(fields, {
      txnAmt: original.txnAmt!,
      currencyCode: original.currencyCode!,
      ...(original.reqReserved !== undefined && { reqReserved: original.reqReserved }),
      ...(found.queryId ? { queryId: found.queryId, origRespCode: '00', origRespMsg: '成功[0000000]' } : { origRespCode: '05', origRespMsg: '交易已受理，请稍后查询交易结果' }),
      respCode: '00',
      respMsg: '成功[0000000]',
    });
  }

  /** The transactions UnionPay settled on a day (`YYYY-MM-DD`), its day ending at 23:00 Beijing time. */
  function settledOn(date: string) {
    const day = date.replaceAll('-', '');
    const paid = [...consumes.values()].flatMap((c) => (c.queryId && c.paidAt !== undefined && settlementDay(c.paidAt) === day ? [{ txnType: '01', orderId: c.fields.orderId!, queryId: c.queryId, txnAmt: Number(c.fields.txnAmt), merId: c.fields.merId!, at: c.paidAt }] : []));
    const refunded = [...refunds.values()].flatMap((r) => {
      const consume = [...consumes.values()].find((c) => c.queryId === r.fields.origQryId);
      return settlementDay(r.at) === day && consume
        ? [{ txnType: r.fields.txnType!, orderId: r.fields.orderId!, origOrderId: consume.fields.orderId!, queryId: r.queryId, origQryId: consume.queryId!, txnAmt: Number(r.fields.txnAmt), merId: r.fields.merId!, at: r.at }]
        : [];
    });
    return [...paid, ...refunded];
  }

  /** The file transfer (txnType 76): the day's files as fileContent, or 98 before they are made. */
  function fileTransfer(fields: Record<string, string>): Record<string, string> {
    const problem = refusal('file', fields, { txnType: '76', txnSubType: '01', bizType: '000000', fileType: '00' }, ['settleDate']);
    if (problem) return answer(fields, { respCode: problem[0], respMsg: problem[1] });
    if (!/^\d{4}$/.test(fields.settleDate!)) return answer(fields, { respCode: '10', respMsg: '报文格式错误[settleDate]' });
    // MMDD: the date of that name nearest today.
    const year = Number(beijingTime(Date.now()).slice(0, 4));
    const distance = (date: string) => Math.abs(Date.parse(`${date}T00:00:00+08:00`) - Date.now());
    const [date] = [year - 1, year, year + 1].map((y) => `${y}-${fields.settleDate!.slice(0, 2)}-${fields.settleDate!.slice(2)}`).sort((a, b) => distance(a) - distance(b));
    if (!statements.ready(date!)) return answer(fields, { respCode: '98', respMsg: '文件不存在' });
    const files = settlementFiles(settledOn(date!).filter((t) => t.merId === fields.merId), fields.merId!, date!, statements, statements.takeFault());
    return answer(fields, { settleDate: fields.settleDate!, fileType: '00', ...files, respCode: '00', respMsg: '成功[0000000]' });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const endpoint = (Object.keys(PATHS) as Endpoint[]).find((key) => PATHS[key] === path);
    if (request.method !== 'POST' || !endpoint) {
      response.writeHead(404).end();
      return;
    }
    const fields = Object.fromEntries(new URLSearchParams(await readBody(request)));
    const reply = (respCode: string, status: number, contentType: string, body: string) => {
      received.push({ endpoint, fields, respCode, at: Date.now() });
      response.writeHead(status, { 'content-type': contentType }).end(body);
    };
    if (endpoint === 'front') {
      const page = frontConsume(fields);
      reply(page.respCode, 200, 'text/html; charset=utf-8', `<!doctype html><html><body>${page.html}</body></html>`);
      return;
    }
    const failure = takeFailure(failures[endpoint], fields);
    const lost = failure && 'httpStatus' in failure ? failure : undefined;
    if (lost && !lost.afterProcessing) return reply(`HTTP ${lost.httpStatus}`, lost.httpStatus, 'text/plain', 'unavailable');
    const answered = failure && 'respCode' in failure ? answer(fields, failure) : endpoint === 'back' ? backTransaction(fields) : endpoint === 'file' ? fileTransfer(fields) : query(fields);
    // With afterProcessing the work is done, but the answer is lost on the way back.
    if (lost) return reply(`HTTP ${lost.httpStatus}`, lost.httpStatus, 'text/plain', 'unavailable');
    reply(answered.respCode ?? '', 200, 'text/plain; charset=utf-8', answerBody(answered));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    merId,

    /** What the merchant stores: merId, its signing key and certificate, and UnionPay's root and middle. */
    merchantCredentials(): Record<string, string> {
      return {
        merId,
        signCertificate: merchant.pem,
        signPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        rootCertificate: chain.root.pem,
        middleCertificate: chain.middle.pem,
      };
    },

    /** The customer pays a submitted front consume; refused once payTimeout has passed. */
    pay(orderId: string, options: { notify?: NotifyMode; delayMs?: number } = {}): 'paid' | 'lapsed' | 'unknown' {
      const consume = consumes.get(orderId);
      if (!consume || consume.queryId) return 'unknown';
      if (Date.now() > parseBeijingTime(consume.fields.payTimeout!)) return 'lapsed';
      consume.queryId = randomDigits(21);
      consume.paidAt = Date.now();
      notify(consume.fields.backUrl!, notification(consume.fields, consume.queryId), options.notify ?? 'deliver', options.delayMs);
      return 'paid';
    },

    /** Sends a payment notification for a submitted, unpaid consume that the receiver must reject; resolves once no notification is under way (these retried until UnionPay gives up). */
    async sendForged(orderId: string, forgery: Forgery): Promise<void> {
      const consume = consumes.get(orderId);
      if (!consume) throw new Error(`no consume ${orderId}`);
      const fields = notification(consume.fields, randomDigits(21));
      const forged = {
        // UnionPay's certificate, someone else's key.
        signature: () => signed(fields, { ...chain.leaf, privateKey: foreignChain().leaf.privateKey }),
        stale: () => signed({ ...fields, txnTime: beijingTime(Date.now() - 8 * 86_400_000) }),
        amount: () => signed(fields),
        merchant: () => signed({ ...fields, merId: OTHER_MER_ID }),
        'foreign-ca': () => signed(fields, foreignChain().leaf),
      }[forgery]();
      await notices.send({ url: consume.fields.backUrl!, fields: forged }, { fault: forgery === 'amount' ? 'corrupt' : 'deliver' });
      await notices.idle();
    },

    /**
     * The merchant refunds in UnionPay's merchant service platform: UnionPay numbers the refund (an orderId
     * of digits) and notifies no one. Returns that orderId.
     */
    refundInDashboard(orderId: string, fen: number): string {
      const consume = consumes.get(orderId);
      if (!consume?.queryId || consume.cancelled || consume.refunded + fen > Number(consume.fields.txnAmt)) throw new Error(`consume ${orderId} cannot be refunded ${fen} fen`);
      consume.refunded += fen;
      const refundOrderId = randomDigits(20);
      const fields = { ...pick(consume.fields, COMMON), txnType: '04', txnSubType: '00', orderId: refundOrderId, txnTime: beijingTime(Date.now()), txnAmt: String(fen), currencyCode: '156', origQryId: consume.queryId };
      refunds.set(refundOrderId, { fields, queryId: randomDigits(21), at: Date.now() });
      return refundOrderId;
    },

    /** Statements: close a day early, plant a fault in the next files, the fee charged. */
    statements,

    /** The next call to `endpoint` (that `when` picks) fails: an HTTP status, optionally after doing the work, or a signed refusal. */
    failNext(endpoint: 'back' | 'query' | 'file', failure: Failure, when: (fields: Record<string, string>) => boolean = () => true) {
      failures[endpoint].push({ failure, when });
    },

    consume: (orderId: string) => consumes.get(orderId),
    /** Refunds and cancels of the consume with this queryId, in the order they came. */
    refundsOf: (queryId: string) => [...refunds.values()].filter((r) => r.fields.origQryId === queryId),
    received: (endpoint: Endpoint, orderId?: string) => received.filter((r) => r.endpoint === endpoint && (orderId === undefined || r.fields.orderId === orderId)),
    /** The deliveries of notifications about this orderId, in the order they were first tried. */
    deliveries(orderId: string): Delivery[] {
      const attempts = notices.attempts.filter((a) => a.orderId === orderId);
      return [...new Set(attempts.map((a) => a.delivery))].map((delivery) => {
        const mine = attempts.filter((a) => a.delivery === delivery);
        return { orderId, txnType: mine[0]!.txnType, attempts: mine };
      });
    },

    async close() {
      await notices.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type UnionPaySimulator = Awaited<ReturnType<typeof startUnionPaySimulator>>;
