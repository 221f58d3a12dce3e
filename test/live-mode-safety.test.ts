// The safety rule of test and live modes: a shopper cannot obtain a `paid` live order without a real
// gateway's verified live notification. Not through the sandbox (refused for live keys at checkout; its API
// and hosted page refuse a live order's payment), nor through a test-mode notification naming a live payment.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_SIGNATURE_HEADER, sandboxSecret, signNotification } from '../gateways/sandbox/signature.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { createTestApp, testConfig } from './support/app.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

describe('test and live modes: the sandbox can never mark a live order paid', () => {
  let sim: AlipaySimulator;
  let stack: Stack;
  let merchant: Merchant;
  /** The same merchant acting with its live keys. */
  let live: Merchant;

  beforeAll(async () => {
    sim = await startAlipaySimulator({ retryDelaysMs: [100, 200] });
    stack = await startStack({ ALIPAY_GATEWAY_URL: sim.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: sim.gatewayUrl });
    await stack.startWorker();
    // The gateway is asked only after ten minutes: whatever pays the order here is a notification.
    merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 900, paymentCheckIntervalSeconds: 600 } });
    live = { ...merchant, secretKey: merchant.liveSecretKey!, adminKey: merchant.liveAdminKey! };
    // One Alipay app in both modes, so a misaddressed notification verifies and only its mode tells.
    await stack.setCredentials(merchant, 'alipay', sim.merchantCredentials());
    await stack.setCredentials(live, 'alipay', sim.merchantCredentials());
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });

  async function liveOrder() {
    // A QR code: Alipay opens the trade at once.
    const response = await stack.checkout(live, { paymentMethod: 'alipay', body: { paymentFlow: 'qr_code' } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return { orderId: response.body.order.id as string, paymentId: response.body.payment.id as string, total: response.body.order.total as number };
  }

  const statusOf = async (orderId: string) => (await stack.order(live, orderId)).body.status;
  const eventsFor = (paymentId: string) => stack.db.selectFrom('webhookEvents').select(['gateway', 'mode', 'status', 'verified', 'verificationError']).where('paymentId', '=', paymentId).orderBy('receivedAt').execute();

  it('refuses the sandbox for a live key with 422 gateway_not_available_in_live_mode, making no order', async () => {
    const refused = await stack.checkout(live, { paymentMethod: 'sandbox' });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'gateway_not_available_in_live_mode' } } });
    const orders = await stack.db.selectFrom('orders').select('livemode').where('merchantId', '=', merchant.merchantId).execute();
    expect(orders.filter((o) => o.livemode)).toEqual([]);
    // WeChat Pay has no API v3 sandbox: without WECHATPAY_TEST_BASE_URL it is not offered in test mode.
    expect(await stack.checkout(merchant, { paymentMethod: 'wechatpay' })).toMatchObject({ status: 422, body: { error: { code: 'gateway_not_available_in_test_mode' } } });
    // The same cart with the test key is a test order through the sandbox.
    const test = await stack.checkout(merchant);
    expect(test.status).toBe(201);
    expect((await stack.db.selectFrom('orders').select('livemode').where('id', '=', test.body.order.id).executeTakeFirstOrThrow()).livemode).toBe(false);
  });

  it('keeps a live order unpaid through the sandbox API and hosted page, even for a sandbox payment that should not exist', async () => {
    const { orderId, paymentId, total } = await liveOrder();
    const control = (id: string) =>
      stack.request('POST', `/sandbox/api/merchants/${merchant.merchantId}/control/payments/${id}/complete`, { key: sandboxSecret(stack.config.masterKey, merchant.merchantId), body: { outcome: 'succeeded' } });
    // The sandbox never saw this payment.
    expect((await control(paymentId)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/sandbox/pay/${paymentId}`)).status).toBe(404);

    // Were there one (data from before modes, a bug), the sandbox still refuses it: its order is live.
    await stack.db
      .insertInto('sandboxPayments')
      .values({ id: paymentId, merchantId: merchant.merchantId, orderNo: 'PSLIVE', amount: total, currency: 'CNY', description: 'live', notifyUrl: `${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, returnUrl: 'https://shop.example/', expiresAt: new Date(Date.now() + 600_000), status: 'pending', capturedAmount: null, capturedCurrency: null, paidAt: null })
      .execute();
    expect(await control(paymentId)).toMatchObject({ status: 403, body: { error: { code: 'not_a_test_order' } } });
    const page = await fetch(`${stack.baseUrl}/sandbox/pay/${paymentId}`);
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain('<button');
    const pressed = await fetch(`${stack.baseUrl}/sandbox/pay/${paymentId}`, { method: 'POST', body: new URLSearchParams({ outcome: 'succeeded' }), redirect: 'manual' });
    expect(pressed.status).toBe(403);
    expect((await stack.db.selectFrom('sandboxPayments').select(['status', 'chargeCount']).where('id', '=', paymentId).executeTakeFirstOrThrow())).toEqual({ status: 'pending', chargeCount: 0 });
    expect(await statusOf(orderId)).toBe('awaiting_payment');
  });

  it('rejects a test-mode notification carrying the live payment\'s id, storing and logging it; only the real gateway\'s live notification pays', async () => {
    const { orderId, paymentId, total } = await liveOrder();

    // The sandbox's notifications are test notifications, at either address, however well signed.
    const event = JSON.stringify({ id: `evt_cross_${paymentId}`, type: 'payment.succeeded', created: Math.floor(Date.now() / 1000), data: { paymentId, status: 'succeeded', amount: total, currency: 'CNY', reference: 'sbx_cross' } });
    const secret = sandboxSecret(stack.config.masterKey, merchant.merchantId);
    for (const path of [`/webhooks/sandbox/${merchant.merchantId}`, `/webhooks/sandbox/${merchant.merchantId}/test`]) {
      const sent = await fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signNotification(secret, event, Math.floor(Date.now() / 1000)) }, body: event });
      expect(sent.status, path).toBe(409);
      expect(await sent.json()).toMatchObject({ error: { code: 'notification_mode_mismatch' } });
    }

    // Alipay's own, verified, but sent to the test address (the gateway's sandbox environment's).
    const outTradeNo = toTradeNo(paymentId);
    const trade = sim.trade(outTradeNo)!;
    const liveAddress = trade.notifyUrl!;
    expect(liveAddress).toBe(`${stack.baseUrl}/webhooks/alipay/${merchant.merchantId}`);
    trade.notifyUrl = `${liveAddress}/test`;
    await sim.pay(outTradeNo);
    await vi.waitFor(() => expect(sim.deliveries.filter((d) => d.outTradeNo === outTradeNo)).toHaveLength(3), { timeout: 5_000 });
    for (const delivery of sim.deliveries.filter((d) => d.outTradeNo === outTradeNo)) expect(delivery.status).toBe(409);

    const crossed = await eventsFor(paymentId);
    expect(crossed).toHaveLength(5);
    for (const stored of crossed) expect(stored).toMatchObject({ mode: 'test', status: 'rejected', verified: true, verificationError: 'a test-mode notification for a live order' });
    expect(await statusOf(orderId)).toBe('awaiting_payment');

    // The real gateway's notification at the live address pays it.
    trade.notifyUrl = liveAddress;
    await sim.notify(outTradeNo, {});
    const paid = await stack.waitForOrder(live, orderId, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(total);
    expect((await eventsFor(paymentId)).at(-1)).toMatchObject({ gateway: 'alipay', mode: 'live', status: 'signalled' });
  });

  it('keeps a test order out of reach of live notifications too', async () => {
    const test = await stack.checkout(merchant, { paymentMethod: 'alipay', body: { paymentFlow: 'qr_code' } });
    expect(test.status).toBe(201);
    const outTradeNo = toTradeNo(test.body.payment.id);
    const trade = sim.trade(outTradeNo)!;
    expect(trade.notifyUrl).toBe(`${stack.baseUrl}/webhooks/alipay/${merchant.merchantId}/test`);
    trade.notifyUrl = `${stack.baseUrl}/webhooks/alipay/${merchant.merchantId}`;
    await sim.pay(outTradeNo);
    await vi.waitFor(async () => expect((await eventsFor(test.body.payment.id)).map((e) => e.status)).toEqual(['rejected', 'rejected', 'rejected']), { timeout: 5_000 });
    // Read with the test key: a live key does not see test orders at all.
    expect((await stack.order(merchant, test.body.order.id)).body.status).toBe('awaiting_payment');
  });
});

describe('SANDBOX_ENABLED=false', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ SANDBOX_ENABLED: 'false' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('removes the sandbox gateway, its routes and hosted page: checkout is 422 gateway_unavailable, the gateway list omits it', async () => {
    const merchant = await stack.createMerchant();
    expect(await stack.checkout(merchant)).toMatchObject({ status: 422, body: { error: { code: 'gateway_unavailable' } } });
    expect(await stack.checkout({ ...merchant, secretKey: merchant.liveSecretKey! })).toMatchObject({ status: 422, body: { error: { code: 'gateway_unavailable' } } });
    const listed = await stack.request('GET', '/v1/admin/gateways', { key: merchant.adminKey });
    expect(listed.status).toBe(200);
    expect(listed.body.gateways.map((g: { gateway: string }) => g.gateway)).toEqual(['alipay', 'wechatpay', 'unionpay', 'stripe']);
    const secret = sandboxSecret(stack.config.masterKey, merchant.merchantId);
    expect((await stack.request('POST', `/sandbox/api/merchants/${merchant.merchantId}/payments`, { key: secret, body: {} })).status).toBe(404);
    const page = await fetch(`${stack.baseUrl}/sandbox/pay/pay_anything`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('sandbox payment');
    expect((await fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);

    // On by default: the same deployment without the switch serves the hosted page.
    const app = createTestApp({ db: stack.db, temporal: stack.client, config: testConfig(stack.config.database.url, stack.taskQueue) });
    expect(await (await app.request('/sandbox/pay/pay_anything')).text()).toContain('There is no sandbox payment at this address.');
  });
});
