// Whether a refund goes to UnionPay as a cancel (消费撤销, txnType 31) rather than a refund (退货, 04). A
// cancel voids a payment before it settles: the whole amount, back to the card at once. UnionPay takes one
// only on the payment's settlement day, which runs from about 23:00 Beijing time the day before to about
// 23:00, and only for the full amount of a payment nothing was refunded from yet.
import type { RefundRequest } from '../types.js';
import { acpTime } from './acp-format.js';

/**
 * The Beijing time (HHmm) from which no cancel is sent. Where the settlement day ends is UnionPay's to set,
 * not to the minute; keeping to the calendar date and stopping half an hour short keeps a cancel well
 * inside it. Later, and on any other day, a refund (04) does the same job, as it does at once for a cancel
 * UnionPay still finds too late (39).
 */
const CUT_OFF = '2230';

/** The Beijing date (yyyyMMdd) of an instant before that day's cut-off; undefined after it, or for no instant. */
function dayBeforeCutOff(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const time = acpTime(new Date(ms).toISOString());
  return time.slice(8, 12) < CUT_OFF ? time.slice(0, 8) : undefined;
}

/**
 * A full refund of a payment made on the Beijing day it was requested, before the cut-off, and still sent
 * on that day (a refund that waited for approval may go out a day later). Time only moves forward, so a
 * retry can turn a cancel into a refund, never the reverse; the retry asks UnionPay first either way.
 */
export function isSameDayCancel(request: Pick<RefundRequest, 'amount' | 'paymentAmount' | 'paidAt' | 'createdAt'>, now: Date): boolean {
  if (request.amount !== request.paymentAmount || request.paidAt === undefined) return false;
  const [paidOn, ...others] = [Date.parse(request.paidAt), Date.parse(request.createdAt), now.getTime()].map(dayBeforeCutOff);
  return paidOn !== undefined && others.every((day) => day === paidOn);
}
