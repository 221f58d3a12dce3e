// Merchants' gateway credentials: the fields each gateway's profile lists (domain/gateways.ts), read and
// checked by one rule for the admin API and the admin page, which store them encrypted
// (`db/gateway-credentials.ts`) and never show them again; and the errors an adapter raises for a bad one.
import type { Mode } from '../core/modes.js';
import { GATEWAY_PROFILES, GATEWAYS, hasCredentialFields, type ConfigurableGateway, type CredentialField } from '../domain/gateways.js';
import { GatewayError } from './types.js';

/** Each configurable gateway's fields, by gateway. */
export const CREDENTIAL_FIELDS = Object.fromEntries(
  GATEWAYS.filter(hasCredentialFields).map((gateway) => [gateway, GATEWAY_PROFILES[gateway].credentials]),
) as Readonly<Record<ConfigurableGateway, readonly CredentialField[]>>;

/** Per value; PEM keys and certificates fit easily. */
export const MAX_CREDENTIAL_LENGTH = 16_384;

export type CredentialProblem = 'missing' | 'too_long' | 'wrong_mode';

/** What a value must start with in a mode, said to people: `sk_test_ or rk_test_`. */
export const modePrefixes = (field: CredentialField, mode: Mode): string => (field.prefixes?.[mode] ?? []).join(' or ');

/**
 * The gateway's fields read with `valueOf`, trimmed, and what is wrong with any of them: the one rule the
 * admin API and the admin page both apply (each words the problems its own way, never echoing a value).
 * A value that says its mode (a Stripe key) must say the mode the credentials are saved for.
 */
export function readCredentials(
  gateway: ConfigurableGateway,
  mode: Mode,
  valueOf: (name: string) => string | undefined,
): { credentials: Record<string, string>; problems: Array<{ field: CredentialField; problem: CredentialProblem }> } {
  const credentials: Record<string, string> = {};
  const problems: Array<{ field: CredentialField; problem: CredentialProblem }> = [];
  for (const field of GATEWAY_PROFILES[gateway].credentials) {
    const value = valueOf(field.name)?.trim() ?? '';
    if (value === '') problems.push({ field, problem: 'missing' });
    else if (value.length > MAX_CREDENTIAL_LENGTH) problems.push({ field, problem: 'too_long' });
    else if (field.prefixes && !field.prefixes[mode].some((prefix) => value.startsWith(prefix))) problems.push({ field, problem: 'wrong_mode' });
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
