// The sandbox gateway's secrets and notification signatures. Both sides (the simulated gateway that signs
// and the adapter that verifies) derive the merchant's secret from the master key, so there is no
// credential to store or rotate per merchant.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { NotificationRejected } from '../types.js';

export const SANDBOX_SIGNATURE_HEADER = 'Paystead-Sandbox-Signature';

/** The merchant's bearer secret and signing key: base64url HMAC-SHA256(masterKey, `sandbox:<merchantId>`). */
export function sandboxSecret(masterKey: Buffer, merchantId: string): string {
  return createHmac('sha256', masterKey).update(`sandbox:${merchantId}`).digest('base64url');
}

/** Equal strings compare in time independent of where they differ (hashing first evens out the lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function hmacHex(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

/** The header value `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signNotification(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

function parseHeader(header: string): { timestamp: number; signature: string } {
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) throw new NotificationRejected('malformed signature header', 400);
    fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) {
    throw new NotificationRejected('malformed signature header', 400);
  }
  return { timestamp: Number(t), signature: v1 };
}

/**
 * Throws `NotificationRejected` unless `header` signs exactly `body` with `secret` within `toleranceSeconds`
 * of `nowSeconds`. The signature is checked before the time, so "stale" is only ever said of an authentic
 * (replayed or long-delayed) notification.
 */
export function verifyNotificationSignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): void {
  if (!header) throw new NotificationRejected(`missing ${SANDBOX_SIGNATURE_HEADER} header`, 401);
  const { timestamp, signature } = parseHeader(header);
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new NotificationRejected('signature does not match', 401);
  }
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new NotificationRejected(`stale signature: timestamp ${timestamp} is more than ${toleranceSeconds} s from now`, 401);
  }
}
