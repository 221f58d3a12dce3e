// The certificates the simulator needs: UnionPay's root, middle and signing certificates (the signing one
// named as ACP requires), a foreign chain with the same names for the negative test, and the merchant's
// signing certificate. Keys come from node:crypto, certificates from node-forge.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { UNIONPAY_SIGNER_NAME } from '../../../gateways/unionpay/acp-signature.js';

export interface Issued {
  privateKey: KeyObject;
  pem: string;
}

const DAY_MS = 86_400_000;

/** A positive serial number of 16 bytes, in hex: ACP's certId is its decimal value, far beyond 2^53. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = 0x10 + (bytes[0]! % 0x60);
  return bytes.toString('hex');
}

function issue(subject: forge.pki.CertificateField[], options: { ca: boolean; issuer?: { subject: forge.pki.CertificateField[]; key: Issued }; validDays?: number }): Issued {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = serialNumber();
  certificate.validity.notBefore = new Date(Date.now() - DAY_MS);
  certificate.validity.notAfter = new Date(Date.now() + (options.validDays ?? 365) * DAY_MS);
  certificate.setSubject(subject);
  certificate.setIssuer(options.issuer?.subject ?? subject);
  certificate.setExtensions([{ name: 'basicConstraints', cA: options.ca }]);
  const signingKey = options.issuer?.key.privateKey ?? keys.privateKey;
  certificate.sign(forge.pki.privateKeyFromPem(signingKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { privateKey: keys.privateKey, pem: forge.pki.certificateToPem(certificate) };
}

const name = (cn: string): forge.pki.CertificateField[] => [
  { shortName: 'C', value: 'CN' },
  { shortName: 'O', value: 'China Financial Certification Authority' },
  { shortName: 'CN', value: cn, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
];

export interface SigningChain {
  root: Issued;
  middle: Issued;
  leaf: Issued;
}

/**
 * Root, middle, and a signing certificate whose CN names its owner (UnionPay's name unless told) as ACP
 * does; all valid for a year, unless the signing one is told otherwise.
 */
export function signingChain(label: string, owner = UNIONPAY_SIGNER_NAME, leafValidDays = 365): SigningChain {
  const rootName = name(`${label} Root`);
  const middleName = name(`${label} OCA`);
  const root = issue(rootName, { ca: true });
  const middle = issue(middleName, { ca: true, issuer: { subject: rootName, key: root } });
  const leaf = issue(
    [
      { shortName: 'C', value: 'CN' },
      { shortName: 'O', value: 'China Financial Certification Authority' },
      { shortName: 'OU', value: '00040000:SIGN' },
      { shortName: 'CN', value: `041@Z20260101@${owner}@00000001`, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
    ],
    { ca: false, issuer: { subject: middleName, key: middle }, validDays: leafValidDays },
  );
  return { root, middle, leaf };
}

/** The merchant's signing certificate (UnionPay knows it by its certId). */
export function merchantCertificate(merId: string): Issued {
  return issue(name(`041@Z20260101@${merId}@00000001`), { ca: false });
}
