// Sends Alipay notifications as Alipay does: a form POST to the trade's notify_url, repeated until the
// answer is exactly `success` (Alipay waits 4m, 10m, 10m, 1h, 2h, 6h, 15h; here the delays are short).
// Every answer is recorded so tests can check the acknowledgement byte for byte.
import { createDeliveries } from '../delivery.js';

export type { Fault as NotifyMode } from '../delivery.js';

export interface Notification {
  url: string;
  outTradeNo: string;
  /** Signed fields. */
  fields: Record<string, string>;
}

export function createNotifier(retryPausesMs: readonly number[]) {
  return createDeliveries({
    request: (notification: Notification) => ({
      url: notification.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(notification.fields).toString(),
    }),
    /** Changes one digit of trade_no. */
    tamper(body) {
      const fields = new URLSearchParams(body);
      const tradeNo = fields.get('trade_no') ?? '0';
      fields.set('trade_no', `${tradeNo.slice(0, -1)}${tradeNo.at(-1) === '1' ? '2' : '1'}`);
      return fields.toString();
    },
    label: (notification) => ({ notifyId: notification.fields.notify_id ?? '', outTradeNo: notification.outTradeNo }),
    settles: (answer) => answer.status === 200 && answer.body === 'success',
    retryPausesMs,
  });
}
