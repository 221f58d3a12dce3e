// ACP 5.1.0 signing as UnionPay does it, written here from the specification with node:crypto rather than
// with the adapter's code, so a mistake in one is not mirrored in the other.
import { createHash, createSign, createVerify, type KeyObject, X509Certificate } from 'node:crypto';

/** `k=v&…` of every field but `signature`, sorted by name; its SHA-256 in lowercase hex is what is signed. */
function signedDigest(fields: Record<string, string>): string {
  const text = Object.entries(fields)
    .filter(([key]) => key !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function acpSign(fields: Record<string, string>, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(signedDigest(fields), 'utf8').sign(privateKey, 'base64');
}

export function acpVerify(fields: Record<string, string>, publicKey: KeyObject): boolean {
  return createVerify('RSA-SHA256').update(signedDigest(fields), 'utf8').verify(publicKey, fields.signature ?? '', 'base64');
}

/** certId: the certificate's serial number, in decimal. */
export function certIdOf(pem: string): string {
  return BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString();
}

/** Beijing time (UTC+8), `yyyyMMddHHmmss`. */
export function beijingTime(ms: number): string {
  const t = new Date(ms + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())}${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}`;
}

export function parseBeijingTime(value: string): number {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(value.slice(at, i === 0 ? 4 : at + 2)));
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - 8 * 3_600_000;
}

/** The back-end answer body: `k=v&…`, values as they are (not URL-encoded), as UnionPay writes it. */
export function answerBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}
