// Whether a certificate may be trusted at a given time: the one date check the gateways' certificates share.
import type { X509Certificate } from 'node:crypto';

/** Out of its validity period at `now` (ms): how, in words; undefined when valid. */
export function certificateLapse(certificate: X509Certificate, now: number): 'has expired' | 'is not yet valid' | undefined {
  if (now < Date.parse(certificate.validFrom)) return 'is not yet valid';
  return now > Date.parse(certificate.validTo) ? 'has expired' : undefined;
}
