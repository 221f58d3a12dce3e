// ACP 5.1.0 signatures (signMethod 01). The signed text is the SHA-256 hex digest of the message's fields
// sorted by name as `k=v&k=v` (everything but `signature`); the signature is RSA-SHA256 of that hex
// text, in base64. UnionPay signs with a key whose certificate travels in the message (signPubKeyCert):
// it is trusted only when it chains to the UnionPay middle and root certificates the merchant configured
// and names UnionPay as its owner, as the ACP SDKs check.
import { createHash, sign, verify, type KeyObject, X509Certificate } from 'node:crypto';
import { certificateLapse } from '../certificate-dates.js';
import { credentialProblem } from '../credentials.js';

/**
 * The owner part of UnionPay's signing certificate subject. ACP signing certificates have a CN of the form
 * `<code>@<id>@中国银联股份有限公司@<sequence>`; the SDKs take the third `@` part and require this name.
 */
export const UNIONPAY_SIGNER_NAME = '中国银联股份有限公司';

export interface AcpSigner {
  privateKey: KeyObject;
  /** The signing certificate's serial number in decimal. */
  certId: string;
}

export interface AcpTrust {
  root: X509Certificate;
  middle: X509Certificate;
}

export class AcpSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcpSignatureError';
  }
}

/** The text whose digest is signed: every field but `signature`, sorted by name (UTF-16 order, like the SDKs' TreeMap). */
export function signingString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

function digestHex(fields: Record<string, string>): Buffer {
  return Buffer.from(createHash('sha256').update(signingString(fields), 'utf8').digest('hex'), 'utf8');
}

/** ACP's certId: the certificate serial number as a decimal string (it is far beyond Number's range). */
export function certIdOf(certificate: X509Certificate): string {
  return BigInt(`0x${certificate.serialNumber}`).toString(10);
}

/** The fields with empty values dropped (as the SDKs do), plus certId and signature. */
export function signFields(fields: Record<string, string>, signer: AcpSigner): Record<string, string> {
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
  const withCert = { ...present, certId: signer.certId };
  return { ...withCert, signature: sign('sha256', digestHex(withCert), signer.privateKey).toString('base64') };
}

/** The owner in an ACP signing certificate's CN (`…@…@owner@…`), or undefined. */
export function signerName(certificate: X509Certificate): string | undefined {
  const cn = certificate.subject
    .split('\n')
    .find((line) => line.startsWith('CN='))
    ?.slice(3);
  return cn?.split('@')[2];
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return issuer.ca && certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

/** Throws `AcpSignatureError` unless UnionPay signed exactly these fields with a certificate the merchant's trust accepts. */
export function verifyAcpSignature(fields: Record<string, string>, trust: AcpTrust, now = Date.now()): void {
  const { signPubKeyCert, signature } = fields;
  if (!signPubKeyCert || !signature) throw new AcpSignatureError('the message carries no signPubKeyCert or signature');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(signPubKeyCert);
  } catch {
    throw new AcpSignatureError('signPubKeyCert is not a certificate');
  }
  // A configured certificate out of date is the merchant's configuration to mend, not a forged message.
  for (const [field, configured] of [['middleCertificate', trust.middle], ['rootCertificate', trust.root]] as const) {
    if (certificateLapse(configured, now)) throw credentialProblem('UnionPay', field, `is expired or not yet valid (valid from ${configured.validFrom} to ${configured.validTo})`);
  }
  if (certificateLapse(certificate, now)) throw new AcpSignatureError('the signing certificate is expired or not yet valid');
  if (!issuedBy(certificate, trust.middle) || !issuedBy(trust.middle, trust.root)) {
    throw new AcpSignatureError('the signing certificate does not chain to the configured UnionPay middle and root certificates');
  }
  if (signerName(certificate) !== UNIONPAY_SIGNER_NAME) {
    throw new AcpSignatureError('the signing certificate does not belong to UnionPay');
  }
  if (!verify('sha256', digestHex(fields), certificate.publicKey, Buffer.from(signature, 'base64'))) {
    throw new AcpSignatureError('the signature does not match the message');
  }
}
