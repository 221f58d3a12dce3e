// Signing of the webhooks Paystead sends to merchants: `Paystead-Signature: t=<unix>,v1=<hex>`, where the
// hex is HMAC-SHA256 of `<t>.<body>` under the endpoint's secret (README: verifying it).
import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'Paystead-Signature';

/** A new endpoint secret: shown to the merchant once, stored sealed. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** The header value for `body` sent at `at`: one `v1=` per secret (two while a rotated secret is still valid). */
export function webhookSignature(secrets: readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return [`t=${t}`, ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`)].join(',');
}
