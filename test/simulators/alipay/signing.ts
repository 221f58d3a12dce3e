// Alipay's RSA2 signatures (SHA256withRSA, base64) as Alipay computes them: a request or notification is
// signed over its non-empty parameters sorted by name as `k=v` joined with `&` (without `sign`; a
// notification also without `sign_type`), a response over the exact JSON text of its `*_response` object.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export function signingString(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((name) => !exclude.includes(name) && params[name] !== '')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

export function rsa2Sign(text: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
}

export function rsa2Verify(text: string, signature: string, key: KeyObject): boolean {
  return createVerify('RSA-SHA256').update(text, 'utf8').verify(key, signature, 'base64');
}

/** Keys as Alipay's key tool and open platform show them: bare base64 of PKCS#8 / SPKI DER. */
export function bareBase64(key: KeyObject): string {
  return (key.type === 'private' ? key.export({ format: 'der', type: 'pkcs8' }) : key.export({ format: 'der', type: 'spki' })).toString('base64');
}
