// Back notifications (form-encoded POSTs to backUrl): verified UnionPay's way, checked against the merchant,
// then mapped onto our payment and refund events (a cancel is a refund to us). Event ids are txnType and
// queryId, which UnionPay keeps across its retries.
import type { GatewayNotification } from '../../domain/gateway-reports.js';
import { NotificationRejected } from '../types.js';
import { currencyOf, parseAcpAmount, parseAcpTime } from './acp-format.js';
import { AcpSignatureError, verifyAcpSignature } from './acp-signature.js';
import type { UnionPayMerchant } from './merchant.js';
import { idsFrom } from './order-ids.js';
import { paymentStatus, refundStatus } from './response-codes.js';

/**
 * ACP notifications carry no send time, only txnTime (when we started the transaction), and UnionPay
 * retries an unacknowledged one for hours. A window of days still turns away old replays; anything it
 * turns away that was real is found by the order's own queries. A little future allows for clock skew.
 */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 10 * 60 * 1000;

/** Transaction types we send: a consume (payment), a refund (退货), a same-day cancel (消费撤销). */
export const TXN_TYPES = { consume: '01', refund: '04', cancel: '31' } as const;

function reject(message: string, status: 400 | 401 = 401): never {
  throw new NotificationRejected(message, status);
}

export function readNotification(merchant: UnionPayMerchant, body: string, now = Date.now()): GatewayNotification {
  const fields = Object.fromEntries(new URLSearchParams(body));
  try {
    verifyAcpSignature(fields, merchant.trust, now);
  } catch (error) {
    if (error instanceof AcpSignatureError) reject(error.message);
    throw error;
  }
  if (fields.merId !== merchant.merId) reject(`notification for merId ${fields.merId ?? '(none)'}, not this merchant's`);
  const txnTime = parseAcpTime(fields.txnTime);
  if (txnTime === undefined) reject('notification without a valid txnTime', 400);
  if (txnTime < now - MAX_AGE_MS || txnTime > now + MAX_AHEAD_MS) reject(`stale notification: txnTime ${fields.txnTime} is outside the accepted window`);

  const { txnType, queryId, respCode } = fields;
  if (!queryId) reject('notification without queryId', 400);
  const ids = idsFrom(fields.orderId, fields.reqReserved);
  if (!ids) reject(`orderId ${fields.orderId ?? '(none)'} is not one of ours`, 400);
  const common = { eventId: `${txnType}:${queryId}`, gatewayReference: queryId, occurredAt: new Date(now).toISOString() };
  if (txnType === TXN_TYPES.consume) {
    return { kind: 'payment', paymentId: ids.id, status: paymentStatus(respCode), amount: parseAcpAmount(fields.txnAmt), currency: currencyOf(fields.currencyCode), ...common };
  }
  if (txnType === TXN_TYPES.refund || txnType === TXN_TYPES.cancel) {
    const status = refundStatus(respCode);
    return {
      kind: 'refund',
      refundId: ids.id,
      ...(ids.paymentId !== undefined && { paymentId: ids.paymentId }),
      status,
      ...(status === 'failed' && { failureReason: `UnionPay: ${respCode ?? ''} ${fields.respMsg ?? ''}`.trim() }),
      ...common,
    };
  }
  return reject(`unexpected txnType ${txnType ?? '(none)'}`, 400);
}
