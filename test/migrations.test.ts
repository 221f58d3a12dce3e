import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { createMerchant, getSettings, updateSettings } from '../db/merchants.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrationProvider } from '../db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';


/**
 * A merchant as a database before a settings migration holds it, written through SQL: the settings columns
 * every schema version has, and `prices_include_tax` once the schema requires it.
 */
async function insertOldMerchant(db: Db, id: string, currency: string, schema: { pricesIncludeTax?: boolean } = {}): Promise<void> {
  await sql`
    insert into merchants (id, name, contact_email, business_licence_no, tax_registration_no, status)
    values (${id}, 'Old Shop', ${`${id}@shop.example`}, ${`BL-${id}`}, ${`TX-${id}`}, 'active')
  `.execute(db);
  await sql`
    insert into merchant_settings (merchant_id, currency, shipping_fee, tax_rate_bps, payment_window_seconds, payment_check_interval_seconds,
      auto_confirm, refund_window_seconds, refund_approval_threshold${schema.pricesIncludeTax === undefined ? sql`` : sql`, prices_include_tax`})
    values (${id}, ${currency}, 0, 600, 1800, 60, false, 604800, 50000${schema.pricesIncludeTax === undefined ? sql`` : sql`, ${schema.pricesIncludeTax}`})
  `.execute(db);
}

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** As if the database were from before `name`: it and every later migration undone, so the next start runs them. */
  async function forget(name: string, db = database.db) {
    const names = Object.keys(await migrationProvider.getMigrations());
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(names[names.indexOf(name) - 1]!);
    if (error) throw error;
  }

  it('stops an upgrade that would change the value of stored amounts, and change nothing', async () => {
    const name = '2026-11-26T02-00-00-iso-minor-units';
    await forget(name);
    expect((await migrateToLatest(database.db))[0]).toBe(name);

    const { merchant } = await createMerchant(database.db, { name: 'Dakar Tea', contactEmail: 'tea@dakar.example', businessLicenceNo: 'BL-XOF-1', taxRegistrationNo: 'TX-XOF-1' });
    await updateSettings(database.db, merchant.id, { currency: 'XOF', shippingFee: 150_000 });
    await forget(name);
    await expect(migrateToLatest(database.db)).rejects.toThrow(/amounts in XOF are stored in hundredths/);
    const settings = await database.db.selectFrom('merchantSettings').select(['currency', 'shippingFee']).where('merchantId', '=', merchant.id).executeTakeFirstOrThrow();
    expect(settings).toEqual({ currency: 'XOF', shippingFee: 150_000 });
  });

  it('keeps tax added on top for merchants that existed before tax-inclusive prices, CNY ones too', async () => {
    // A database of its own: the test above leaves this file's database refusing to upgrade.
    const own = await createTestDatabase();
    try {
      const name = '2026-12-03T13-00-00-prices-include-tax';
      await forget(name, own.db);
      for (const [id, currency] of [['mch_old_cny', 'CNY'], ['mch_old_usd', 'USD']] as const) {
        await insertOldMerchant(own.db, id, currency);
      }
      expect(await migrateToLatest(own.db)).toContain(name);
      for (const id of ['mch_old_cny', 'mch_old_usd']) expect((await getSettings(own.db, id)).pricesIncludeTax).toBe(false);
    } finally {
      await own.drop();
    }
  });
  it('keeps merchants that existed before locales on English, moving CNY ones to Beijing time and the others to UTC', async () => {
    const own = await createTestDatabase();
    try {
      const name = '2026-12-03T17-00-00-locales';
      await forget(name, own.db);
      for (const [id, currency] of [['mch_lang_cny', 'CNY'], ['mch_lang_usd', 'USD']] as const) {
        await insertOldMerchant(own.db, id, currency, { pricesIncludeTax: false });
      }
      expect(await migrateToLatest(own.db)).toContain(name);
      expect(await getSettings(own.db, 'mch_lang_cny')).toMatchObject({ locale: 'en', timeZone: 'Asia/Shanghai' });
      expect(await getSettings(own.db, 'mch_lang_usd')).toMatchObject({ locale: 'en', timeZone: 'UTC' });
      const fresh = await createMerchant(own.db, { name: 'New Shop', contactEmail: 'new@shop.example', businessLicenceNo: 'BL-new-lang', taxRegistrationNo: 'TX-new-lang' });
      expect(await getSettings(own.db, fresh.merchant.id)).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    } finally {
      await own.drop();
    }
  });
});
