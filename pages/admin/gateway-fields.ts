// The gateways as the settings page shows them, from their profiles: each with its write-only credential fields.
import { GATEWAY_PROFILES, GATEWAYS, hasCredentialFields, type CredentialField, type GatewayName } from '../../domain/gateways.js';

export interface GatewayForm {
  gateway: GatewayName;
  label: string;
  /** Undefined: nothing to configure (the built-in sandbox derives its secrets from the master key). */
  fields?: readonly CredentialField[];
}

export const GATEWAY_FORMS: readonly GatewayForm[] = GATEWAYS.map((gateway) => ({
  gateway,
  label: GATEWAY_PROFILES[gateway].label,
  ...(hasCredentialFields(gateway) && { fields: GATEWAY_PROFILES[gateway].credentials }),
}));
