// UnionPay Online (ACP 5.1.0) over node:crypto. The customer pays on UnionPay's page, reached by posting a
// signed form (front consume); refunds (same-day cancels where they can be) and queries are signed back-end
// calls whose signed answers are verified before anything in them is believed; results arrive as signed
// back notifications.
import { profileOf } from '../../domain/gateways.js';
import type { PaymentResult, RefundResult } from '../../domain/gateway-reports.js';
import { GatewayError, kindOfHttpStatus, StatementNotReady, type GatewayAdapter, type GatewayContext } from '../types.js';
import { acpAmount, acpTime, CNY_CODE, currencyOf, parseAcpAmount, parseAcpAnswer } from './acp-format.js';
import { AcpSignatureError, signFields, verifyAcpSignature } from './acp-signature.js';
import { memoByCredentials } from '../credential-memo.js';
import { unionPayMerchant, type UnionPayMerchant } from './merchant.js';
import { readNotification, TXN_TYPES } from './notification.js';
import { orderIdFor, reqReservedFor } from './order-ids.js';
import { acpError, acpOutcome, isAcceptance, paymentStatus, refundStatus } from './response-codes.js';
import { isSameDayCancel } from './same-day-cancel.js';
import { readSettlementFiles } from './settlement-file.js';
import { readStatement, statementDate } from '../statement-files.js';

export interface UnionPayAdapterDeps {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The clock that decides whether a full refund can still be a same-day cancel. */
  now?: () => Date;
}

const PATHS = {
  front: '/gateway/api/frontTransReq.do',
  back: '/gateway/api/backTransReq.do',
  query: '/gateway/api/queryTrans.do',
} as const;

/**
 * Where files are fetched: UnionPay serves them from filedownload.95516.com beside gateway.95516.com (and
 * filedownload.test.95516.com beside gateway.test.95516.com); any other base (a simulator) serves both.
 */
export function fileTransferUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (/^gateway\.(test\.)?95516\.com$/.test(url.hostname)) url.hostname = url.hostname.replace(/^gateway\./, 'filedownload.');
  url.pathname = '/';
  return url.toString();
}

/** respCode of a file transfer for a file UnionPay does not have (yet). */
const FILE_NOT_FOUND = '98';

function requireCny(currency: string): void {
  if (currency !== 'CNY') throw new GatewayError('invalid_request', `UnionPay Online here settles CNY only, not ${currency}`);
}

/** The fields every request has; bizType 000201 is the B2C gateway product, channel 07 the PC web. */
function baseFields(merchant: UnionPayMerchant, txnType: string, txnSubType: string, bizType = '000201'): Record<string, string> {
  return { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', txnType, txnSubType, bizType, accessType: '0', merId: merchant.merId };
}

export function createUnionPayAdapter(deps: UnionPayAdapterDeps): GatewayAdapter {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? (() => new Date());
  const base = deps.baseUrl.replace(/\/+$/, '');
  const merchantOf = memoByCredentials(unionPayMerchant);

  /**
   * One signed back-end call. An answer that carries a signature is verified; one without is believed only
   * as a refusal, which moves no money. An answer that accepts must be about our merchant, order and amount.
   */
  async function call(merchant: UnionPayMerchant, path: string, fields: Record<string, string>, url = `${base}${path}`): Promise<Record<string, string>> {
    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(signFields(fields, merchant.signer)).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') throw new GatewayError('timeout', `UnionPay did not answer ${path} within ${timeoutMs} ms`);
      throw new GatewayError('network', `UnionPay unreachable for ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (status !== 200) {
      const kind = kindOfHttpStatus(status);
      throw new GatewayError(kind, `UnionPay answered ${path} with HTTP ${status}${kind === 'invalid_request' ? '; check UNIONPAY_BASE_URL' : ''}`);
    }
    const answer = parseAcpAnswer(text);
    if (answer.respCode === undefined) throw new GatewayError('server', `UnionPay answered ${path} without respCode`);
    const accepts = isAcceptance(acpOutcome(answer.respCode));
    if (answer.signature === undefined) {
      if (accepts) throw new GatewayError('auth', `UnionPay's answer to ${path} is not signed`);
      return answer;
    }
    try {
      verifyAcpSignature(answer, merchant.trust);
    } catch (error) {
      if (!(error instanceof AcpSignatureError)) throw error;
      throw new GatewayError('auth', `UnionPay's answer to ${path} did not verify (${error.message}); check rootCertificate and middleCertificate`);
    }
    const otherAmount = fields.txnAmt !== undefined && answer.txnAmt !== undefined && answer.txnAmt !== fields.txnAmt;
    if (accepts && (answer.merId !== merchant.merId || answer.orderId !== fields.orderId || otherAmount)) {
      throw new GatewayError('auth', `UnionPay's answer to ${path} is about another merchant, order or amount`);
    }
    return answer;
  }

  /** A transaction by orderId and txnTime; undefined when UnionPay has none. */
  async function query(merchant: UnionPayMerchant, id: string, createdAt: string): Promise<Record<string, string> | undefined> {
    // Queries are product-neutral: bizType 000000.
    const fields = { ...baseFields(merchant, '00', '00', '000000'), orderId: orderIdFor(id), txnTime: acpTime(createdAt) };
    const answer = await call(merchant, PATHS.query, fields);
    const outcome = acpOutcome(answer.respCode);
    if (outcome === 'not_found') return undefined;
    if (outcome === 'ok') return answer;
    // 03/04/05 here mean the query itself got no answer yet.
    throw acpError(outcome === 'in_process' || outcome === 'duplicate' ? 'server' : outcome, 'query', answer);
  }

  async function queryPayment(ctx: GatewayContext, paymentId: string, createdAt: string): Promise<PaymentResult> {
    const answer = await query(merchantOf(ctx.credentials), paymentId, createdAt);
    if (!answer) return { status: 'not_found' };
    return { status: paymentStatus(answer.origRespCode), amount: parseAcpAmount(answer.txnAmt), currency: currencyOf(answer.currencyCode), gatewayReference: answer.queryId };
  }

  return {
    ...profileOf('unionpay'),

    // Nothing is sent yet: the customer's browser posts the signed form to UnionPay, for its PC page
    // (channelType 07) or, in the mobile_web flow, its phone page (08).
    async createPayment(ctx, request) {
      const merchant = merchantOf(ctx.credentials);
      requireCny(request.currency);
      const fields = {
        ...baseFields(merchant, TXN_TYPES.consume, '01'),
        channelType: request.flow === 'mobile_web' ? '08' : '07',
        orderId: orderIdFor(request.paymentId),
        txnTime: acpTime(request.createdAt),
        txnAmt: acpAmount(request.amount),
        currencyCode: CNY_CODE,
        frontUrl: request.returnUrl,
        backUrl: ctx.notifyUrl,
        // After this UnionPay refuses the payment, so the order's window is the gateway's too.
        payTimeout: acpTime(request.expiresAt),
        reqReserved: reqReservedFor([request.paymentId]),
      };
      return { action: { type: 'form_post', url: `${base}${PATHS.front}`, fields: signFields(fields, merchant.signer) } };
    },

    queryPayment: (ctx, { paymentId, createdAt }) => queryPayment(ctx, paymentId, createdAt),

    // ACP cannot close a front consume; payTimeout lapses it. So the close asks what became of it.
    async closePayment(ctx, { paymentId, createdAt }) {
      const result = await queryPayment(ctx, paymentId, createdAt);
      return result.status === 'succeeded' ? result : { status: 'closed' };
    },

    async refund(ctx, request) {
      const merchant = merchantOf(ctx.credentials);
      requireCny(request.currency);
      if (!request.gatewayReference) throw new GatewayError('invalid_request', 'the payment has no UnionPay queryId to refund');
      // Cancel and refund take the same fields; either is found again by its orderId and txnTime.
      const cancel = isSameDayCancel(request, now());
      const fields = {
        ...baseFields(merchant, cancel ? TXN_TYPES.cancel : TXN_TYPES.refund, '00'),
        channelType: '07',
        orderId: orderIdFor(request.refundId),
        txnTime: acpTime(request.createdAt),
        txnAmt: acpAmount(request.amount),
        currencyCode: CNY_CODE,
        backUrl: ctx.notifyUrl,
        origQryId: request.gatewayReference,
        reqReserved: reqReservedFor([request.refundId, request.paymentId]),
      };
      const first = await call(merchant, PATHS.back, fields);
      // 39: UnionPay's settlement day for the payment ended before ours did. A refund does the same job, at
      // once and under the same orderId and txnTime, so queryRefund finds whichever went through. The refused
      // cancel moved nothing; were it kept under that orderId, the refund would meet 12 and the query the 39.
      const late = cancel && first.respCode === '39';
      const answer = late ? await call(merchant, PATHS.back, { ...fields, txnType: TXN_TYPES.refund }) : first;
      const outcome = acpOutcome(answer.respCode);
      // Accepted, or already known by this orderId (a retry whose first try arrived): the result follows.
      if (isAcceptance(outcome)) return { status: 'processing', ...(answer.queryId && { gatewayReference: answer.queryId }) };
      throw acpError(outcome === 'not_found' ? 'invalid_request' : outcome, cancel && !late ? 'cancel' : 'refund', answer);
    },

    async queryRefund(ctx, { refundId, createdAt }): Promise<RefundResult> {
      const answer = await query(merchantOf(ctx.credentials), refundId, createdAt);
      if (!answer) return { status: 'not_found' };
      const status = refundStatus(answer.origRespCode);
      return { status, gatewayReference: answer.queryId, ...(status === 'failed' && { failureReason: `UnionPay: ${answer.origRespCode ?? ''} ${answer.origRespMsg ?? ''}`.trim() }) };
    },

    async verifyNotification(ctx, raw) {
      return readNotification(merchantOf(ctx.credentials), raw.body);
    },

    // The day's files (txnType 76, fileType 00 for the zip), by settleDate: MMDD, UnionPay's day ending at
    // 23:00 Beijing time. They are made the morning after; until then UnionPay answers 98.
    async fetchStatement(ctx, day) {
      const merchant = merchantOf(ctx.credentials);
      const date = statementDate(day);
      const fields = { ...baseFields(merchant, '76', '01', '000000'), settleDate: `${date.slice(5, 7)}${date.slice(8, 10)}`, txnTime: acpTime(now().toISOString()), fileType: '00' };
      const answer = await call(merchant, 'file transfer', fields, fileTransferUrl(base));
      if (answer.respCode === FILE_NOT_FOUND) throw new StatementNotReady(`UnionPay has no settlement files for ${date} yet: ${answer.respCode} ${answer.respMsg ?? ''}`.trim());
      const outcome = acpOutcome(answer.respCode);
      // 03/04/05 and 34 mean no file came back this time: worth asking again.
      if (outcome !== 'ok') throw acpError(isAcceptance(outcome) || outcome === 'not_found' ? 'server' : outcome, 'file transfer', answer);
      return { day, lines: readStatement(`UnionPay's settlement files for ${date}`, () => readSettlementFiles(answer.fileContent ?? '', merchant.merId, date)) };
    },

    // UnionPay looks only at the status: 200 ends its retries.
    acknowledge(accepted) {
      return accepted ? { status: 200, contentType: 'text/plain', body: 'ok' } : { status: 500, contentType: 'text/plain', body: 'retry later' };
    },
  };
}
