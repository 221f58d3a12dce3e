import type { Mode } from '../core/modes.js';
import { open, seal } from '../core/secret-box.js';
import type { GatewayName } from '../domain/gateways.js';
import type { Db } from './database.js';

/** Bound into the ciphertext: a value sealed for one merchant, gateway and mode opens for no other. Live keeps the form it had before modes. */
const context = (merchantId: string, gateway: GatewayName, mode: Mode) => `gateway-credentials:${merchantId}:${gateway}${mode === 'test' ? ':test' : ''}`;

/** Stores a merchant's credentials for one gateway and mode, encrypted with the master key; they are never returned. */
export async function saveGatewayCredentials(
  db: Db,
  masterKey: Buffer,
  merchantId: string,
  gateway: GatewayName,
  mode: Mode,
  credentials: Record<string, string>,
): Promise<void> {
  const ciphertext = seal(masterKey, JSON.stringify(credentials), context(merchantId, gateway, mode));
  await db
    .insertInto('gatewayCredentials')
    .values({ merchantId, gateway, mode, ciphertext })
    .onConflict((oc) => oc.columns(['merchantId', 'gateway', 'mode']).doUpdateSet({ ciphertext, updatedAt: new Date() }))
    .execute();
}

export async function loadGatewayCredentials(db: Db, masterKey: Buffer, merchantId: string, gateway: GatewayName, mode: Mode): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom('gatewayCredentials')
    .select('ciphertext')
    .where('merchantId', '=', merchantId)
    .where('gateway', '=', gateway)
    .where('mode', '=', mode)
    .executeTakeFirst();
  return row ? (JSON.parse(open(masterKey, row.ciphertext, context(merchantId, gateway, mode))) as Record<string, string>) : undefined;
}

export async function hasGatewayCredentials(db: Db, merchantId: string, gateway: GatewayName, mode: Mode): Promise<boolean> {
  const row = await db.selectFrom('gatewayCredentials').select('gateway').where('merchantId', '=', merchantId).where('gateway', '=', gateway).where('mode', '=', mode).executeTakeFirst();
  return row !== undefined;
}

/** Which gateways a merchant has configured in a mode: the only thing about credentials an API ever shows. */
export async function configuredGateways(db: Db, merchantId: string, mode: Mode): Promise<GatewayName[]> {
  const rows = await db.selectFrom('gatewayCredentials').select('gateway').where('merchantId', '=', merchantId).where('mode', '=', mode).execute();
  return rows.map((row) => row.gateway);
}

/** Removes a merchant's credentials for one gateway and mode; false when there were none. */
export async function deleteGatewayCredentials(db: Db, merchantId: string, gateway: GatewayName, mode: Mode): Promise<boolean> {
  const deleted = await db.deleteFrom('gatewayCredentials').where('merchantId', '=', merchantId).where('gateway', '=', gateway).where('mode', '=', mode).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
