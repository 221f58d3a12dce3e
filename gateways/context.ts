import type { Db } from '../db/database.js';
import { loadGatewayCredentials } from '../db/gateway-credentials.js';
import { hasCredentialFields, type GatewayName } from '../domain/gateways.js';
import type { GatewayContext } from './types.js';

export interface GatewayContextDeps {
  db: Db;
  masterKey: Buffer;
  publicBaseUrl: string;
}

/** Where a gateway sends this merchant's notifications: `POST /webhooks/{gateway}/{merchantId}`. */
export function notifyUrl(publicBaseUrl: string, gateway: GatewayName, merchantId: string): string {
  return `${publicBaseUrl}/webhooks/${gateway}/${merchantId}`;
}

export async function loadGatewayContext(deps: GatewayContextDeps, merchantId: string, gateway: GatewayName): Promise<GatewayContext> {
  // Only gateways with credential fields have any stored: the sandbox derives its secrets from the master
  // key, so its calls (a checkout's, say) skip the query.
  const stored = hasCredentialFields(gateway) ? await loadGatewayCredentials(deps.db, deps.masterKey, merchantId, gateway) : undefined;
  return { merchantId, credentials: stored ?? {}, notifyUrl: notifyUrl(deps.publicBaseUrl, gateway, merchantId) };
}
