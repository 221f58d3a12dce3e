// ACP orderIds are 8–32 letters and digits: ours are the trade numbers of our ids (`pay…`, `rfd…`, 27
// characters for ids of 12 random bytes) and map straight back. Every request also carries our ids in
// reqReserved, which UnionPay returns with answers and notifications: a refund's names its payment, so a
// refund notification finds its order even before the refund itself is stored.
import { fromTradeNo, toTradeNo } from '../trade-numbers.js';
import { GatewayError } from '../types.js';

export function orderIdFor(id: string): string {
  const tradeNo = toTradeNo(id);
  // The workflow's earlier refund ids (`rf_` and 32 hex digits) made 50 characters; none of them ever
  // reached UnionPay, whose orders all began after refund ids took their present shape.
  if (!/^[0-9A-Za-z]{8,32}$/.test(tradeNo)) throw new GatewayError('invalid_request', `${id} makes no UnionPay orderId (8–32 letters and digits)`);
  return tradeNo;
}

/** reqReserved: the transaction's own id, then (for a refund) its payment's, comma-separated. */
export function reqReservedFor(ids: readonly string[]): string {
  return ids.join(',');
}

/** Our id from an orderId, with the payment's from reqReserved when that is about the same transaction. */
export function idsFrom(orderId: string | undefined, reqReserved: string | undefined): { id: string; paymentId?: string } | undefined {
  const id = orderId === undefined ? undefined : fromTradeNo(orderId);
  if (id === undefined) return undefined;
  const [own, paymentId] = reqReserved?.split(',') ?? [];
  return { id, ...(own === id && paymentId !== undefined && { paymentId }) };
}
