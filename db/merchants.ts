import { sql, type Insertable, type Selectable } from 'kysely';
import { generateApiKey, type ApiKeyKind } from '../core/api-keys.js';
import type { Mode } from '../core/modes.js';
import { newId } from '../core/ids.js';
import { defaultLocaleFor, defaultTimeZoneFor } from '../core/i18n/locales.js';
import type { ApiKeyTable, Db, MerchantSettingsTable, MerchantTable } from './database.js';

export type Merchant = Selectable<MerchantTable>;
export type MerchantSettings = Omit<Selectable<MerchantSettingsTable>, 'merchantId' | 'updatedAt'>;
/** What may be said about a key after it is issued: never its hash. */
export type ApiKeyInfo = Pick<Selectable<ApiKeyTable>, 'id' | 'kind' | 'mode' | 'prefix' | 'createdAt' | 'revokedAt'>;
const API_KEY_INFO = ['id', 'kind', 'mode', 'prefix', 'createdAt', 'revokedAt'] as const satisfies ReadonlyArray<keyof ApiKeyInfo>;

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
  latePaymentGraceSeconds: 24 * 3600,
  pricesIncludeTax: false,
  emailSenderName: null,
  emailReplyTo: null,
  locale: 'en',
  timeZone: 'UTC',
};

/**
 * A new merchant's settings: the defaults, with prices tax-inclusive, pages in Chinese and times in Beijing
 * time when it sells in CNY (as Chinese shops show them), then what it was created with. Decided once, at
 * creation: changing the currency later leaves these settings as they are.
 */
export function newMerchantSettings(settings: Partial<MerchantSettings>): MerchantSettings {
  const currency = settings.currency ?? DEFAULT_SETTINGS.currency;
  return { ...DEFAULT_SETTINGS, pricesIncludeTax: currency === 'CNY', locale: defaultLocaleFor(currency), timeZone: defaultTimeZoneFor(currency), ...settings };
}

const SETTINGS_COLUMNS = [
  'currency',
  'shippingFee',
  'taxRateBps',
  'paymentWindowSeconds',
  'paymentCheckIntervalSeconds',
  'autoConfirm',
  'refundWindowSeconds',
  'refundApprovalThreshold',
  'latePaymentGraceSeconds',
  'pricesIncludeTax',
  'emailSenderName',
  'emailReplyTo',
  'locale',
  'timeZone',
] as const satisfies ReadonlyArray<keyof MerchantSettings>;

/** A fresh key and the row that stores only its hash. */
function newApiKey(merchantId: string, kind: ApiKeyKind, mode: Mode): { key: string; row: Insertable<ApiKeyTable> } {
  const { key, keyHash, prefix } = generateApiKey(kind, mode);
  return { key, row: { id: newId('key'), merchantId, kind, mode, keyHash, prefix } };
}

/**
 * Creates a merchant (pending verification), its settings and one secret and one admin key, both test keys:
 * live keys come with verification. The keys are returned once, here; only their hashes are stored.
 */
export async function createMerchant(
  db: Db,
  input: NewMerchant,
  settings: Partial<MerchantSettings> = {},
): Promise<{ merchant: Merchant; secretKey: string; adminKey: string }> {
  const values: Insertable<MerchantTable> = {
    id: newId('mch'),
    name: input.name,
    contactEmail: input.contactEmail,
    contactPhone: input.contactPhone ?? null,
    businessLicenceNo: input.businessLicenceNo,
    taxRegistrationNo: input.taxRegistrationNo,
    status: 'pending_verification',
  };
  const secret = newApiKey(values.id, 'secret', 'test');
  const admin = newApiKey(values.id, 'admin', 'test');
  const merchant = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('merchants').values(values).returningAll().executeTakeFirstOrThrow();
    await trx
      .insertInto('merchantSettings')
      .values({ merchantId: row.id, ...newMerchantSettings(settings) })
      .execute();
    await trx.insertInto('apiKeys').values([secret.row, admin.row]).execute();
    return row;
  });
  return { merchant, secretKey: secret.key, adminKey: admin.key };
}

export async function getMerchant(db: Db, merchantId: string): Promise<Merchant | undefined> {
  return db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirst();
}

/** A merchant's live secret and admin keys, as issued: shown once. */
export interface LiveKeys {
  secretKey: string;
  adminKey: string;
}

/**
 * Marks the merchant verified (active). The first verification also issues its live secret and admin keys,
 * returned once here; verifying again (after a suspension, say) issues none. The update locks the merchant's
 * row, so two verifications at once issue one pair.
 */
export async function verifyMerchant(db: Db, merchantId: string): Promise<{ merchant: Merchant; liveKeys?: LiveKeys } | undefined> {
  return db.transaction().execute(async (trx) => {
    const merchant = await trx
      .updateTable('merchants')
      .set({ status: 'active', verifiedAt: new Date() })
      .where('id', '=', merchantId)
      .returningAll()
      .executeTakeFirst();
    if (!merchant) return undefined;
    const hasLiveKey = await trx.selectFrom('apiKeys').select('id').where('merchantId', '=', merchantId).where('mode', '=', 'live').limit(1).executeTakeFirst();
    if (hasLiveKey) return { merchant };
    const secret = newApiKey(merchantId, 'secret', 'live');
    const admin = newApiKey(merchantId, 'admin', 'live');
    await trx.insertInto('apiKeys').values([secret.row, admin.row]).execute();
    return { merchant, liveKeys: { secretKey: secret.key, adminKey: admin.key } };
  });
}

/** Keeps `verifiedAt`: suspension is a later decision, not an undoing of the verification. */
export async function suspendMerchant(db: Db, merchantId: string): Promise<Merchant | undefined> {
  return db
    .updateTable('merchants')
    .set({ status: 'suspended' })
    .where('id', '=', merchantId)
    .returningAll()
    .executeTakeFirst();
}

/** A new key for an existing merchant, returned once; undefined when there is no such merchant. */
export async function issueApiKey(
  db: Db,
  merchantId: string,
  kind: ApiKeyKind,
  mode: Mode,
): Promise<(ApiKeyInfo & { key: string }) | undefined> {
  if (!(await getMerchant(db, merchantId))) return undefined;
  const { key, row } = newApiKey(merchantId, kind, mode);
  const info = await db
    .insertInto('apiKeys')
    .values(row)
    .returning(API_KEY_INFO)
    .executeTakeFirstOrThrow();
  return { ...info, key };
}

/**
 * Idempotent: revoking a revoked key keeps its first revocation time. Undefined when the merchant has no
 * key with this id (another merchant's key id is "no such key").
 */
export async function revokeApiKey(db: Db, merchantId: string, keyId: string): Promise<ApiKeyInfo | undefined> {
  return db
    .updateTable('apiKeys')
    .set((eb) => ({ revokedAt: eb.fn.coalesce('revokedAt', sql<Date>`now()`) }))
    .where('id', '=', keyId)
    .where('merchantId', '=', merchantId)
    .returning(API_KEY_INFO)
    .executeTakeFirst();
}

/** The holder of an unrevoked key, by the key's hash, with its merchant's status. */
export async function findLiveApiKey(db: Db, keyHash: string) {
  return db
    .selectFrom('apiKeys')
    .innerJoin('merchants', 'merchants.id', 'apiKeys.merchantId')
    .select(['apiKeys.kind', 'apiKeys.mode', 'apiKeys.merchantId', 'merchants.status'])
    .where('apiKeys.keyHash', '=', keyHash)
    .where('apiKeys.revokedAt', 'is', null)
    .executeTakeFirst();
}

/**
 * Every merchant has settings (created with it). `lock` is for a caller's transaction: `update` to change
 * them, `share` to act on them (e.g. the currency a product must have) while no one changes them.
 */
export async function getSettings(
  db: Db,
  merchantId: string,
  lock?: 'update' | 'share',
): Promise<MerchantSettings> {
  let query = db.selectFrom('merchantSettings').select(SETTINGS_COLUMNS).where('merchantId', '=', merchantId);
  if (lock === 'update') query = query.forUpdate();
  if (lock === 'share') query = query.forShare();
  return query.executeTakeFirstOrThrow();
}

export async function updateSettings(
  db: Db,
  merchantId: string,
  patch: Partial<MerchantSettings>,
): Promise<MerchantSettings> {
  return db
    .updateTable('merchantSettings')
    .set({ ...patch, updatedAt: new Date() })
    .where('merchantId', '=', merchantId)
    .returning(SETTINGS_COLUMNS)
    .executeTakeFirstOrThrow();
}
