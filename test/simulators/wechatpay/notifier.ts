// Notifications as WeChat Pay sends them: a JSON envelope whose `resource` is encrypted with the merchant's
// API v3 key, signed with the platform key in `Wechatpay-*` headers, POSTed to the notify_url. Only HTTP 200
// or 204 counts as received; anything else is retried (WeChat Pay's 15 s / 15 s / 30 s / 3 min… schedule,
// shrunk to milliseconds), each try signed anew.
import { randomBytes, randomUUID } from 'node:crypto';
import { createDeliveries, type Fault } from '../delivery.js';
import { beijingTime, encryptResource, sign, type PlatformKey } from './crypto.js';

/** A notification got wrong on purpose; the receiver must refuse each one. */
export type Forgery = 'staleTimestamp' | 'foreignKey' | 'unknownSerial' | 'wrongMchid' | 'tamperedCiphertext';

export interface NotifyOptions {
  /** What happens on the way; `corrupt` alters a byte of the ciphertext after signing. */
  delivery?: Fault;
  delayMs?: number;
  forgery?: Forgery;
}

export interface Notice {
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';
  summary: string;
  originalType: 'transaction' | 'refund';
  resource: { mchid: string } & Record<string, unknown>;
}

/** Changes the character at `around` (clamped): one byte differs from what was signed or sealed. */
function alterOneCharacter(text: string, around: number): string {
  const at = Math.max(0, Math.min(text.length - 1, around));
  return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

export function createNotifier(keys: { platform: PlatformKey; foreign: PlatformKey; apiV3Key: string }) {
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

  const deliveries = createDeliveries({
    request: (sent: { url: string; id: string; eventType: string; body: string; forgery: Forgery | undefined }) => ({ url: sent.url, headers: headers(sent.body, sent.forgery), body: sent.body }),
    tamper: (body) => alterOneCharacter(body, body.indexOf('"ciphertext"') + 20),
    label: (sent) => ({ notificationId: sent.id, eventType: sent.eventType }),
    settles: (answer) => answer.status === 200 || answer.status === 204,
    retryPausesMs: [100, 100, 200, 600],
  });

  return {
    /** Every POST and what came back. */
    attempts: deliveries.attempts,

    /** Sends `event` to `url` (in the background); returns the notification id. */
    notify(url: string, event: Notice, options: NotifyOptions = {}): string {
      const sent = envelope(event, options.forgery);
      void deliveries.send({ url, id: sent.id, eventType: sent.event_type, body: JSON.stringify(sent), forgery: options.forgery }, { fault: options.delivery, delayMs: options.delayMs });
      return sent.id;
    },

    idle: deliveries.idle,
  };
}
