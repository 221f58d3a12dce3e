import type { CredentialField } from '../credentials.js';

export const WECHATPAY_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'mchId', label: 'Merchant ID (mchid)' },
  { name: 'appId', label: 'App ID' },
  { name: 'apiV3Key', label: 'API v3 key' },
  { name: 'certificateSerialNo', label: 'Merchant certificate serial number' },
  { name: 'privateKey', label: 'Merchant private key (PEM)', multiline: true },
  { name: 'platformCertificate', label: 'WeChat Pay platform certificate (PEM)', multiline: true },
];
