import type { Mode } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { loadGatewayCredentials } from '../db/gateway-credentials.js';
import { hasCredentialFields, type GatewayName } from '../domain/gateways.js';
import type { GatewayContext } from './types.js';

export interface GatewayContextDeps {
  db: Db;
  masterKey: Buffer;
  publicBaseUrl: string;
}

/**
 * Where a gateway sends this merchant's notifications: `POST /webhooks/{gateway}/{merchantId}` in live mode
 * (the address merchants set before modes existed), with `/test` after it in test mode.
 */
export function notifyUrl(publicBaseUrl: string, gateway: GatewayName, merchantId: string, mode: Mode): string {
  return `${publicBaseUrl}/webhooks/${gateway}/${merchantId}${mode === 'test' ? '/test' : ''}`;
}

export async function loadGatewayContext(deps: GatewayContextDeps, merchantId: string, gateway: GatewayName, mode: Mode): Promise<GatewayContext> {
  // Only gateways with credential fields have any stored: the sandbox derives its secrets from the master
  // key, so its calls (a checkout's, say) skip the query.
  const stored = hasCredentialFields(gateway) ? await loadGatewayCredentials(deps.db, deps.masterKey, merchantId, gateway, mode) : undefined;
  return { merchantId, mode, credentials: stored ?? {}, notifyUrl: notifyUrl(deps.publicBaseUrl, gateway, merchantId, mode) };
}
