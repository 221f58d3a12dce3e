// The modes migration on a database that was in use before it: keys, orders, sessions and stored gateway
// credentials written at the previous schema, then upgraded, checked through the API, and downgraded.
import { createHash, randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../core/secret-box.js';
import { loadGatewayCredentials, saveGatewayCredentials } from '../db/gateway-credentials.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrationProvider } from '../db/migrations/index.js';
import { resolvePrincipal } from '../services/api-keys.js';
import { createTestApp, PLATFORM_API_KEY, testConfig } from './support/app.js';
import { createEmptyTestDatabase, type TestDatabase } from './support/database.js';
import { connectTestTemporal, type TestTemporal } from './support/temporal.js';

const BEFORE_MODES = '2026-12-03T02-00-00-webhook-rejection-windows';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const random = () => randomBytes(12).toString('hex');

/** A key as issued before modes: `sk_…`/`ak_…`, no mode in it. */
function oldKey(prefix: 'sk' | 'ak') {
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: sha256(key) };
}

interface OldMerchant {
  id: string;
  secretKey: string;
  adminKey: string;
  adminKeyHash: string;
}

describe('the modes migration on a database in use', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  const masterKey = randomBytes(32);
  const credentials = { appId: '2021000000000001', privateKey: 'merchant-private-key', alipayPublicKey: 'alipay-public-key' };
  let verified: OldMerchant;
  let unverified: OldMerchant;
  let sandboxOrderId: string;
  let alipayOrderId: string;

  async function migrateTo(name: string) {
    const { error } = await new Migrator({ db: database.db, provider: migrationProvider }).migrateTo(name);
    if (error) throw error;
  }

  async function insertMerchant(name: string, verifiedAt: Date | null): Promise<OldMerchant> {
    const id = `mch_${random()}`;
    const [secret, admin] = [oldKey('sk'), oldKey('ak')];
    await sql`
      insert into merchants (id, name, contact_email, business_licence_no, tax_registration_no, status, verified_at)
      values (${id}, ${name}, ${`${id}@shop.example`}, ${`BL-${id}`}, ${`TX-${id}`}, ${verifiedAt ? 'active' : 'pending_verification'}, ${verifiedAt})
    `.execute(database.db);
    await sql`
      insert into merchant_settings (merchant_id, currency, shipping_fee, tax_rate_bps, payment_window_seconds, payment_check_interval_seconds,
        auto_confirm, refund_window_seconds, refund_approval_threshold)
      values (${id}, 'CNY', 1000, 600, 1800, 60, false, 604800, 50000)
    `.execute(database.db);
    await sql`
      insert into api_keys (id, merchant_id, kind, key_hash, prefix) values
        (${`key_${random()}`}, ${id}, 'secret', ${secret.hash}, ${secret.key.slice(0, 9)}),
        (${`key_${random()}`}, ${id}, 'admin', ${admin.hash}, ${admin.key.slice(0, 9)})
    `.execute(database.db);
    return { id, secretKey: secret.key, adminKey: admin.key, adminKeyHash: admin.hash };
  }

  /** A paid order with its payment and timeline, as the projection wrote them before modes. */
  async function insertPaidOrder(merchantId: string, gateway: 'sandbox' | 'alipay'): Promise<string> {
    const id = `ord_${random()}`;
    const at = new Date('2026-12-01T08:00:00Z');
    const items = [{ sku: 'TEA-1', name: 'Longjing', quantity: 2, unitAmount: 5000, lineTotal: 10000 }];
    const customer = { name: 'Li Lei', email: 'li@example.com', phone: '+86 138 0000 0000' };
    const address = { line1: '1 West Lake Rd', city: 'Hangzhou', postalCode: '310000', country: 'CN' };
    const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
    await sql`
      insert into orders (id, merchant_id, order_no, workflow_id, idempotency_key, request_hash, view_token, status, currency,
        subtotal, shipping_fee, tax, total, paid_amount, refunded_amount, items, customer, customer_email, customer_phone,
        shipping_address, payment_method, version, created_at, updated_at)
      values (${id}, ${merchantId}, ${`PS${random().toUpperCase()}`}, ${`order-${merchantId}-${id}`}, ${`idem-${gateway}`}, ${sha256(id)},
        ${randomBytes(24).toString('base64url')}, 'paid', 'CNY', 10000, 1000, 600, 11600, 11600, 0, ${json(items)}, ${json(customer)},
        ${customer.email}, ${customer.phone}, ${json(address)}, ${gateway}, 3, ${at}, ${at})
    `.execute(database.db);
    await sql`
      insert into payments (id, order_id, merchant_id, gateway, status, amount, currency, captured_amount, captured_currency,
        gateway_reference, expires_at, paid_at, created_at, updated_at)
      values (${`pay_${random()}`}, ${id}, ${merchantId}, ${gateway}, 'succeeded', 11600, 'CNY', 11600, 'CNY', ${`ref-${id}`}, ${at}, ${at}, ${at}, ${at})
    `.execute(database.db);
    await sql`
      insert into order_events (order_id, seq, at, status, event, actor) values
        (${id}, 1, ${at}, 'awaiting_payment', 'created', 'customer'),
        (${id}, 2, ${at}, 'paid', 'payment_succeeded', 'gateway')
    `.execute(database.db);
    return id;
  }

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    temporal = await connectTestTemporal();
    await migrateTo(BEFORE_MODES);

    verified = await insertMerchant('Verified Tea', new Date('2026-11-30T00:00:00Z'));
    unverified = await insertMerchant('Unverified Tea', null);
    // Sessions signed in with each admin key; the verified merchant's gateway credentials, sealed as they were.
    for (const merchant of [verified, unverified]) {
      await sql`
        insert into admin_sessions (id, merchant_id, key_hash, csrf_token, expires_at)
        values (${sha256(random())}, ${merchant.id}, ${merchant.adminKeyHash}, ${random()}, now() + interval '1 hour')
      `.execute(database.db);
    }
    const ciphertext = seal(masterKey, JSON.stringify(credentials), `gateway-credentials:${verified.id}:alipay`);
    await sql`insert into gateway_credentials (merchant_id, gateway, ciphertext) values (${verified.id}, 'alipay', ${ciphertext})`.execute(database.db);
    sandboxOrderId = await insertPaidOrder(verified.id, 'sandbox');
    alipayOrderId = await insertPaidOrder(verified.id, 'alipay');

    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it("makes the verified merchant's keys live and the unverified merchant's test keys, and both keep authenticating", async () => {
    const principal = (key: string) => resolvePrincipal(database.db, PLATFORM_API_KEY, `Bearer ${key}`);
    expect(await principal(verified.secretKey)).toEqual({ kind: 'secret', merchantId: verified.id, mode: 'live', merchantStatus: 'active' });
    expect(await principal(verified.adminKey)).toEqual({ kind: 'admin', merchantId: verified.id, mode: 'live', merchantStatus: 'active' });
    expect(await principal(unverified.secretKey)).toEqual({ kind: 'secret', merchantId: unverified.id, mode: 'test', merchantStatus: 'pending_verification' });
    expect(await principal(unverified.adminKey)).toEqual({ kind: 'admin', merchantId: unverified.id, mode: 'test', merchantStatus: 'pending_verification' });

    const sessions = await database.db.selectFrom('adminSessions').select(['merchantId', 'mode']).execute();
    expect(sessions).toEqual(expect.arrayContaining([{ merchantId: verified.id, mode: 'live' }, { merchantId: unverified.id, mode: 'test' }]));

    // Through the running app: the old keys still open the routes they opened before.
    const app = createTestApp({ db: database.db, temporal: temporal.client, config: testConfig(database.url) });
    const get = (path: string, key: string) => app.request(path, { headers: { authorization: `Bearer ${key}` } });
    const order = await get(`/v1/orders/${alipayOrderId}`, verified.secretKey);
    expect(order.status).toBe(200);
    expect(await order.json()).toMatchObject({ id: alipayOrderId, paymentMethod: 'alipay', tax: 600, taxIncluded: false, total: 11600 });
    expect((await get('/v1/admin/settings', verified.adminKey)).status).toBe(200);
    expect((await get('/v1/admin/settings', unverified.adminKey)).status).toBe(200);
  });

  it('makes sandbox orders test orders and the others live', async () => {
    const orders = await database.db.selectFrom('orders').select(['id', 'livemode']).execute();
    expect(Object.fromEntries(orders.map((o) => [o.id, o.livemode]))).toEqual({ [sandboxOrderId]: false, [alipayOrderId]: true });
  });

  it('makes stored gateway credentials live credentials that still decrypt', async () => {
    expect(await loadGatewayCredentials(database.db, masterKey, verified.id, 'alipay', 'live')).toEqual(credentials);
    expect(await loadGatewayCredentials(database.db, masterKey, verified.id, 'alipay', 'test')).toBeUndefined();
  });

  it('goes down again: test data beside it is dropped, live data kept in its old form, and up once more', async () => {
    await saveGatewayCredentials(database.db, masterKey, verified.id, 'alipay', 'test', { ...credentials, appId: 'sandbox-app' });
    await migrateTo(BEFORE_MODES);

    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and ((table_name in ('api_keys', 'gateway_credentials', 'admin_sessions') and column_name = 'mode') or column_name = 'livemode')
    `.execute(database.db);
    expect(columns.rows).toEqual([]);
    const stored = await sql<{ gateway: string; ciphertext: string }>`select gateway, ciphertext from gateway_credentials where merchant_id = ${verified.id}`.execute(database.db);
    expect(stored.rows.map((row) => row.gateway)).toEqual(['alipay']);
    const keys = await sql<{ n: string }>`select count(*) as n from api_keys where revoked_at is null`.execute(database.db);
    expect(Number(keys.rows[0]!.n)).toBe(4);

    await migrateToLatest(database.db);
    expect(await loadGatewayCredentials(database.db, masterKey, verified.id, 'alipay', 'live')).toEqual(credentials);
    expect((await resolvePrincipal(database.db, PLATFORM_API_KEY, `Bearer ${verified.secretKey}`))?.kind).toBe('secret');
  });
});
