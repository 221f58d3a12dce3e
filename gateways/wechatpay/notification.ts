// WeChat Pay notifications: signed over `timestamp\nnonce\nbody\n` with the platform key, the resource inside
// encrypted with the merchant's API v3 key (AES-256-GCM). Verified in that order, then checked to be this
// merchant's, then mapped onto our ids.
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { z } from 'zod';
import { fromTradeNo } from '../trade-numbers.js';
import type { GatewayNotification } from '../../domain/gateway-reports.js';
import { GatewayError, NotificationRejected, type RawNotification } from '../types.js';
import { platformKeyLapse, type WechatPayMerchant } from './merchant.js';
import { RefundNoticeSchema, toPaymentResult, toRefundResult, TransactionSchema } from './resources.js';

/** WeChat Pay's own tolerance for its answers' timestamps; notifications get the same (their retries are re-signed). */
const MAX_CLOCK_SKEW_SECONDS = 300;

const EnvelopeSchema = z.object({
  id: z.string().min(1),
  /** RFC 3339 with an offset (`2024-06-01T18:00:00+08:00`). */
  create_time: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an RFC 3339 time'),
  event_type: z.string(),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string(),
    associated_data: z.string().default(''),
    nonce: z.string(),
  }),
});

const GCM_TAG_BYTES = 16;

function header(raw: RawNotification, name: string): string {
  const value = raw.headers[name];
  if (!value) throw new NotificationRejected(`notification without the ${name} header`);
  return value;
}

/** Signature and freshness: a probe (`WECHATPAY/SIGNTEST/…`), a forgery or a replay all stop here; so does a lapsed key. */
function verifySignature(merchant: WechatPayMerchant, raw: RawNotification, now: Date): void {
  const timestamp = header(raw, 'wechatpay-timestamp');
  const nonce = header(raw, 'wechatpay-nonce');
  const signature = header(raw, 'wechatpay-signature');
  const serial = header(raw, 'wechatpay-serial');
  const signedAt = Number(timestamp);
  if (!Number.isInteger(signedAt) || Math.abs(Math.floor(now.getTime() / 1000) - signedAt) > MAX_CLOCK_SKEW_SECONDS) {
    throw new NotificationRejected(`notification timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s away from now`);
  }
  if (serial.toUpperCase() !== merchant.platformKeyId) throw new NotificationRejected(`notification signed with key ${serial}, not this merchant's platformKeyId`);
  // The merchant's configuration, not the notification, is at fault: WeChat Pay is asked to retry, and a
  // retry after the certificate has been renewed goes through.
  const lapse = platformKeyLapse(merchant, now);
  if (lapse) throw new GatewayError('auth', `WeChat Pay credentials: ${lapse}; the notification cannot be verified.`);
  let valid: boolean;
  try {
    valid = Rsa.verify(Formatter.response(timestamp, nonce, raw.body), signature, merchant.platformKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new NotificationRejected('notification signature does not verify with the platform key');
}

function decrypt(merchant: WechatPayMerchant, resource: z.infer<typeof EnvelopeSchema>['resource']): unknown {
  // The plugin takes the last 16 bytes as the tag; anything shorter would leave it a truncated tag to check.
  if (Buffer.from(resource.ciphertext, 'base64').length <= GCM_TAG_BYTES) throw new NotificationRejected('notification resource is too short to carry a GCM tag', 400);
  let plaintext: string;
  try {
    plaintext = Aes.AesGcm.decrypt(resource.ciphertext, merchant.apiV3Key, resource.nonce, resource.associated_data);
  } catch {
    throw new NotificationRejected('notification resource does not decrypt with the API v3 key (tampered, or another key)', 400);
  }
  try {
    return JSON.parse(plaintext);
  } catch {
    throw new NotificationRejected('notification resource is not JSON', 400);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotificationRejected(`notification ${what} is malformed: ${parsed.error.message}`, 400);
  return parsed.data;
}

function ourId(tradeNo: string, field: string): string {
  const id = fromTradeNo(tradeNo);
  if (id === undefined) throw new NotificationRejected(`notification ${field} ${tradeNo} is not one of ours`, 400);
  return id;
}

function checkMerchant(merchant: WechatPayMerchant, mchid: string): void {
  if (mchid !== merchant.mchId) throw new NotificationRejected(`notification is for merchant ${mchid}, not this one`);
}

export function verifyWechatPayNotification(merchant: WechatPayMerchant, raw: RawNotification, now: Date): GatewayNotification {
  verifySignature(merchant, raw, now);
  let json: unknown;
  try {
    json = JSON.parse(raw.body);
  } catch {
    throw new NotificationRejected('notification body is not JSON', 400);
  }
  const envelope = parse(EnvelopeSchema, json, 'envelope');
  const resource = decrypt(merchant, envelope.resource);
  const occurredAt = new Date(envelope.create_time).toISOString();

  if (envelope.event_type.startsWith('TRANSACTION.')) {
    const transaction = parse(TransactionSchema, resource, 'transaction');
    checkMerchant(merchant, transaction.mchid);
    const result = toPaymentResult(transaction);
    return {
      kind: 'payment',
      eventId: envelope.id,
      paymentId: ourId(transaction.out_trade_no, 'out_trade_no'),
      status: result.status,
      amount: result.amount,
      currency: result.currency,
      gatewayReference: result.gatewayReference,
      occurredAt,
    };
  }
  if (envelope.event_type.startsWith('REFUND.')) {
    const refund = parse(RefundNoticeSchema, resource, 'refund');
    checkMerchant(merchant, refund.mchid);
    return {
      kind: 'refund',
      eventId: envelope.id,
      refundId: ourId(refund.out_refund_no, 'out_refund_no'),
      paymentId: ourId(refund.out_trade_no, 'out_trade_no'),
      ...toRefundResult(refund.refund_status, refund.refund_id),
      occurredAt,
    };
  }
  throw new NotificationRejected(`notification event_type ${envelope.event_type} is not one we handle`, 400);
}
