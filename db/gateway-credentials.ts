import { open, seal } from '../core/secret-box.js';
import type { GatewayName } from '../domain/gateways.js';
import type { Db } from './database.js';

const context = (merchantId: string, gateway: GatewayName) => `gateway-credentials:${merchantId}:${gateway}`;

/** Stores a merchant's credentials for one gateway, encrypted with the master key; they are never returned. */
export async function saveGatewayCredentials(
  db: Db,
  masterKey: Buffer,
  merchantId: string,
  gateway: GatewayName,
  credentials: Record<string, string>,
): Promise<void> {
  const ciphertext = seal(masterKey, JSON.stringify(credentials), context(merchantId, gateway));
  await db
    .insertInto('gatewayCredentials')
    .values({ merchantId, gateway, ciphertext })
    .onConflict((oc) => oc.columns(['merchantId', 'gateway']).doUpdateSet({ ciphertext, updatedAt: new Date() }))
    .execute();
}

export async function loadGatewayCredentials(db: Db, masterKey: Buffer, merchantId: string, gateway: GatewayName): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom('gatewayCredentials')
    .select('ciphertext')
    .where('merchantId', '=', merchantId)
    .where('gateway', '=', gateway)
    .executeTakeFirst();
  return row ? (JSON.parse(open(masterKey, row.ciphertext, context(merchantId, gateway))) as Record<string, string>) : undefined;
}

export async function hasGatewayCredentials(db: Db, merchantId: string, gateway: GatewayName): Promise<boolean> {
  const row = await db.selectFrom('gatewayCredentials').select('gateway').where('merchantId', '=', merchantId).where('gateway', '=', gateway).executeTakeFirst();
  return row !== undefined;
}

/** Which gateways a merchant has configured: the only thing about credentials an API ever shows. */
export async function configuredGateways(db: Db, merchantId: string): Promise<GatewayName[]> {
  const rows = await db.selectFrom('gatewayCredentials').select('gateway').where('merchantId', '=', merchantId).execute();
  return rows.map((row) => row.gateway);
}
