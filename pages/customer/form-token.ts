// The refund form's anti-forgery token: HMAC-SHA256 of the view token under a key derived from the master
// key for this purpose only. It adds nothing an attacker who holds the view token lacks, but a form posted
// from elsewhere (which cannot read the page) never carries it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function formToken(masterKey: Buffer, viewToken: string): string {
  const key = createHmac('sha256', masterKey).update('paystead:customer-page:form-token:v1').digest();
  return createHmac('sha256', key).update(viewToken).digest('base64url');
}

export function isValidFormToken(masterKey: Buffer, viewToken: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  const expected = Buffer.from(formToken(masterKey, viewToken));
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
