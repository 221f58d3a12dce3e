// The transaction and refund resources WeChat Pay answers queries with (and encrypts into notifications),
// and what their states mean for us.
import { z } from 'zod';
import type { PaymentResult, RefundResult } from '../../domain/gateway-reports.js';

export const TransactionSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  success_time: z.string().optional(),
  /** Fen. `total` is what the order was for; `payer_total` what the payer's own money covered (coupons aside). */
  amount: z.object({ total: z.number().int().optional(), payer_total: z.number().int().optional(), currency: z.string().optional() }).optional(),
});
export type Transaction = z.infer<typeof TransactionSchema>;

const PAYMENT_STATUS: Record<Transaction['trade_state'], Exclude<PaymentResult['status'], 'not_found'>> = {
  SUCCESS: 'succeeded',
  // Paid, then refunded in part or whole: the payment itself did succeed.
  REFUND: 'succeeded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};

export function toPaymentResult(transaction: Transaction): PaymentResult & { status: Exclude<PaymentResult['status'], 'not_found'> } {
  const { amount, transaction_id: reference } = transaction;
  const paidAt = Date.parse(transaction.success_time ?? '');
  return {
    status: PAYMENT_STATUS[transaction.trade_state],
    // The order amount settles to the merchant whatever share coupons paid; the workflow compares it.
    ...(amount?.total !== undefined && { amount: amount.total }),
    ...(amount?.currency && { currency: amount.currency }),
    ...(reference && { gatewayReference: reference }),
    ...(Number.isFinite(paidAt) && { paidAt: new Date(paidAt).toISOString() }),
  };
}

const REFUND_STATES = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'] as const;
type RefundState = (typeof REFUND_STATES)[number];

/** As the refund API and the refund query answer it. */
export const RefundSchema = z.object({ refund_id: z.string(), out_refund_no: z.string(), status: z.enum(REFUND_STATES) });

/** As a refund notification carries it (the state under another name). */
export const RefundNoticeSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.enum(REFUND_STATES),
});

export function toRefundResult(state: RefundState, refundReference: string): RefundResult & { status: Exclude<RefundResult['status'], 'not_found'> } {
  switch (state) {
    case 'SUCCESS':
      return { status: 'succeeded', gatewayReference: refundReference };
    case 'CLOSED':
      return { status: 'failed', gatewayReference: refundReference, failureReason: 'WeChat Pay closed the refund (CLOSED).' };
    // ABNORMAL: the payer's bank card refused the money; the merchant re-routes it in the merchant platform,
    // after which it goes on to SUCCESS. Not final, so not a failure: calling it failed invites a second refund.
    case 'ABNORMAL':
    case 'PROCESSING':
      return { status: 'processing', gatewayReference: refundReference };
  }
}
