import { generateApiKey } from '../core/api-keys.js';
import { newId } from '../core/ids.js';
import type { Db, MerchantSettingsTable, MerchantTable } from './database.js';
import type { Insertable, Selectable } from 'kysely';

export type Merchant = Selectable<MerchantTable>;
export type MerchantSettings = Omit<Selectable<MerchantSettingsTable>, 'merchantId' | 'updatedAt'>;

export interface NewMerchant {
  name: string;
  contactEmail: string;
  contactPhone?: string | null;
  businessLicenceNo: string;
  taxRegistrationNo: string;
}

export const DEFAULT_SETTINGS: MerchantSettings = {
  currency: 'CNY',
  shippingFee: 0,
  taxRateBps: 0,
  paymentWindowSeconds: 30 * 60,
  paymentCheckIntervalSeconds: 60,
  autoConfirm: false,
  refundWindowSeconds: 7 * 24 * 3600,
  refundApprovalThreshold: 50_000,
};

/**
 * Creates a merchant (pending verification), its settings and one secret and one admin key. The keys
 * are returned once, here; only their hashes are stored.
 */
export async function createMerchant(
  db: Db,
  input: NewMerchant,
  settings: Partial<MerchantSettings> = {},
): Promise<{ merchant: Merchant; secretKey: string; adminKey: string }> {
  const secret = generateApiKey('secret');
  const admin = generateApiKey('admin');
  const values: Insertable<MerchantTable> = {
    id: newId('mch'),
    name: input.name,
    contactEmail: input.contactEmail,
    contactPhone: input.contactPhone ?? null,
    businessLicenceNo: input.businessLicenceNo,
    taxRegistrationNo: input.taxRegistrationNo,
    status: 'pending_verification',
  };
  const merchant = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('merchants').values(values).returningAll().executeTakeFirstOrThrow();
    await trx
      .insertInto('merchantSettings')
      .values({ merchantId: row.id, ...DEFAULT_SETTINGS, ...settings })
      .execute();
    await trx
      .insertInto('apiKeys')
      .values([
        { id: newId('key'), merchantId: row.id, kind: 'secret', keyHash: secret.keyHash, prefix: secret.prefix },
        { id: newId('key'), merchantId: row.id, kind: 'admin', keyHash: admin.keyHash, prefix: admin.prefix },
      ])
      .execute();
    return row;
  });
  return { merchant, secretKey: secret.key, adminKey: admin.key };
}

export async function verifyMerchant(db: Db, merchantId: string): Promise<Merchant | undefined> {
  return db
    .updateTable('merchants')
    .set({ status: 'active', verifiedAt: new Date() })
    .where('id', '=', merchantId)
    .returningAll()
    .executeTakeFirst();
}
