import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayCredentials } from '../db/gateway-credentials.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

describe('gateway credentials through the admin API', () => {
  let stack: Stack;
  let merchant: Merchant;
  const secret = `sk_test_${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    stack = await startStack();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses incomplete or unknown fields with 422 naming them, storing nothing', async () => {
    const put = await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.adminKey, body: { secretKey: secret, colour: 'red' } });
    expect(put.status).toBe(422);
    expect(put.body.error.code).toBe('invalid_credentials');
    expect(put.body.error.details).toEqual({ webhookSecret: 'is required', colour: 'is not a field of this gateway' });
    expect(JSON.stringify(put.body)).not.toContain(secret);
    expect(await loadGatewayCredentials(stack.db, stack.config.masterKey, merchant.merchantId, 'stripe', 'test')).toBeUndefined();
    expect((await stack.request('PUT', '/v1/admin/gateways/sandbox/credentials', { key: merchant.adminKey, body: {} })).status).toBe(400);
    expect((await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.secretKey, body: {} })).status).toBe(403);
  });

  it('stores them encrypted, never returns them, and reports the gateway as configured', async () => {
    const before = await stack.request('GET', '/v1/admin/gateways', { key: merchant.adminKey });
    expect(before.body.gateways).toContainEqual({ gateway: 'stripe', available: true, configured: false, fields: ['secretKey', 'webhookSecret'] });

    const put = await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.adminKey, body: { secretKey: ` ${secret} `, webhookSecret: 'whsec_x' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ gateway: 'stripe', configured: true });
    const stored = await stack.db.selectFrom('gatewayCredentials').select('ciphertext').where('merchantId', '=', merchant.merchantId).executeTakeFirstOrThrow();
    expect(stored.ciphertext).not.toContain(secret);
    expect(await loadGatewayCredentials(stack.db, stack.config.masterKey, merchant.merchantId, 'stripe', 'test')).toEqual({ secretKey: secret, webhookSecret: 'whsec_x' });

    const after = await stack.request('GET', '/v1/admin/gateways', { key: merchant.adminKey });
    expect(after.body.gateways.find((g: { gateway: string }) => g.gateway === 'stripe').configured).toBe(true);
    expect(JSON.stringify(after.body)).not.toContain(secret);
  });

  it('keeps test and live credentials apart, refusing a Stripe key of the other mode with 422', async () => {
    const live = `sk_live_${Math.random().toString(36).slice(2)}`;
    const liveInTest = await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.adminKey, body: { secretKey: live, webhookSecret: 'whsec_x' } });
    expect(liveInTest).toMatchObject({ status: 422, body: { error: { code: 'invalid_credentials', details: { secretKey: 'must start with sk_test_ or rk_test_ in test mode' } } } });
    expect(JSON.stringify(liveInTest.body)).not.toContain(live);
    const testInLive = await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.liveAdminKey, body: { secretKey: secret, webhookSecret: 'whsec_x' } });
    expect(testInLive).toMatchObject({ status: 422, body: { error: { details: { secretKey: 'must start with sk_live_ or rk_live_ in live mode' } } } });
    expect(await loadGatewayCredentials(stack.db, stack.config.masterKey, merchant.merchantId, 'stripe', 'live')).toBeUndefined();

    const restricted = `rk_live_${Math.random().toString(36).slice(2)}`;
    expect((await stack.request('PUT', '/v1/admin/gateways/stripe/credentials', { key: merchant.liveAdminKey, body: { secretKey: restricted, webhookSecret: 'whsec_y' } })).status).toBe(200);
    expect(await loadGatewayCredentials(stack.db, stack.config.masterKey, merchant.merchantId, 'stripe', 'live')).toEqual({ secretKey: restricted, webhookSecret: 'whsec_y' });
    // The test credentials are untouched, and the live list knows no sandbox.
    expect(await loadGatewayCredentials(stack.db, stack.config.masterKey, merchant.merchantId, 'stripe', 'test')).toMatchObject({ secretKey: secret });
    const liveList = await stack.request('GET', '/v1/admin/gateways', { key: merchant.liveAdminKey });
    expect(liveList.body.gateways).toContainEqual(expect.objectContaining({ gateway: 'sandbox', available: false }));
    expect(liveList.body.gateways).toContainEqual(expect.objectContaining({ gateway: 'stripe', available: true, configured: true }));
  });

  it('refuses a checkout with a gateway the merchant has not configured', async () => {
    const checkout = await stack.checkout(merchant, { paymentMethod: 'unionpay' });
    expect(checkout.status).toBe(422);
    expect(checkout.body.error.code).toBe('gateway_not_configured');
    expect(await stack.db.selectFrom('orders').select('id').where('merchantId', '=', merchant.merchantId).execute()).toEqual([]);
  });
});
