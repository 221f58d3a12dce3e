// The gateways as the settings page shows them: each with its write-only credential fields.
import type { GatewayName } from '../../domain/order.js';
import { CREDENTIAL_FIELDS, type CredentialField } from '../../gateways/credentials.js';

export interface GatewayForm {
  gateway: GatewayName;
  label: string;
  /** Undefined: nothing to configure (the built-in sandbox derives its secrets from the master key). */
  fields?: readonly CredentialField[];
}

export const GATEWAY_FORMS: readonly GatewayForm[] = [
  { gateway: 'sandbox', label: 'Sandbox' },
  { gateway: 'alipay', label: 'Alipay', fields: CREDENTIAL_FIELDS.alipay },
  { gateway: 'wechatpay', label: 'WeChat Pay', fields: CREDENTIAL_FIELDS.wechatpay },
  { gateway: 'unionpay', label: 'UnionPay Online', fields: CREDENTIAL_FIELDS.unionpay },
  { gateway: 'stripe', label: 'Stripe', fields: CREDENTIAL_FIELDS.stripe },
];
