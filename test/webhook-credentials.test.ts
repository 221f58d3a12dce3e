import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

/**
 * A notification for a merchant whose gateway credentials are missing cannot be verified, but may well be
 * genuine: it is neither signalled nor stored as forged, and the gateway is asked to try again later, when
 * the merchant may have configured them (the order's own checks query the gateway meanwhile).
 */
describe('webhooks for a merchant without credentials', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // Bodies shaped as each gateway sends them, so that only the missing credentials stand in the way.
  const notifications = {
    alipay: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'notify_id=n1&notify_time=2026-11-26+10%3A00%3A00&app_id=2021000000000001&out_trade_no=pay1&trade_status=TRADE_SUCCESS&sign_type=RSA2&sign=c2lnbg%3D%3D' },
    wechatpay: {
      headers: { 'content-type': 'application/json', 'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)), 'wechatpay-nonce': 'n1', 'wechatpay-serial': 'ABC', 'wechatpay-signature': 'c2lnbg==' },
      body: JSON.stringify({ id: 'e1', event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'Y2lwaGVydGV4dGNpcGhlcnRleHQ=', nonce: 'n1', associated_data: 'transaction' } }),
    },
    unionpay: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'version=5.1.0&txnType=01&merId=777290058110048&orderId=pay1&txnTime=20261126100000&respCode=00&signature=c2lnbg%3D%3D' },
    stripe: { headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=00` }, body: JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed', data: { object: {} } }) },
  };

  it.each(Object.entries(notifications))('%s: asks for a retry and stores nothing as forged', async (gateway, { headers, body }) => {
    const merchant = await stack.createMerchant();
    const response = await fetch(`${stack.baseUrl}/webhooks/${gateway}/${merchant.merchantId}`, { method: 'POST', headers, body });
    expect(response.status, await response.text()).toBe(500);
    const stored = await stack.db.selectFrom('webhookEvents').select(['status']).where('merchantId', '=', merchant.merchantId).execute();
    expect(stored).toEqual([]);
  });
});
