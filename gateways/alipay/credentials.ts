import type { CredentialField } from '../credentials.js';

export const ALIPAY_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'appId', label: 'App ID' },
  { name: 'privateKey', label: 'Application private key (PEM)', multiline: true },
  { name: 'alipayPublicKey', label: 'Alipay public key (PEM)', multiline: true },
];
