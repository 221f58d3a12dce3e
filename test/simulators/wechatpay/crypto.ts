// The simulator's keys and the protocol's cryptography, written from the API v3 specification with node:crypto
// (not with the client library under test, so a mistake in one is not mirrored in the other).
import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const randomDigits = (count: number) => Array.from(randomBytes(count), (b) => String(b % 10)).join('');

export function rsaKeyPair(): KeyPair {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A key WeChat Pay signs with: its id (sent as `Wechatpay-Serial`) and what the merchant is given to verify. */
export interface PlatformKey extends KeyPair {
  id: string;
  pem: string;
}

/** Upper-case hex, no leading zero: how WeChat Pay writes certificate serials. */
export function serialNumber(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x10 + (bytes[0]! % 0x60);
  return bytes.toString('hex').toUpperCase();
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** A self-signed certificate for `keys` with this serial and validity period, in PEM. */
export function certificatePem(keys: KeyPair, serial: string, validity: Validity): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = serial;
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  const name = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: 'Tenpay.com' },
    { shortName: 'CN', value: 'Tenpay.com Root CA (simulated)' },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.sign(forge.pki.privateKeyFromPem(keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return forge.pki.certificateToPem(certificate);
}

/** A self-signed platform certificate, as merchants registered before 2024 download it. */
export function platformCertificate(): PlatformKey {
  const keys = rsaKeyPair();
  const id = serialNumber();
  return { ...keys, id, pem: certificatePem(keys, id, { notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 5 * 365 * 86_400_000) }) };
}

/** A platform public key with its `PUB_KEY_ID_…`, as WeChat Pay issues them since 2024. */
export function platformPublicKey(): PlatformKey {
  const keys = rsaKeyPair();
  return { ...keys, id: `PUB_KEY_ID_01${randomDigits(26)}`, pem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The API v3 signature: SHA256-with-RSA over the lines, each followed by `\n`, base64. */
export function sign(privateKey: KeyObject, lines: readonly string[]): string {
  return createSign('RSA-SHA256').update(lines.map((line) => `${line}\n`).join('')).sign(privateKey, 'base64');
}

export function verify(publicKey: KeyObject, lines: readonly string[], signature: string): boolean {
  return createVerify('RSA-SHA256').update(lines.map((line) => `${line}\n`).join('')).verify(publicKey, signature, 'base64');
}

/** A notification's `resource`: AES-256-GCM under the API v3 key, ciphertext and 16-byte tag base64 together. */
export function encryptResource(apiV3Key: string, originalType: string, plaintext: string) {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce)).setAAD(Buffer.from(originalType));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
  return { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: originalType, nonce };
}

/** WeChat Pay's timestamps: RFC 3339 in Beijing time. */
export function beijingTime(at = Date.now()): string {
  return `${new Date(at + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
