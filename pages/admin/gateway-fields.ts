// The gateways as the settings page shows them, from their profiles: each with its write-only credential
// fields, whose labels and hints come from the catalogs (`credential.<gateway>.<name>[.hint]`).
import type { PlainKey, Words } from '../../core/i18n/messages.js';
import { humanize } from '../shared/format.js';
import { GATEWAY_PROFILES, GATEWAYS, hasCredentialFields, STRIPE_EVENTS, type CredentialField, type GatewayName } from '../../domain/gateways.js';

export interface GatewayForm {
  gateway: GatewayName;
  /** Undefined: nothing to configure (the built-in sandbox derives its secrets from the master key). */
  fields?: readonly CredentialField[];
}

export const GATEWAY_FORMS: readonly GatewayForm[] = GATEWAYS.map((gateway) => ({
  gateway,
  ...(hasCredentialFields(gateway) && { fields: GATEWAY_PROFILES[gateway].credentials }),
}));

/** A gateway's name in the reader's language; a code we do not know (an old row's) as words. */
export function gatewayName(gateway: string, w: Words): string {
  const key = `admin.gateway_name.${gateway}`;
  return w.has(key) ? w.t(key as PlainKey) : humanize(gateway);
}

/** A credential's label in the reader's language (the profile's own label if the catalogs lack it). */
export function credentialLabel(gateway: GatewayName, field: CredentialField, w: Words): string {
  const key = `credential.${gateway}.${field.name}`;
  return w.has(key) ? w.t(key as PlainKey) : field.label;
}

/** A credential's hint in the reader's language; the Stripe webhook's names this merchant's address and the events. */
export function credentialHint(gateway: GatewayName, field: CredentialField, w: Words, merchantId: string): string | undefined {
  const key = `credential.${gateway}.${field.name}.hint`;
  if (key === 'credential.stripe.webhookSecret.hint') return w.t(key, { merchantId, events: [...STRIPE_EVENTS.payment, ...STRIPE_EVENTS.refund].join(', ') });
  return w.has(key) ? w.t(key as PlainKey) : field.hint;
}
