import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app.js';
import { createMerchant, getSettings, type MerchantSettings } from '../db/merchants.js';
import { createTestApp, PLATFORM_API_KEY, testConfig } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { connectTestTemporal, type TestTemporal } from './support/temporal.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Json = any;

interface Merchant {
  id: string;
  secretKey: string;
  adminKey: string;
  /** A verified merchant's live keys. */
  live?: { secretKey: string; adminKey: string };
}

describe('merchants, catalog, settings and quotes API', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;
  let app: App;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
    app = createTestApp({ db: database.db, temporal: temporal.client, config: testConfig(database.url) });
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  async function call(method: string, path: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  /** Registration numbers unique to each call, so every test has merchants of its own. */
  function uniqueNo(): string {
    return `91330100-${randomBytes(4).toString('hex').toUpperCase()}`;
  }

  function newMerchantBody(overrides: Record<string, unknown> = {}) {
    return {
      name: 'Hangzhou Tea House',
      contactEmail: `owner-${randomBytes(4).toString('hex')}@tea-house.example`,
      contactPhone: '+86 571 8888 0000',
      businessLicenceNo: uniqueNo(),
      taxRegistrationNo: uniqueNo(),
      ...overrides,
    };
  }

  async function onboard(options: { verify?: boolean } = {}): Promise<Merchant> {
    const created = await call('POST', '/v1/platform/merchants', PLATFORM_API_KEY, newMerchantBody());
    expect(created.status).toBe(201);
    const merchant: Merchant = { id: created.body.merchant.id, secretKey: created.body.secretKey, adminKey: created.body.adminKey };
    if (options.verify ?? true) {
      const verified = await call('POST', `/v1/platform/merchants/${merchant.id}/verify`, PLATFORM_API_KEY);
      expect(verified.status).toBe(200);
      merchant.live = verified.body.liveKeys;
    }
    return merchant;
  }

  async function addProduct(merchant: Merchant, product: Record<string, unknown>) {
    const response = await call('POST', '/v1/admin/products', merchant.adminKey, { currency: 'CNY', ...product });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function merchantCount(): Promise<number> {
    const row = await database.db.selectFrom('merchants').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  describe('platform routes', () => {
    it('require the platform key: none or unknown is 401, a merchant key is 403', async () => {
      const merchant = await onboard();
      const body = newMerchantBody();
      expect(await call('POST', '/v1/platform/merchants', undefined, body)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      expect((await call('POST', '/v1/platform/merchants', 'pk_test_wrong', body)).status).toBe(401);
      for (const key of [merchant.secretKey, merchant.adminKey]) {
        expect(await call('POST', '/v1/platform/merchants', key, body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
        expect((await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, key, { kind: 'admin' })).status).toBe(403);
      }
      expect(await database.db.selectFrom('merchants').select('id').where('contactEmail', '=', body.contactEmail).execute()).toEqual([]);
    });

    it('creates a pending merchant, shows its keys once and stores only their hashes', async () => {
      const input = newMerchantBody();
      const created = await call('POST', '/v1/platform/merchants', PLATFORM_API_KEY, input);
      expect(created.status).toBe(201);
      const { merchant, secretKey, adminKey } = created.body;
      expect(merchant).toEqual({
        id: expect.stringMatching(/^mch_/),
        name: input.name,
        contactEmail: input.contactEmail,
        contactPhone: input.contactPhone,
        businessLicenceNo: input.businessLicenceNo,
        taxRegistrationNo: input.taxRegistrationNo,
        status: 'pending_verification',
        createdAt: expect.any(String),
        verifiedAt: null,
      });
      expect(new Date(merchant.createdAt).toISOString()).toBe(merchant.createdAt);
      expect(secretKey).toMatch(/^sk_test_/);
      expect(adminKey).toMatch(/^ak_test_/);

      const rows = await database.db.selectFrom('apiKeys').selectAll().where('merchantId', '=', merchant.id).orderBy('kind').execute();
      expect(rows.map((row) => [row.kind, row.mode])).toEqual([['admin', 'test'], ['secret', 'test']]);
      for (const row of rows) {
        for (const value of Object.values(row)) {
          expect(value).not.toBe(secretKey);
          expect(value).not.toBe(adminKey);
        }
      }
      // The stored keys are the ones shown: a pending merchant's admin key already works.
      const account = await call('GET', '/v1/admin/settings', adminKey);
      expect(account.status).toBe(200);
      expect(account.body.merchant).toEqual(merchant);
      expect(JSON.stringify(account.body)).not.toMatch(/keyHash|sk_|ak_/);
    });

    it.each([
      ['a malformed email', { contactEmail: 'not-an-email' }],
      ['a short licence number', { businessLicenceNo: 'A-12' }],
      ['a licence number with spaces', { businessLicenceNo: '9133 0100 MA2B' }],
      ['a 33-character tax number', { taxRegistrationNo: 'A'.repeat(33) }],
      ['an empty name', { name: '  ' }],
      ['a missing tax number', { taxRegistrationNo: undefined }],
      ['an unknown field', { status: 'active' }],
    ])('refuses %s with 400 and creates nothing', async (_label, overrides) => {
      const before = await merchantCount();
      const response = await call('POST', '/v1/platform/merchants', PLATFORM_API_KEY, newMerchantBody(overrides));
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.body.error.details.length).toBeGreaterThan(0);
      expect(await merchantCount()).toBe(before);
    });

    it('verifies and suspends merchants; a suspended merchant\'s live keys are refused until it is verified again, its test keys keep working', async () => {
      const merchant = await onboard({ verify: false });
      const verified = await call('POST', `/v1/platform/merchants/${merchant.id}/verify`, PLATFORM_API_KEY);
      expect(verified.status).toBe(200);
      expect(verified.body.merchant).toMatchObject({ id: merchant.id, status: 'active', verifiedAt: expect.any(String) });
      expect(new Date(verified.body.merchant.verifiedAt).toISOString()).toBe(verified.body.merchant.verifiedAt);
      const live = verified.body.liveKeys;
      expect(live).toEqual({ secretKey: expect.stringMatching(/^sk_live_/), adminKey: expect.stringMatching(/^ak_live_/) });

      const suspended = await call('POST', `/v1/platform/merchants/${merchant.id}/suspend`, PLATFORM_API_KEY);
      expect(suspended.status).toBe(200);
      expect(suspended.body.merchant).toMatchObject({ id: merchant.id, status: 'suspended' });
      expect(suspended.body).not.toHaveProperty('liveKeys');
      expect(await call('GET', '/v1/admin/settings', live.adminKey)).toMatchObject({ status: 403, body: { error: { code: 'merchant_suspended' } } });
      const quote = { items: [{ sku: 'ANY', quantity: 1 }], shippingAddress: { line1: 'x', city: 'y', postalCode: '1', country: 'CN' } };
      expect(await call('POST', '/v1/quotes', live.secretKey, quote)).toMatchObject({ status: 403, body: { error: { code: 'merchant_suspended' } } });
      // No money moves in test mode: the test keys keep working.
      expect((await call('GET', '/v1/admin/settings', merchant.adminKey)).status).toBe(200);
      expect((await call('POST', '/v1/quotes', merchant.secretKey, quote)).status).not.toBe(403);
      // Nor can a live key be issued to a suspended merchant.
      expect(await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'secret', mode: 'live' })).toMatchObject({ status: 409, body: { error: { code: 'merchant_not_verified' } } });

      // Verified again: the live keys work again, and no new ones are issued.
      const again = await call('POST', `/v1/platform/merchants/${merchant.id}/verify`, PLATFORM_API_KEY);
      expect(again.status).toBe(200);
      expect(again.body).not.toHaveProperty('liveKeys');
      expect((await call('GET', '/v1/admin/settings', live.adminKey)).status).toBe(200);
      const keys = await database.db.selectFrom('apiKeys').select(['kind', 'mode']).where('merchantId', '=', merchant.id).orderBy('mode').orderBy('kind').execute();
      expect(keys).toEqual([
        { kind: 'admin', mode: 'live' },
        { kind: 'secret', mode: 'live' },
        { kind: 'admin', mode: 'test' },
        { kind: 'secret', mode: 'test' },
      ]);
    });

    it('issues live keys only to a verified merchant: 409 merchant_not_verified before, and issues nothing', async () => {
      const merchant = await onboard({ verify: false });
      const refused = await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'secret', mode: 'live' });
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'merchant_not_verified' } } });
      expect(await database.db.selectFrom('apiKeys').select('id').where('merchantId', '=', merchant.id).execute()).toHaveLength(2);
      // A test key needs no verification.
      expect(await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'secret', mode: 'test' })).toMatchObject({ status: 201, body: { mode: 'test', key: expect.stringMatching(/^sk_test_/) } });

      expect((await call('POST', `/v1/platform/merchants/${merchant.id}/verify`, PLATFORM_API_KEY)).status).toBe(200);
      const issued = await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'admin', mode: 'live' });
      expect(issued).toMatchObject({ status: 201, body: { kind: 'admin', mode: 'live', key: expect.stringMatching(/^ak_live_/), prefix: expect.stringMatching(/^ak_live_/) } });
      expect((await call('GET', '/v1/admin/settings', issued.body.key)).status).toBe(200);
    });

    it('answers 404 for an unknown merchant', async () => {
      for (const action of ['verify', 'suspend']) {
        expect(await call('POST', `/v1/platform/merchants/mch_nope/${action}`, PLATFORM_API_KEY)).toMatchObject({
          status: 404,
          body: { error: { code: 'merchant_not_found' } },
        });
      }
      expect((await call('POST', '/v1/platform/merchants/mch_nope/keys', PLATFORM_API_KEY, { kind: 'secret' })).status).toBe(404);
      expect(await database.db.selectFrom('apiKeys').select('id').where('merchantId', '=', 'mch_nope').execute()).toEqual([]);
    });

    it('issues a key shown once and revokes it: a revoked key is 401, the others still work', async () => {
      const merchant = await onboard();
      const issued = await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'admin' });
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({
        id: expect.stringMatching(/^key_/),
        kind: 'admin',
        mode: 'test',
        prefix: issued.body.key.slice(0, 'ak_test_'.length + 6),
        key: expect.stringMatching(/^ak_test_/),
        createdAt: expect.any(String),
        revokedAt: null,
      });
      const row = await database.db.selectFrom('apiKeys').selectAll().where('id', '=', issued.body.id).executeTakeFirstOrThrow();
      expect(Object.values(row)).not.toContain(issued.body.key);
      expect((await call('GET', '/v1/admin/settings', issued.body.key)).status).toBe(200);

      // Another merchant's id does not reach this key.
      const other = await onboard();
      expect(await call('DELETE', `/v1/platform/merchants/${other.id}/keys/${issued.body.id}`, PLATFORM_API_KEY)).toMatchObject({
        status: 404,
        body: { error: { code: 'key_not_found' } },
      });
      expect((await call('GET', '/v1/admin/settings', issued.body.key)).status).toBe(200);

      const revoked = await call('DELETE', `/v1/platform/merchants/${merchant.id}/keys/${issued.body.id}`, PLATFORM_API_KEY);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: issued.body.id, kind: 'admin', revokedAt: expect.any(String) });
      expect(revoked.body).not.toHaveProperty('key');
      expect(await call('GET', '/v1/admin/settings', issued.body.key)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      expect((await call('GET', '/v1/admin/settings', merchant.adminKey)).status).toBe(200);

      // Revoking again keeps the first revocation time.
      const again = await call('DELETE', `/v1/platform/merchants/${merchant.id}/keys/${issued.body.id}`, PLATFORM_API_KEY);
      expect(again).toMatchObject({ status: 200, body: { revokedAt: revoked.body.revokedAt } });
    });

    it('refuses an unknown key kind with 400 and issues nothing', async () => {
      const merchant = await onboard();
      const response = await call('POST', `/v1/platform/merchants/${merchant.id}/keys`, PLATFORM_API_KEY, { kind: 'platform' });
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
      expect(await database.db.selectFrom('apiKeys').select('id').where('merchantId', '=', merchant.id).execute()).toHaveLength(4);
    });
  });

  describe('catalog', () => {
    it('creates, lists by sku and patches products', async () => {
      const merchant = await onboard();
      const created = await addProduct(merchant, { sku: 'TEA-001', name: 'Longjing green tea, 250 g', unitAmount: 12_800 });
      expect(created).toEqual({
        sku: 'TEA-001',
        name: 'Longjing green tea, 250 g',
        unitAmount: 12_800,
        currency: 'CNY',
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await addProduct(merchant, { sku: 'CUP-002', name: 'Celadon tea cup', unitAmount: 4_500, active: false });

      const listed = await call('GET', '/v1/admin/products', merchant.adminKey);
      expect(listed.status).toBe(200);
      expect(listed.body.products.map((p: Json) => [p.sku, p.active])).toEqual([['CUP-002', false], ['TEA-001', true]]);

      const patched = await call('PATCH', '/v1/admin/products/CUP-002', merchant.adminKey, { unitAmount: 4_800, active: true });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ sku: 'CUP-002', name: 'Celadon tea cup', unitAmount: 4_800, active: true });
      const relisted = await call('GET', '/v1/admin/products', merchant.adminKey);
      expect(relisted.body.products.find((p: Json) => p.sku === 'CUP-002')).toEqual(patched.body);
    });

    it('refuses a duplicate sku with 409 and keeps the original', async () => {
      const merchant = await onboard();
      await addProduct(merchant, { sku: 'TEA-001', name: 'Original', unitAmount: 100 });
      const duplicate = await call('POST', '/v1/admin/products', merchant.adminKey, { sku: 'TEA-001', name: 'Copy', unitAmount: 200, currency: 'CNY' });
      expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'sku_exists' } } });
      const listed = await call('GET', '/v1/admin/products', merchant.adminKey);
      expect(listed.body.products).toMatchObject([{ sku: 'TEA-001', name: 'Original', unitAmount: 100 }]);
    });

    it.each([
      ['a negative amount', { unitAmount: -1 }, 400, 'invalid_request'],
      ['a fractional amount', { unitAmount: 12.5 }, 400, 'invalid_request'],
      ['an amount as a string', { unitAmount: '100' }, 400, 'invalid_request'],
      ['a sku with spaces', { sku: 'TEA 001' }, 400, 'invalid_request'],
      ['a lowercase currency', { currency: 'cny' }, 400, 'invalid_request'],
      ['a made-up currency', { currency: 'XYZ' }, 400, 'invalid_request'],
      ['an unknown field', { merchantId: 'mch_other' }, 400, 'invalid_request'],
      ["a currency other than the merchant's", { currency: 'USD' }, 422, 'currency_mismatch'],
    ])('refuses a product with %s and stores nothing', async (_label, overrides, status, code) => {
      const merchant = await onboard();
      const response = await call('POST', '/v1/admin/products', merchant.adminKey, { sku: 'TEA-001', name: 'Tea', unitAmount: 100, currency: 'CNY', ...overrides });
      expect(response).toMatchObject({ status, body: { error: { code } } });
      expect((await call('GET', '/v1/admin/products', merchant.adminKey)).body.products).toEqual([]);
    });

    it('refuses bad patches and changes nothing; an unknown sku is 404', async () => {
      const merchant = await onboard();
      const product = await addProduct(merchant, { sku: 'TEA-001', name: 'Tea', unitAmount: 100 });
      const attempts: Array<[string, unknown, number, string]> = [
        ['/v1/admin/products/TEA-001', { unitAmount: -5 }, 400, 'invalid_request'],
        ['/v1/admin/products/TEA-001', { unitAmount: 1.5 }, 400, 'invalid_request'],
        ['/v1/admin/products/TEA-001', { sku: 'TEA-002' }, 400, 'invalid_request'],
        ['/v1/admin/products/TEA-001', { name: 'Renamed', currency: 'USD' }, 422, 'currency_mismatch'],
        ['/v1/admin/products/NOPE-404', { name: 'Ghost' }, 404, 'product_not_found'],
      ];
      for (const [path, body, status, code] of attempts) {
        expect(await call('PATCH', path, merchant.adminKey, body)).toMatchObject({ status, body: { error: { code } } });
      }
      expect((await call('GET', '/v1/admin/products', merchant.adminKey)).body.products).toEqual([product]);
    });

    it("keeps each merchant's catalog its own", async () => {
      const owner = await onboard();
      const other = await onboard();
      const product = await addProduct(owner, { sku: 'TEA-001', name: "Owner's tea", unitAmount: 100 });

      expect((await call('GET', '/v1/admin/products', other.adminKey)).body.products).toEqual([]);
      expect(await call('PATCH', '/v1/admin/products/TEA-001', other.adminKey, { unitAmount: 1 })).toMatchObject({
        status: 404,
        body: { error: { code: 'product_not_found' } },
      });
      // The same sku is free for the other merchant, and stays separate.
      await addProduct(other, { sku: 'TEA-001', name: "Other's tea", unitAmount: 999 });
      expect((await call('GET', '/v1/admin/products', owner.adminKey)).body.products).toEqual([product]);
      expect((await call('GET', '/v1/admin/products', other.adminKey)).body.products).toMatchObject([{ sku: 'TEA-001', name: "Other's tea", unitAmount: 999 }]);
    });
  });

  describe('admin key scope', () => {
    it('refuses a secret key (403), the platform key (403) and no key (401) on admin routes', async () => {
      const merchant = await onboard();
      const requests: Array<[string, string, unknown?]> = [
        ['GET', '/v1/admin/products'],
        ['POST', '/v1/admin/products', { sku: 'TEA-001', name: 'Tea', unitAmount: 100, currency: 'CNY' }],
        ['PATCH', '/v1/admin/products/TEA-001', { name: 'x' }],
        ['GET', '/v1/admin/settings'],
        ['PUT', '/v1/admin/settings', { taxRateBps: 1 }],
      ];
      for (const [method, path, body] of requests) {
        expect(await call(method, path, merchant.secretKey, body)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
        expect((await call(method, path, PLATFORM_API_KEY, body)).status).toBe(403);
        expect((await call(method, path, undefined, body)).status).toBe(401);
      }
      const account = await call('GET', '/v1/admin/settings', merchant.adminKey);
      expect(account.body.settings.taxRateBps).toBe(0);
      expect(account.body.settings.currency).toBe('CNY');
      expect((await call('GET', '/v1/admin/products', merchant.adminKey)).body.products).toEqual([]);
    });
  });

  describe('settings', () => {
    it('returns the account and defaults, and applies a partial update', async () => {
      const merchant = await onboard();
      const before = await call('GET', '/v1/admin/settings', merchant.adminKey);
      expect(before.status).toBe(200);
      expect(before.body.merchant).toMatchObject({ id: merchant.id, status: 'active' });
      expect(before.body.settings).toEqual({
        currency: 'CNY',
        shippingFee: 0,
        taxRateBps: 0,
        paymentWindowSeconds: 1800,
        paymentCheckIntervalSeconds: 60,
        latePaymentGraceSeconds: 86_400,
        autoConfirm: false,
        refundWindowSeconds: 604_800,
        refundApprovalThreshold: 50_000,
        // A new merchant sells in CNY: its prices include tax, its pages speak Chinese in Beijing time.
        pricesIncludeTax: true,
        emailSenderName: null,
        emailReplyTo: null,
        locale: 'zh-CN',
        timeZone: 'Asia/Shanghai',
      });
      // A language or a time zone Paystead (or Intl) does not know is refused.
      expect((await call('PUT', '/v1/admin/settings', merchant.adminKey, { locale: 'fr' })).status).toBe(400);
      expect((await call('PUT', '/v1/admin/settings', merchant.adminKey, { timeZone: 'Mars/Olympus' })).status).toBe(400);

      const patch = { shippingFee: 1_000, taxRateBps: 600, autoConfirm: true, refundWindowSeconds: 0, emailSenderName: 'Tea House Orders', emailReplyTo: 'help@tea.example' };
      const put = await call('PUT', '/v1/admin/settings', merchant.adminKey, patch);
      expect(put.status).toBe(200);
      const expected = { ...before.body.settings, ...patch };
      expect(put.body).toEqual({ merchant: before.body.merchant, settings: expected });
      expect((await call('GET', '/v1/admin/settings', merchant.adminKey)).body.settings).toEqual(expected);
    });

    it('starts new merchants with tax-inclusive prices when they sell in CNY, and only then; what they are created with wins', async () => {
      const make = async (settings: Partial<MerchantSettings>) => {
        const { merchant } = await createMerchant(database.db, { ...newMerchantBody(), contactPhone: null }, settings);
        return (await getSettings(database.db, merchant.id)).pricesIncludeTax;
      };
      expect(await make({})).toBe(true);
      expect(await make({ currency: 'CNY' })).toBe(true);
      expect(await make({ currency: 'USD' })).toBe(false);
      expect(await make({ currency: 'JPY' })).toBe(false);
      expect(await make({ currency: 'CNY', pricesIncludeTax: false })).toBe(false);
      expect(await make({ currency: 'USD', pricesIncludeTax: true })).toBe(true);
    });

    it.each([
      ['a tax rate above 10000 bps', { taxRateBps: 10_001 }, 400, 'invalid_request'],
      ['a negative tax rate', { taxRateBps: -1 }, 400, 'invalid_request'],
      ['a zero payment window', { paymentWindowSeconds: 0 }, 400, 'invalid_request'],
      ['a zero check interval', { paymentCheckIntervalSeconds: 0 }, 400, 'invalid_request'],
      ['a fractional payment window', { paymentWindowSeconds: 90.5 }, 400, 'invalid_request'],
      ['a negative refund window', { refundWindowSeconds: -1 }, 400, 'invalid_request'],
      ['a negative shipping fee', { shippingFee: -100 }, 400, 'invalid_request'],
      ['a non-ISO currency', { currency: 'yuan' }, 400, 'invalid_request'],
      ['an unknown field', { taxRate: 6 }, 400, 'invalid_request'],
      ['a reply-to that is not an e-mail address', { emailReplyTo: 'help at tea' }, 400, 'invalid_request'],
      ['an empty sender name', { emailSenderName: ' ' }, 400, 'invalid_request'],
      ['a check interval longer than the window', { paymentCheckIntervalSeconds: 1_801 }, 422, 'invalid_settings'],
      ['a window shorter than the check interval', { paymentWindowSeconds: 59, shippingFee: 5 }, 422, 'invalid_settings'],
    ])('refuses %s and changes nothing', async (_label, patch, status, code) => {
      const merchant = await onboard();
      const before = await call('GET', '/v1/admin/settings', merchant.adminKey);
      expect(await call('PUT', '/v1/admin/settings', merchant.adminKey, patch)).toMatchObject({ status, body: { error: { code } } });
      expect(await call('GET', '/v1/admin/settings', merchant.adminKey)).toEqual(before);
    });

    it('lets the currency change only while no product is priced in another currency', async () => {
      const merchant = await onboard();
      const changed = await call('PUT', '/v1/admin/settings', merchant.adminKey, { currency: 'USD' });
      expect(changed).toMatchObject({ status: 200, body: { settings: { currency: 'USD' } } });
      await addProduct(merchant, { sku: 'MUG-001', name: 'Mug', unitAmount: 900, currency: 'USD' });

      const before = await call('GET', '/v1/admin/settings', merchant.adminKey);
      expect(await call('PUT', '/v1/admin/settings', merchant.adminKey, { currency: 'CNY', taxRateBps: 600 })).toMatchObject({
        status: 409,
        body: { error: { code: 'currency_locked' } },
      });
      expect(await call('GET', '/v1/admin/settings', merchant.adminKey)).toEqual(before);
      // Restating the current currency is not a change.
      expect((await call('PUT', '/v1/admin/settings', merchant.adminKey, { currency: 'USD' })).status).toBe(200);
    });
  });

  describe('quotes', () => {
    const shippingAddress = { line1: '1 West Lake Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' };

    async function tea(): Promise<Merchant> {
      const merchant = await onboard();
      await addProduct(merchant, { sku: 'TEA-001', name: 'Longjing green tea, 250 g', unitAmount: 12_800 });
      await addProduct(merchant, { sku: 'CUP-002', name: 'Celadon tea cup', unitAmount: 4_500 });
      await addProduct(merchant, { sku: 'OLD-003', name: 'Discontinued pot', unitAmount: 36_000, active: false });
      expect((await call('PUT', '/v1/admin/settings', merchant.adminKey, { shippingFee: 1_000, taxRateBps: 600, pricesIncludeTax: false })).status).toBe(200);
      return merchant;
    }

    it('prices a cart from the catalog: items, subtotal, shipping, tax and total', async () => {
      const merchant = await tea();
      const cart = { items: [{ sku: 'TEA-001', quantity: 2 }, { sku: 'CUP-002', quantity: 1 }], shippingAddress };
      const expected = {
        currency: 'CNY',
        items: [
          { sku: 'TEA-001', name: 'Longjing green tea, 250 g', quantity: 2, unitAmount: 12_800, lineTotal: 25_600 },
          { sku: 'CUP-002', name: 'Celadon tea cup', quantity: 1, unitAmount: 4_500, lineTotal: 4_500 },
        ],
        subtotal: 30_100,
        shippingFee: 1_000,
        tax: 1_806,
        taxIncluded: false,
        total: 32_906,
      };
      for (const key of [merchant.secretKey, merchant.adminKey]) {
        expect(await call('POST', '/v1/quotes', key, cart)).toEqual({ status: 200, body: expected });
      }
    });

    it('with tax-inclusive prices: the total is the prices plus shipping, and tax the part of each line that is tax', async () => {
      const merchant = await tea();
      const put = await call('PUT', '/v1/admin/settings', merchant.adminKey, { pricesIncludeTax: true, taxRateBps: 1_300 });
      expect(put.body.settings).toMatchObject({ pricesIncludeTax: true, taxRateBps: 1_300 });
      expect((await call('GET', '/v1/admin/settings', merchant.adminKey)).body.settings.pricesIncludeTax).toBe(true);
      const quote = await call('POST', '/v1/quotes', merchant.secretKey, { items: [{ sku: 'TEA-001', quantity: 2 }, { sku: 'CUP-002', quantity: 1 }], shippingAddress });
      // 25,600 at 13% includes 2,945.13 (2,945); 4,500 includes 517.70 (518).
      expect(quote).toMatchObject({ status: 200, body: { subtotal: 30_100, shippingFee: 1_000, tax: 2_945 + 518, taxIncluded: true, total: 31_100 } });
    });

    it("quotes from this merchant's catalog only", async () => {
      const merchant = await tea();
      const other = await onboard();
      const response = await call('POST', '/v1/quotes', other.secretKey, { items: [{ sku: 'TEA-001', quantity: 1 }], shippingAddress });
      expect(response).toMatchObject({ status: 422, body: { error: { code: 'invalid_items', details: [{ code: 'unknown_sku', sku: 'TEA-001' }] } } });
      expect((await call('POST', '/v1/quotes', merchant.secretKey, { items: [{ sku: 'TEA-001', quantity: 1 }], shippingAddress })).status).toBe(200);
    });

    it('lists every unknown or inactive sku with 422', async () => {
      const merchant = await tea();
      const response = await call('POST', '/v1/quotes', merchant.secretKey, {
        items: [{ sku: 'TEA-001', quantity: 1 }, { sku: 'NOPE-404', quantity: 1 }, { sku: 'OLD-003', quantity: 2 }],
        shippingAddress,
      });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('invalid_items');
      expect(response.body.error.details).toEqual([
        { code: 'unknown_sku', sku: 'NOPE-404' },
        { code: 'inactive_product', sku: 'OLD-003' },
      ]);
    });

    it('refuses a price sent by the client with 400', async () => {
      const merchant = await tea();
      const response = await call('POST', '/v1/quotes', merchant.secretKey, {
        items: [{ sku: 'TEA-001', quantity: 2, unitAmount: 1 }],
        shippingAddress,
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(JSON.stringify(response.body.error.details)).toContain('unitAmount');
      expect((await call('POST', '/v1/quotes', merchant.secretKey, { items: [{ sku: 'TEA-001', quantity: 1 }], shippingAddress, total: 1 })).status).toBe(400);
    });

    it('refuses malformed carts with 400 and the platform key with 403', async () => {
      const merchant = await tea();
      const bad: unknown[] = [
        { items: [], shippingAddress },
        { items: [{ sku: 'TEA-001', quantity: 0 }], shippingAddress },
        { items: [{ sku: 'TEA-001', quantity: 1.5 }], shippingAddress },
        { items: [{ sku: 'TEA-001', quantity: 1 }] },
        { items: [{ sku: 'TEA-001', quantity: 1 }], shippingAddress: { ...shippingAddress, country: 'China' } },
      ];
      for (const body of bad) expect((await call('POST', '/v1/quotes', merchant.secretKey, body)).status).toBe(400);
      const good = { items: [{ sku: 'TEA-001', quantity: 1 }], shippingAddress };
      expect((await call('POST', '/v1/quotes', PLATFORM_API_KEY, good)).status).toBe(403);
      expect((await call('POST', '/v1/quotes', undefined, good)).status).toBe(401);
    });
  });

  it('documents the new routes and the bearer scheme in /openapi.json', async () => {
    const spec = (await (await app.request('/openapi.json')).json()) as Json;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/platform/merchants',
        '/v1/platform/merchants/{id}/verify',
        '/v1/platform/merchants/{id}/suspend',
        '/v1/platform/merchants/{id}/keys',
        '/v1/platform/merchants/{id}/keys/{keyId}',
        '/v1/admin/products',
        '/v1/admin/products/{sku}',
        '/v1/admin/settings',
        '/v1/quotes',
      ]),
    );
    expect(Object.keys(spec.paths['/v1/admin/products'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(spec.paths['/v1/admin/settings'].put.security).toEqual([{ bearerAuth: [] }]);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', description: expect.stringContaining('sk_live_') });
    // The modes are described where a reader of the document starts.
    expect(spec.info.description).toMatch(/test keys .*sk_test_.*live keys .*sk_live_/s);
    expect(spec.info.description).toContain('gateway_not_available_in_live_mode');
  });
});
