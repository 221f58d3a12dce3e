// What each gateway's credentials consist of, as write-only form fields. Saved encrypted with
// `saveGatewayCredentials`; the pages only ever say whether a gateway is configured.
import type { GatewayName } from '../../domain/order.js';

export interface CredentialField {
  /** The key in the stored credentials object (what the gateway's adapter reads). */
  name: string;
  label: string;
  multiline?: boolean;
  hint?: string;
}

export interface GatewayForm {
  gateway: GatewayName;
  label: string;
  /** Undefined: nothing to configure (the built-in sandbox derives its secrets from the master key). */
  fields?: CredentialField[];
}

export const GATEWAY_FORMS: readonly GatewayForm[] = [
  { gateway: 'sandbox', label: 'Sandbox' },
  {
    gateway: 'alipay',
    label: 'Alipay',
    fields: [
      { name: 'appId', label: 'App ID' },
      { name: 'privateKey', label: 'Application private key (PEM)', multiline: true },
      { name: 'alipayPublicKey', label: 'Alipay public key (PEM)', multiline: true },
    ],
  },
  {
    gateway: 'wechatpay',
    label: 'WeChat Pay',
    fields: [
      { name: 'mchId', label: 'Merchant ID (mchid)' },
      { name: 'appId', label: 'App ID' },
      { name: 'apiV3Key', label: 'API v3 key' },
      { name: 'certificateSerialNo', label: 'Merchant certificate serial number' },
      { name: 'privateKey', label: 'Merchant private key (PEM)', multiline: true },
    ],
  },
  {
    gateway: 'unionpay',
    label: 'UnionPay Online',
    fields: [
      { name: 'merId', label: 'Merchant ID (merId)' },
      { name: 'signCertPfx', label: 'Signing certificate (PFX, base64)', multiline: true },
      { name: 'signCertPassword', label: 'Signing certificate password' },
    ],
  },
  {
    gateway: 'stripe',
    label: 'Stripe',
    fields: [
      { name: 'secretKey', label: 'Secret key', hint: 'Starts with sk_live_ or sk_test_.' },
      { name: 'webhookSecret', label: 'Webhook signing secret', hint: 'Starts with whsec_.' },
    ],
  },
];

/** Per value; PEM keys and base64 certificates fit easily. */
export const MAX_CREDENTIAL_LENGTH = 16_384;
