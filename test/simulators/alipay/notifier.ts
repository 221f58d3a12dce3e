// Sends Alipay notifications as Alipay does: a form POST to the trade's notify_url, repeated until the
// answer is exactly `success` (Alipay waits 4m, 10m, 10m, 1h, 2h, 6h, 15h; here the delays are short).
// Every answer is recorded so tests can check the acknowledgement byte for byte.

/** What happens to one notification: delivered, lost, sent twice, altered after signing, held back, or late. */
export type NotifyMode = 'deliver' | 'drop' | 'duplicate' | 'corrupt' | 'reorder' | { delayMs: number };

export interface Delivery {
  notifyId: string;
  outTradeNo: string;
  attempt: number;
  /** 0 when the notify URL could not be reached. */
  status: number;
  contentType: string;
  body: string;
}

export interface Notification {
  url: string;
  outTradeNo: string;
  /** Signed fields. */
  fields: Record<string, string>;
}

/** Changes one digit of trade_no, after signing: the signature no longer matches. */
function corrupted(fields: Record<string, string>): Record<string, string> {
  const tradeNo = fields.trade_no ?? '0';
  const last = tradeNo.at(-1) === '1' ? '2' : '1';
  return { ...fields, trade_no: `${tradeNo.slice(0, -1)}${last}` };
}

export function createNotifier(retryDelaysMs: readonly number[]) {
  const deliveries: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  /** Notifications held back (`reorder`) until the next one for the same trade has gone out. */
  const held = new Map<string, Array<() => Promise<void>>>();
  let stopped = false;

  function later(ms: number, fn: () => Promise<void>): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void fn();
    }, ms);
    timers.add(timer);
  }

  async function attempt(notification: Notification, fields: Record<string, string>, number: number): Promise<void> {
    if (stopped) return;
    let record: Delivery;
    try {
      const response = await fetch(notification.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(fields).toString(),
      });
      record = { notifyId: fields.notify_id ?? '', outTradeNo: notification.outTradeNo, attempt: number, status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    } catch {
      record = { notifyId: fields.notify_id ?? '', outTradeNo: notification.outTradeNo, attempt: number, status: 0, contentType: '', body: '' };
    }
    deliveries.push(record);
    const acknowledged = record.status === 200 && record.body === 'success';
    const delay = retryDelaysMs[number - 1];
    if (!acknowledged && delay !== undefined) later(delay, () => attempt(notification, fields, number + 1));
  }

  /** Resolves once the first attempt is over (at once for notifications that are dropped, held or late). */
  async function send(notification: Notification, mode: NotifyMode = 'deliver'): Promise<void> {
    const first = () => attempt(notification, mode === 'corrupt' ? corrupted(notification.fields) : notification.fields, 1);
    if (mode === 'drop') return;
    if (mode === 'reorder') {
      held.set(notification.outTradeNo, [...(held.get(notification.outTradeNo) ?? []), first]);
      return;
    }
    if (typeof mode === 'object') {
      later(mode.delayMs, first);
      return;
    }
    await first();
    if (mode === 'duplicate') await first();
    const release = held.get(notification.outTradeNo) ?? [];
    held.delete(notification.outTradeNo);
    for (const deliver of release) await deliver();
  }

  return {
    deliveries,
    send,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
