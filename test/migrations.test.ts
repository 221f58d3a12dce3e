import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, updateSettings } from '../db/merchants.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrationProvider } from '../db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** As if the database were from before `name`: later migrations undone and its record removed, so the next start runs it. */
  const forget = async (name: string) => {
    const { error } = await new Migrator({ db: database.db, provider: migrationProvider }).migrateTo(name);
    if (error) throw error;
    await sql`delete from kysely_migration where name = ${name}`.execute(database.db);
  };

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
});
