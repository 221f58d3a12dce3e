// A merchant's WeChat Pay credentials, checked and parsed when first used (then remembered, see
// credential-memo.ts): a missing or unusable field is an authentication problem reported by the field's
// name, never its value. The platform certificate's dates are checked at every use.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { certificateLapse } from '../certificate-dates.js';
import { credentialProblem, requiredCredential } from '../credentials.js';

export interface WechatPayMerchant {
  mchId: string;
  appId: string;
  /** Decrypts notification resources (AES-256-GCM): exactly 32 bytes. */
  apiV3Key: string;
  certificateSerialNo: string;
  privateKey: KeyObject;
  /** What WeChat Pay sends in `Wechatpay-Serial`: a `PUB_KEY_ID_…` or a platform certificate's serial. */
  platformKeyId: string;
  platformKey: KeyObject;
  /** When platformKey came as a certificate, for its validity period. A public key has none. */
  platformCertificate?: X509Certificate;
}

const problem = (field: string, what: string) => credentialProblem('WeChat Pay', field, what);

const required = (credentials: Record<string, string>, field: string) => requiredCredential(credentials, 'WeChat Pay', field);

function parsed<T>(field: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    throw problem(field, what);
  }
}

/** Certificate serials are hex: compared without case or leading zeros. */
const sameSerial = (a: string, b: string) => a.toUpperCase().replace(/^0+/, '') === b.toUpperCase().replace(/^0+/, '');

function platformKey(pem: string, id: string): Pick<WechatPayMerchant, 'platformKey' | 'platformCertificate'> {
  if (!pem.includes('BEGIN CERTIFICATE')) return { platformKey: parsed('platformKey', 'is neither a PEM public key nor a PEM certificate', () => createPublicKey(pem)) };
  const certificate = parsed('platformKey', 'is not a readable PEM certificate', () => new X509Certificate(pem));
  // A mismatch would only show later, as every answer "signed by an unknown key": say so now.
  if (!sameSerial(certificate.serialNumber, id)) throw problem('platformKeyId', 'is not the serial number of the certificate in platformKey');
  return {
    platformKey: certificate.publicKey,
    platformCertificate: certificate,
  };
}

/** Certificate dates have whole seconds. */
const instant = (date: string) => new Date(date).toISOString().replace('.000Z', 'Z');

/**
 * Why the platform key cannot be trusted at `now`, or undefined. Checked at each use rather than when the
 * credentials are read, so a certificate that lapses after it was configured is caught too.
 */
export function platformKeyLapse(merchant: WechatPayMerchant, now: Date): string | undefined {
  const certificate = merchant.platformCertificate;
  if (!certificate) return undefined;
  const lapse = certificateLapse(certificate, now.getTime());
  return lapse && `the platform certificate ${certificate.serialNumber} in platformKey ${lapse} (valid from ${instant(certificate.validFrom)} to ${instant(certificate.validTo)})`;
}

export function readMerchant(credentials: Record<string, string>): WechatPayMerchant {
  const apiV3Key = required(credentials, 'apiV3Key');
  if (Buffer.byteLength(apiV3Key) !== 32) throw problem('apiV3Key', 'must be 32 characters');
  const certificateSerialNo = required(credentials, 'certificateSerialNo');
  // Serials arrive upper-case in `Wechatpay-Serial`; public key ids are upper-case already.
  const platformKeyId = required(credentials, 'platformKeyId').toUpperCase();
  if (sameSerial(platformKeyId, certificateSerialNo)) throw problem('platformKeyId', "is the merchant certificate's serial number, not WeChat Pay's key");
  const privateKeyPem = required(credentials, 'privateKey');
  const platformKeyPem = required(credentials, 'platformKey');
  return {
    mchId: required(credentials, 'mchId'),
    appId: required(credentials, 'appId'),
    apiV3Key,
    certificateSerialNo,
    privateKey: parsed('privateKey', 'is not a PEM private key', () => createPrivateKey(privateKeyPem)),
    platformKeyId,
    ...platformKey(platformKeyPem, platformKeyId),
  };
}
