import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { beijing } from './simulators/alipay/trades.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { cancelUnpaid, expectLatePaymentRefunded } from './support/late-payment.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- orders are JSON checked by the assertions */

/** The default cart: 2 × 128.00 + 45.00, shipping 10.00, tax 6 %. */
const TOTAL = 32_906;

describe('alipay gateway through the order workflow', () => {
  let sim: AlipaySimulator;
  let stack: Stack;

  beforeAll(async () => {
    sim = await startAlipaySimulator({ retryDelaysMs: [100, 200] });
    stack = await startStack({ ALIPAY_GATEWAY_URL: sim.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: sim.gatewayUrl });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });

  async function alipayMerchant(settings: Record<string, unknown> = {}, credentials: Record<string, string> = sim.merchantCredentials()): Promise<Merchant> {
    const merchant = await stack.createMerchant({ settings });
    await stack.setCredentials(merchant, 'alipay', credentials);
    return merchant;
  }

  const checkoutBody = (paymentFlow?: 'qr_code') => ({ paymentMethod: 'alipay', body: paymentFlow ? { paymentFlow } : {} });

  async function checkout(merchant: Merchant, paymentFlow?: 'qr_code') {
    const response = await stack.checkout(merchant, checkoutBody(paymentFlow));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const paymentId: string = response.body.payment.id;
    return { orderId: response.body.order.id as string, outTradeNo: toTradeNo(paymentId), action: response.body.payment.action };
  }

  const webhookEvents = (merchant: Merchant) =>
    stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'verificationError', 'refundId', 'body']).where('merchantId', '=', merchant.merchantId).orderBy('receivedAt').execute();

  const callsFor = (method: string, outTradeNo: string) => sim.calls.filter((c) => c.method === method && c.biz.out_trade_no === outTradeNo);

  it('pays through the page-pay link; the notification is acknowledged with exactly `success`, a duplicate changes nothing', async () => {
    const merchant = await alipayMerchant();
    const { orderId, outTradeNo, action } = await checkout(merchant);
    expect(action.type).toBe('redirect');
    const link = new URL(action.url);
    expect(`${link.origin}${link.pathname}`).toBe(sim.gatewayUrl);
    expect(link.searchParams.get('method')).toBe('alipay.trade.page.pay');
    expect(JSON.parse(link.searchParams.get('biz_content')!)).toMatchObject({ out_trade_no: outTradeNo, total_amount: '329.06', product_code: 'FAST_INSTANT_TRADE_PAY' });

    // The shopper opens the link: Alipay checks its signature and shows its cashier; an altered link is refused.
    expect(await (await fetch(action.url)).text()).toContain('¥329.06');
    expect(await (await fetch(action.url.replace('329.06', '1.00'))).text()).toContain('isv.invalid-signature');

    await sim.pay(outTradeNo, { notify: 'duplicate' });
    const paid = await stack.waitForOrder(merchant, orderId, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(TOTAL);
    expect(paid.payments[0].gatewayReference).toBe(sim.trade(outTradeNo)!.tradeNo);
    const acks = sim.deliveries.filter((d) => d.outTradeNo === outTradeNo);
    expect(acks).toHaveLength(2);
    for (const ack of acks) {
      expect(ack).toMatchObject({ status: 200, body: 'success' });
      expect(ack.contentType).toMatch(/^text\/plain/);
    }
    await vi.waitFor(async () => expect((await webhookEvents(merchant)).map((e) => e.status).sort()).toEqual(['duplicate', 'signalled']), { timeout: 5_000 });
  });

  it('closes the trade at Alipay when the payment window ends; Alipay then takes no payment', async () => {
    const merchant = await alipayMerchant({ paymentWindowSeconds: 3, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 1 });
    const { orderId, outTradeNo, action } = await checkout(merchant, 'qr_code');
    expect(action).toEqual({ type: 'qr_code', code: sim.trade(outTradeNo)!.qrCode });
    // Scanned, not paid: the trade is one Alipay shows and can close.
    sim.scan(outTradeNo);
    const expired = await stack.waitForOrder(merchant, orderId, (o) => o.status === 'expired');
    expect(expired.payments[0].status).toBe('closed');
    expect(callsFor('alipay.trade.close', outTradeNo)).toHaveLength(1);
    expect(sim.trade(outTradeNo)!.status).toBe('TRADE_CLOSED');
    await expect(sim.pay(outTradeNo)).rejects.toThrow(/TRADE_CLOSED/);
    // Alipay itself stops taking money when our window ends.
    expect(callsFor('alipay.trade.precreate', outTradeNo)[0]!.biz.time_expire).toBe(beijing(new Date(expired.payments[0].expiresAt)));
  });

  it('refunds a payment made after the order was cancelled, automatically', async () => {
    const merchant = await alipayMerchant({ paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 30 });
    const { orderId, outTradeNo } = await checkout(merchant, 'qr_code');
    // Not scanned yet, the trade is one Alipay cannot close; the shopper scans and pays after the cancel.
    await cancelUnpaid(stack, merchant, orderId);
    await sim.pay(outTradeNo);
    await expectLatePaymentRefunded(stack, merchant, { id: orderId, total: TOTAL }, sim.trade(outTradeNo)!.tradeNo);
    expect(sim.refundedFen(outTradeNo)).toBe(TOTAL);
  });

  it('refunds in parts up to the amount paid; a refund whose answer was lost is found, not made twice', async () => {
    const merchant = await alipayMerchant({ paymentCheckIntervalSeconds: 1 });
    const { orderId, outTradeNo } = await checkout(merchant, 'qr_code');
    await sim.pay(outTradeNo);
    await stack.waitForOrder(merchant, orderId, (o) => o.status === 'paid');

    // The first refund's notification is held back until after the second's.
    sim.notifyNextRefund('reorder');
    const first = await stack.request('POST', `/v1/orders/${orderId}/refunds`, { key: merchant.secretKey, body: { amount: 10_000, reason: 'one cup broke' } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await stack.waitForOrder(merchant, orderId, (o) => o.refunds[0]?.status === 'succeeded');

    // Alipay refunds the rest but its answer is lost: the retry asks Alipay first and finds the refund made.
    sim.failNext('alipay.trade.refund', { afterProcessing: true, httpStatus: 502 });
    const rest = await stack.request('POST', `/v1/admin/orders/${orderId}/refunds`, { key: merchant.adminKey, body: { reason: 'customer changed their mind' } });
    expect(rest.body.amount).toBe(TOTAL - 10_000);
    const refunded = await stack.waitForOrder(merchant, orderId, (o) => o.status === 'refunded');
    expect(refunded.refundedAmount).toBe(TOTAL);
    expect(refunded.refunds.map((r: any) => r.status)).toEqual(['succeeded', 'succeeded']);

    const trade = sim.trade(outTradeNo)!;
    expect(trade.refunds.map((r) => [r.outRequestNo, r.fen])).toEqual(refunded.refunds.map((r: any) => [toTradeNo(r.id), r.amount]));
    expect(sim.refundedFen(outTradeNo)).toBe(TOTAL);
    expect(trade.status).toBe('TRADE_CLOSED');
    expect(callsFor('alipay.trade.refund', outTradeNo)).toHaveLength(2);

    // Both refund notifications arrive, the held one last, verified and acknowledged.
    await vi.waitFor(async () => {
      const refundEvents = (await webhookEvents(merchant)).filter((e) => e.refundId !== null);
      expect(refundEvents.map((e) => [e.refundId, e.verified])).toEqual([[refunded.refunds[1].id, true], [refunded.refunds[0].id, true]]);
    }, { timeout: 5_000 });
    expect(sim.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => d.body)).toEqual(['success', 'success', 'success']);
  });

  it('finds a payment whose notification was lost by querying Alipay', async () => {
    const merchant = await alipayMerchant({ paymentCheckIntervalSeconds: 1 });
    const { orderId, outTradeNo } = await checkout(merchant, 'qr_code');
    await sim.pay(outTradeNo, { notify: 'drop' });
    const paid = await stack.waitForOrder(merchant, orderId, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(TOTAL);
    expect(sim.deliveries.filter((d) => d.outTradeNo === outTradeNo)).toEqual([]);
    expect(await webhookEvents(merchant)).toEqual([]);
  });

  it('rejects forged, corrupted, tampered, stale and misaddressed notifications, changing nothing', async () => {
    const merchant = await alipayMerchant();
    const { orderId, outTradeNo } = await checkout(merchant, 'qr_code');
    sim.scan(outTradeNo);
    const before = (await stack.order(merchant, orderId)).body;
    // Each claims the unpaid trade was paid.
    const paidClaim = { trade_status: 'TRADE_SUCCESS', gmt_payment: beijing(new Date()) };
    const otherApp = '2021000000000001';
    const cases = [
      { reason: /signature does not verify/, sent: sim.notify(outTradeNo, { fields: paidClaim, foreignKey: true }) },
      { reason: /signature does not verify/, sent: sim.notify(outTradeNo, { fields: paidClaim }, 'corrupt') },
      { reason: /signature does not verify/, sent: sim.notify(outTradeNo, { fields: paidClaim, tamper: { total_amount: '0.01' } }) },
      { reason: /stale/, sent: sim.notify(outTradeNo, { fields: { ...paidClaim, notify_time: beijing(new Date(Date.now() - 49 * 60 * 60 * 1000)) } }) },
      { reason: /another Alipay app/, sent: sim.notify(outTradeNo, { fields: { ...paidClaim, app_id: otherApp, auth_app_id: otherApp } }) },
    ];
    for (const { reason, sent } of cases) {
      const notifyId = await sent;
      const firstAttempt = sim.deliveries.find((d) => d.notifyId === notifyId && d.attempt === 1)!;
      expect(firstAttempt.status).toBe(401);
      expect(firstAttempt.body).not.toBe('success');
      const stored = (await webhookEvents(merchant)).filter((e) => e.body.includes(`notify_id=${notifyId}`));
      expect(stored.length).toBeGreaterThan(0);
      for (const event of stored) expect(event).toMatchObject({ status: 'rejected', verified: false, verificationError: expect.stringMatching(reason) });
    }
    // Not acknowledged, so Alipay tries again; every attempt is rejected the same way.
    await vi.waitFor(() => expect(sim.deliveries.filter((d) => d.outTradeNo === outTradeNo && d.attempt === 3)).toHaveLength(cases.length), { timeout: 5_000 });
    const events = await webhookEvents(merchant);
    expect(events).toHaveLength(cases.length * 3);
    expect(events.every((e) => e.status === 'rejected' && !e.verified)).toBe(true);
    const after = (await stack.order(merchant, orderId)).body;
    expect(after.status).toBe('awaiting_payment');
    expect(after.timeline).toEqual(before.timeline);
    expect(after.paidAmount).toBe(0);
  });

  it('retries while Alipay is unavailable (HTTP 503, then 429) until the QR code is made', async () => {
    const merchant = await alipayMerchant();
    sim.failNext('alipay.trade.precreate', { httpStatus: 503 });
    sim.failNext('alipay.trade.precreate', { httpStatus: 429 });
    const { outTradeNo, action } = await checkout(merchant, 'qr_code');
    expect(action).toEqual({ type: 'qr_code', code: sim.trade(outTradeNo)!.qrCode });
    expect(callsFor('alipay.trade.precreate', outTradeNo)).toHaveLength(3);
  });

  it('fails the checkout with a clear reason when the credentials are wrong, without retrying', async () => {
    const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    const cases = [
      { credentials: { privateKey: foreignKey }, flow: 'qr_code' as const, reason: /isv\.invalid-signature/, refused: 'isv.invalid-signature' },
      { credentials: { appId: '2021000000000009' }, flow: 'qr_code' as const, reason: /no signature to verify; check the appId/, refused: 'isv.invalid-app-id' },
      { credentials: { privateKey: 'not a key' }, flow: undefined, reason: /privateKey is not an RSA private key/, refused: undefined },
    ];
    for (const { credentials, flow, reason, refused } of cases) {
      const merchant = await alipayMerchant({}, { ...sim.merchantCredentials(), ...credentials });
      const response = await stack.checkout(merchant, checkoutBody(flow));
      expect(response.status, JSON.stringify(response.body)).toBe(502);
      expect(response.body.error.message).toMatch(reason);
      // The failed order is written down just after the checkout has its answer.
      const order = await vi.waitFor(async () => {
        const { id } = await stack.db.selectFrom('orders').select('id').where('merchantId', '=', merchant.merchantId).executeTakeFirstOrThrow();
        const found = (await stack.order(merchant, id)).body;
        expect(found.status).toBe('cancelled');
        return found;
      }, { timeout: 5_000 });
      expect(order.statusReason).toMatch(reason);
      const outTradeNo = toTradeNo(order.payments[0].id);
      expect(sim.calls.filter((c) => c.biz.out_trade_no === outTradeNo).map((c) => c.refused)).toEqual(refused ? [refused] : []);
    }
  });

  it('refuses other currencies at checkout', async () => {
    const merchant = await stack.createMerchant({ settings: { currency: 'USD' } });
    await stack.setCredentials(merchant, 'alipay', sim.merchantCredentials());
    const response = await stack.checkout(merchant, { paymentMethod: 'alipay' });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('currency_not_supported');
  });
});
