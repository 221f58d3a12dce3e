// What each real gateway's merchant credentials consist of. One list per gateway, kept beside its
// adapter; the admin API and the admin page accept exactly these fields, store them encrypted
// (`db/gateway-credentials.ts`) and never show them again.
import type { GatewayName } from '../domain/order.js';
import { GatewayError } from './types.js';
import { ALIPAY_CREDENTIAL_FIELDS } from './alipay/credentials.js';
import { STRIPE_CREDENTIAL_FIELDS } from './stripe/credentials.js';
import { UNIONPAY_CREDENTIAL_FIELDS } from './unionpay/credentials.js';
import { WECHATPAY_CREDENTIAL_FIELDS } from './wechatpay/credentials.js';

export interface CredentialField {
  /** The key in the stored credentials object (what the gateway's adapter reads). */
  name: string;
  label: string;
  multiline?: boolean;
  hint?: string;
}

export type ConfigurableGateway = Exclude<GatewayName, 'sandbox'>;

/** The sandbox has none: it derives its secrets from the master key. */
export const CREDENTIAL_FIELDS: Readonly<Record<ConfigurableGateway, readonly CredentialField[]>> = {
  alipay: ALIPAY_CREDENTIAL_FIELDS,
  wechatpay: WECHATPAY_CREDENTIAL_FIELDS,
  unionpay: UNIONPAY_CREDENTIAL_FIELDS,
  stripe: STRIPE_CREDENTIAL_FIELDS,
};

/** Whether merchants configure credentials for this gateway (all but the sandbox). */
export function hasCredentialFields(gateway: GatewayName): gateway is ConfigurableGateway {
  return Object.hasOwn(CREDENTIAL_FIELDS, gateway);
}

/** Per value; PEM keys and certificates fit easily. */
export const MAX_CREDENTIAL_LENGTH = 16_384;

/**
 * The gateway's fields read with `valueOf`, trimmed, and what is wrong with any of them: the one rule the
 * admin API and the admin page both apply (each words the problems its own way, never echoing a value).
 */
export function readCredentials(
  gateway: ConfigurableGateway,
  valueOf: (name: string) => string | undefined,
): { credentials: Record<string, string>; problems: Array<{ field: CredentialField; problem: 'missing' | 'too_long' }> } {
  const credentials: Record<string, string> = {};
  const problems: Array<{ field: CredentialField; problem: 'missing' | 'too_long' }> = [];
  for (const field of CREDENTIAL_FIELDS[gateway]) {
    const value = valueOf(field.name)?.trim() ?? '';
    if (value === '') problems.push({ field, problem: 'missing' });
    else if (value.length > MAX_CREDENTIAL_LENGTH) problems.push({ field, problem: 'too_long' });
    else credentials[field.name] = value;
  }
  return { credentials, problems };
}

/** A merchant's credential that is missing or unusable: an authentication problem naming the field, never its value. */
export function credentialProblem(gateway: string, field: string, problem: string): GatewayError {
  return new GatewayError('auth', `${gateway} credentials: ${field} ${problem}`);
}

/** The field's trimmed value, or a credentialProblem when it is empty. */
export function requiredCredential(credentials: Record<string, string>, gateway: string, field: string): string {
  const value = credentials[field]?.trim();
  if (!value) throw credentialProblem(gateway, field, 'is missing');
  return value;
}
