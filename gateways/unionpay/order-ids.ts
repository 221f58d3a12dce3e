// ACP orderIds are 8–32 letters and digits. A payment's is its trade number (`pay…`, 27 characters). Refund
// ids (`rf_` and 32 hex digits) make 50-character trade numbers, so a refund's orderId is a digest of its
// id instead; it starts with an uppercase letter, which no trade number does. Every request also carries
// our ids in reqReserved, which UnionPay returns with answers and notifications: that is how a digest is
// mapped back, and the orderId must be the one derived from it.
import { createHash } from 'node:crypto';
import { toTradeNo } from '../trade-numbers.js';

const MAX_ORDER_ID = 32;

export function orderIdFor(id: string): string {
  const tradeNo = toTradeNo(id);
  if (tradeNo.length <= MAX_ORDER_ID) return tradeNo;
  return `R${createHash('sha256').update(id).digest('hex').toUpperCase().slice(0, MAX_ORDER_ID - 1)}`;
}

/** reqReserved: the transaction's own id, then (for a refund) its payment's, comma-separated. */
export function reqReservedFor(ids: readonly string[]): string {
  return ids.join(',');
}

/** Our ids from a returned reqReserved, when they are the ones `orderId` was made from. */
export function idsFrom(orderId: string | undefined, reqReserved: string | undefined): { id: string; paymentId?: string } | undefined {
  const [id, paymentId] = reqReserved?.split(',') ?? [];
  if (!id || orderId === undefined) return undefined;
  try {
    return orderIdFor(id) === orderId ? { id, ...(paymentId !== undefined && { paymentId }) } : undefined;
  } catch {
    return undefined;
  }
}
