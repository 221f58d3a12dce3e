// Alipay's asynchronous notification (`trade_status_sync`): a form POST whose fields Alipay signs. It is
// verified (signature, app, freshness) before anything in it is believed, then read in our terms. Refunds
// come as the same notification with the refund's fields added.
import { z } from 'zod';
import { fromTradeNo } from '../trade-numbers.js';
import type { GatewayNotification } from '../../domain/gateway-reports.js';
import { NotificationRejected, type RawNotification } from '../types.js';
import type { AlipayClient } from './client.js';
import { fromBeijingTime, fromYuan, PAYMENT_STATUS, TRADE_STATUSES } from './format.js';

// Alipay signs no timestamp other than notify_time and retries an unacknowledged notification for about
// 25 hours (4m, 10m, 10m, 1h, 2h, 6h, 15h): older than 48 hours is a replay, not a retry. A few minutes
// ahead allow for clock skew.
const MAX_AGE_MS = 48 * 60 * 60 * 1000;
const MAX_AHEAD_MS = 5 * 60 * 1000;

const NotificationSchema = z.object({
  notify_id: z.string().min(1),
  out_trade_no: z.string(),
  trade_no: z.string().optional(),
  trade_status: z.enum(TRADE_STATUSES),
  total_amount: z.string().optional(),
  gmt_payment: z.string().optional(),
  /** Present on refunds only: our refund number (out_request_no). */
  out_biz_no: z.string().optional(),
  gmt_refund: z.string().optional(),
});

function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (name in fields) throw new NotificationRejected(`notification repeats the field ${name}`, 400);
    fields[name] = value;
  }
  return fields;
}

function ourId(tradeNo: string, field: string): string {
  const id = fromTradeNo(tradeNo);
  if (id === undefined) throw new NotificationRejected(`notification ${field} ${tradeNo} is not one of ours`, 400);
  return id;
}

/** When it happened: the event's own time when it carries one, else when Alipay sent it. */
function occurredAt(eventTime: string | undefined, notifiedAt: Date): string {
  return (eventTime === undefined ? undefined : fromBeijingTime(eventTime))?.toISOString() ?? notifiedAt.toISOString();
}

export function readNotification(client: AlipayClient, raw: RawNotification, now: Date): GatewayNotification {
  const fields = formFields(raw.body);
  if (!client.signedByAlipay(fields)) throw new NotificationRejected('notification signature does not verify with the alipayPublicKey');
  if (fields.app_id !== client.appId) throw new NotificationRejected(`notification is for another Alipay app (${fields.app_id ?? 'none'})`);
  const notifiedAt = fromBeijingTime(fields.notify_time ?? '');
  if (!notifiedAt) throw new NotificationRejected('notification has no valid notify_time', 400);
  const age = now.getTime() - notifiedAt.getTime();
  if (age > MAX_AGE_MS || age < -MAX_AHEAD_MS) throw new NotificationRejected(`notification is stale or from the future (notify_time ${fields.notify_time})`);

  const parsed = NotificationSchema.safeParse(fields);
  if (!parsed.success) throw new NotificationRejected(`notification is not a trade status notification: ${parsed.error.message}`, 400);
  const n = parsed.data;
  const paymentId = ourId(n.out_trade_no, 'out_trade_no');

  if (n.out_biz_no !== undefined) {
    // Alipay notifies only refunds that have been paid out.
    return {
      kind: 'refund',
      eventId: n.notify_id,
      refundId: ourId(n.out_biz_no, 'out_biz_no'),
      paymentId,
      status: 'succeeded',
      occurredAt: occurredAt(n.gmt_refund, notifiedAt),
    };
  }
  const amount = n.total_amount === undefined ? undefined : fromYuan(n.total_amount);
  if (amount === undefined) throw new NotificationRejected(`notification total_amount is not an amount: ${n.total_amount ?? 'missing'}`, 400);
  return {
    kind: 'payment',
    eventId: n.notify_id,
    paymentId,
    status: PAYMENT_STATUS[n.trade_status],
    amount,
    // Domestic Alipay trades settle in yuan only.
    currency: 'CNY',
    ...(n.trade_no !== undefined && { gatewayReference: n.trade_no }),
    occurredAt: occurredAt(n.gmt_payment, notifiedAt),
  };
}
