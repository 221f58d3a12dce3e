// Notifications as WeChat Pay sends them: a JSON envelope whose `resource` is encrypted with the merchant's
// API v3 key, signed with the platform key in `Wechatpay-*` headers, POSTed to the notify_url. Only HTTP 200
// or 204 counts as received; anything else is retried (WeChat Pay's 15 s / 15 s / 30 s / 3 min… schedule,
// shrunk to milliseconds), each try signed anew.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beijingTime, encryptResource, sign, type PlatformKey } from './crypto.js';

/** What happens to the notification on the way. */
export type Delivery = 'deliver' | 'drop' | 'duplicate' | 'reorder' | 'corrupt';

/** A notification got wrong on purpose; the receiver must refuse each one. */
export type Forgery = 'staleTimestamp' | 'foreignKey' | 'unknownSerial' | 'wrongMchid' | 'tamperedCiphertext';

export interface NotifyOptions {
  /** `reorder` holds it back until the next notification has been delivered; `corrupt` alters a byte after signing. */
  delivery?: Delivery;
  delayMs?: number;
  forgery?: Forgery;
}

export interface Notice {
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  summary: string;
  originalType: 'transaction' | 'refund';
  resource: { mchid: string } & Record<string, unknown>;
}

/** One POST and what came back (`status` undefined: no answer). */
export interface DeliveryAttempt {
  notificationId: string;
  eventType: string;
  attempt: number;
  status: number | undefined;
  contentType: string | null;
  body: string;
}

const RETRY_PAUSES_MS = [100, 100, 200, 600];
const RECEIVED = new Set([200, 204]);

/** Changes the character at `around` (clamped): one byte differs from what was signed or sealed. */
function alterOneCharacter(text: string, around: number): string {
  const at = Math.max(0, Math.min(text.length - 1, around));
  return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

export function createNotifier(keys: { platform: PlatformKey; foreign: PlatformKey; apiV3Key: string }) {
  const attempts: DeliveryAttempt[] = [];
  const held: Array<() => Promise<void>> = [];
  const running = new Set<Promise<void>>();

  function headers(body: string, forgery: Forgery | undefined): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000) - (forgery === 'staleTimestamp' ? 600 : 0));
    const nonce = randomBytes(16).toString('hex');
    const signer = forgery === 'foreignKey' || forgery === 'unknownSerial' ? keys.foreign : keys.platform;
    return {
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-serial': forgery === 'unknownSerial' ? keys.foreign.id : keys.platform.id,
      'wechatpay-signature': sign(signer.privateKey, [timestamp, nonce, body]),
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  function envelope(event: Notice, forgery: Forgery | undefined) {
    const resource = forgery === 'wrongMchid' ? { ...event.resource, mchid: '1900009999' } : event.resource;
    const encrypted = encryptResource(keys.apiV3Key, event.originalType, JSON.stringify(resource));
    if (forgery === 'tamperedCiphertext') encrypted.ciphertext = alterOneCharacter(encrypted.ciphertext, 8);
    return { id: randomUUID(), create_time: beijingTime(), resource_type: 'encrypt-resource', event_type: event.eventType, summary: event.summary, resource: encrypted };
  }

  async function deliver(url: string, sent: ReturnType<typeof envelope>, body: string, options: NotifyOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const signed = headers(body, options.forgery);
      const onTheWire = options.delivery === 'corrupt' ? alterOneCharacter(body, body.indexOf('"ciphertext"') + 20) : body;
      const tried: DeliveryAttempt = { notificationId: sent.id, eventType: sent.event_type, attempt, status: undefined, contentType: null, body: '' };
      try {
        const response = await fetch(url, { method: 'POST', headers: signed, body: onTheWire, signal: AbortSignal.timeout(5_000) });
        Object.assign(tried, { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() });
      } catch {
        // no answer: retried like a refusal
      }
      attempts.push(tried);
      const { status } = tried;
      const pause = RETRY_PAUSES_MS[attempt - 1];
      if ((status !== undefined && RECEIVED.has(status)) || pause === undefined) return;
      await sleep(pause);
    }
  }

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => running.delete(work));
  }

  return {
    attempts,

    /** Sends `event` to `url` (in the background); returns the notification id. */
    notify(url: string, event: Notice, options: NotifyOptions = {}): string {
      const sent = envelope(event, options.forgery);
      const body = JSON.stringify(sent);
      const send = async () => {
        if (options.delayMs) await sleep(options.delayMs);
        await deliver(url, sent, body, options);
        if (options.delivery === 'duplicate') await deliver(url, sent, body, options);
      };
      if (options.delivery === 'drop') return sent.id;
      if (options.delivery === 'reorder') {
        held.push(send);
        return sent.id;
      }
      track(
        send().then(async () => {
          await Promise.all(held.splice(0).map((later) => later()));
        }),
      );
      return sent.id;
    },

    /** Resolves once every notification under way has been delivered or given up. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
