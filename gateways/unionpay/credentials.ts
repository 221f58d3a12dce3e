import type { CredentialField } from '../credentials.js';

export const UNIONPAY_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'merId', label: 'Merchant ID (merId)' },
  { name: 'signCertificate', label: 'Signing certificate (PEM)', multiline: true },
  { name: 'signPrivateKey', label: 'Signing private key (PEM)', multiline: true, hint: 'Export both from the PFX UnionPay issued: openssl pkcs12 -in acp.pfx -nodes.' },
  { name: 'rootCertificate', label: 'UnionPay root certificate (PEM)', multiline: true },
  { name: 'middleCertificate', label: 'UnionPay middle certificate (PEM)', multiline: true },
];
