import type { CredentialField } from '../credentials.js';

// WeChat Pay signs its answers and notifications either with a platform certificate (older merchants;
// identified by the certificate's serial number) or with a platform public key (issued since 2024;
// identified by a `PUB_KEY_ID_…`). One pair of fields takes either.
export const WECHATPAY_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'mchId', label: 'Merchant ID (mchid)' },
  { name: 'appId', label: 'App ID (appid)' },
  { name: 'apiV3Key', label: 'API v3 key', hint: 'The 32-character key set in the merchant platform under API security.' },
  { name: 'certificateSerialNo', label: 'Merchant API certificate serial number' },
  { name: 'privateKey', label: 'Merchant API private key (apiclient_key.pem)', multiline: true },
  { name: 'platformKeyId', label: 'WeChat Pay public key ID or platform certificate serial number', hint: 'PUB_KEY_ID_… for a public key.' },
  { name: 'platformKey', label: 'WeChat Pay public key or platform certificate (PEM)', multiline: true },
];
