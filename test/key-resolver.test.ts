import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyResolver } from '../services/api-keys.js';
import { createDb } from '../db/database.js';
import { createMerchant, revokeApiKey, suspendMerchant } from '../db/merchants.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

describe('API key resolver', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function merchantWithKeys() {
    return createMerchant(database.db, { name: 'Tea House', contactEmail: 'owner@tea.example', businessLicenceNo: 'BL-1', taxRegistrationNo: 'TX-1' });
  }

  it('remembers a key for its time to live, and forgets everything on request', async () => {
    const { merchant, secretKey } = await merchantWithKeys();
    const keys = createKeyResolver(database.db, 'pk_platform', 60_000);
    expect(await keys.resolve(`Bearer ${secretKey}`)).toEqual({ kind: 'secret', merchantId: merchant.id, mode: 'test', merchantStatus: 'pending_verification' });

    await suspendMerchant(database.db, merchant.id);
    // Changed behind this process's back: remembered until forgotten (another API instance's view).
    expect(await keys.resolve(`Bearer ${secretKey}`)).toMatchObject({ merchantStatus: 'pending_verification' });
    keys.forget();
    expect(await keys.resolve(`Bearer ${secretKey}`)).toMatchObject({ merchantStatus: 'suspended' });
  });

  it('looks a key up again once its time to live is over', async () => {
    const { merchant, secretKey } = await merchantWithKeys();
    const keys = createKeyResolver(database.db, 'pk_platform', 50);
    expect(await keys.resolve(`Bearer ${secretKey}`)).toMatchObject({ merchantId: merchant.id });
    const [secret] = await database.db.selectFrom('apiKeys').select('id').where('merchantId', '=', merchant.id).where('kind', '=', 'secret').execute();
    await revokeApiKey(database.db, merchant.id, secret!.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await keys.resolve(`Bearer ${secretKey}`)).toBeUndefined();
  });

  it('resolves the platform key without the database and refuses unknown or missing keys', async () => {
    const closed = createDb(database.url, 1);
    await closed.destroy();
    expect(await createKeyResolver(closed, 'pk_platform', 5_000).resolve('Bearer pk_platform')).toEqual({ kind: 'platform' });
    const keys = createKeyResolver(database.db, 'pk_platform', 5_000);
    expect(await keys.resolve('Bearer sk_made_up')).toBeUndefined();
    expect(await keys.resolve(undefined)).toBeUndefined();
  });
});
