import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../core/ids.js';
import { createAlipayAdapter } from '../gateways/alipay/adapter.js';
import { fromBeijingTime, fromYuan, toBeijingTime, toYuan } from '../gateways/alipay/format.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { GatewayError, NotificationRejected, type GatewayContext } from '../gateways/types.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { caught } from './support/caught.js';
import { startNotificationReceiver, type NotificationReceiver } from './support/notification-receiver.js';

describe('alipay formats', () => {
  it('writes fen as yuan with two decimals and reads it back exactly', () => {
    expect([0, 5, 100, 12_345, 32_906, 9_007_199_254_740_991].map(toYuan)).toEqual(['0.00', '0.05', '1.00', '123.45', '329.06', '90071992547409.91']);
    expect(() => toYuan(1.5)).toThrow(RangeError);
    expect(() => toYuan(-1)).toThrow(RangeError);
    expect(['128', '128.5', '128.50', '0.01', '329.06'].map(fromYuan)).toEqual([12_800, 12_850, 12_850, 1, 32_906]);
    for (const bad of ['1.234', '-1', '1e3', ' 1', '1.', '.5', '0x10', '']) expect(fromYuan(bad)).toBeUndefined();
  });

  it('writes and reads Beijing time', () => {
    expect(toBeijingTime('2026-01-01T16:30:00.999Z')).toBe('2026-01-02 00:30:00');
    expect(fromBeijingTime('2026-01-02 00:30:00')?.toISOString()).toBe('2026-01-01T16:30:00.000Z');
    expect(fromBeijingTime('2026-01-02 00:30:00.123')?.toISOString()).toBe('2026-01-01T16:30:00.123Z');
    for (const bad of ['2026-02-30 10:00:00', '2026-01-02T00:30:00', '2026-01-02 24:00:00', '']) expect(fromBeijingTime(bad)).toBeUndefined();
  });
});

describe('alipay adapter against the simulator', () => {
  let sim: AlipaySimulator;
  let receiver: NotificationReceiver;
  let ctx: GatewayContext;
  const adapter = () => createAlipayAdapter({ gatewayUrl: sim.gatewayUrl, timeoutMs: 5_000 });

  beforeAll(async () => {
    sim = await startAlipaySimulator();
    receiver = await startNotificationReceiver(() => ({ status: 200, contentType: 'text/plain', body: 'success' }));
    ctx = { merchantId: newId('mch'), credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: `${receiver.url}/notify` };
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  const NOW = new Date().toISOString();

  async function paidPayment(amount = 12_345) {
    const paymentId = newId('pay');
    await adapter().createPayment(ctx, { paymentId, orderNo: 'ORD-1', amount, currency: 'CNY', description: 'Two mugs', returnUrl: '', expiresAt: new Date(Date.now() + 60_000).toISOString(), createdAt: NOW, flow: 'qr_code' });
    await sim.pay(toTradeNo(paymentId));
    return paymentId;
  }

  it('takes keys as PEM (PKCS#1, PKCS#8, SPKI) or bare base64, and names a missing or broken field', async () => {
    const { privateKey, alipayPublicKey } = sim.merchantCredentials();
    const der = (text: string) => ({ key: Buffer.from(text, 'base64'), format: 'der' as const });
    const pem = {
      privateKey: createPrivateKey({ ...der(privateKey), type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs1' }) as string,
      alipayPublicKey: createPublicKey({ ...der(alipayPublicKey), type: 'spki' }).export({ format: 'pem', type: 'spki' }) as string,
    };
    expect(await adapter().queryPayment({ ...ctx, credentials: { ...ctx.credentials, ...pem } }, { paymentId: newId('pay'), createdAt: NOW })).toEqual({ status: 'not_found' });

    for (const [credentials, message] of [
      [{ appId: '' }, 'Alipay credentials: appId is missing'],
      [{ privateKey: 'not a key' }, 'Alipay credentials: privateKey is not an RSA private key'],
      [{ alipayPublicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }) as string }, 'Alipay credentials: alipayPublicKey is not an RSA public key'],
    ] as const) {
      const error = await caught(adapter().queryPayment({ ...ctx, credentials: { ...ctx.credentials, ...credentials } }, { paymentId: newId('pay'), createdAt: NOW }));
      expect(error).toMatchObject({ kind: 'auth', message });
    }
  });

  it('refuses an answer that does not verify with the configured Alipay public key', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const error = await caught(adapter().queryPayment({ ...ctx, credentials: { ...ctx.credentials, alipayPublicKey: otherKey } }, { paymentId: newId('pay'), createdAt: NOW }));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'auth', message: expect.stringContaining('does not verify with the configured alipayPublicKey (it claims 40004 ACQ.TRADE_NOT_EXIST)') });
  });

  it("sorts Alipay's codes into retryable and final", async () => {
    const query = () => caught(adapter().queryPayment(ctx, { paymentId: newId('pay'), createdAt: NOW }));
    for (const [fault, kind] of [
      [{ code: '20000', subCode: 'isp.unknow-error' }, 'server'],
      [{ code: '40004', subCode: 'ACQ.SYSTEM_ERROR' }, 'server'],
      [{ code: '20001', subCode: 'aop.invalid-auth-token' }, 'auth'],
      [{ code: '40006', subCode: 'isv.insufficient-isv-permissions' }, 'auth'],
      [{ code: '40001', subCode: 'isv.missing-method' }, 'invalid_request'],
      [{ httpStatus: 502 }, 'server'],
    ] as const) {
      sim.failNext('alipay.trade.query', fault);
      expect(await query()).toMatchObject({ kind });
    }
  });

  it('reports unknown payments and refunds as not found, and a refund repeated by number as the one refund', async () => {
    expect(await adapter().queryPayment(ctx, { paymentId: newId('pay'), createdAt: NOW })).toEqual({ status: 'not_found' });
    expect(await adapter().closePayment(ctx, { paymentId: newId('pay'), createdAt: NOW })).toEqual({ status: 'not_found' });
    const paymentId = await paidPayment();
    // Closing a paid trade reports it paid.
    expect(await adapter().closePayment(ctx, { paymentId, createdAt: NOW })).toMatchObject({ status: 'succeeded', amount: 12_345, currency: 'CNY' });

    const refund = { refundId: `rf_${'0123456789abcdef'.repeat(2)}`, paymentId, amount: 2_345, paymentAmount: 12_345, currency: 'CNY', reason: 'chipped', createdAt: NOW };
    expect(await adapter().queryRefund(ctx, refund)).toEqual({ status: 'not_found' });
    expect(await adapter().refund(ctx, refund)).toEqual({ status: 'succeeded' });
    // Alipay moves no money the second time (fund_change N); the refund query confirms the first.
    expect(await adapter().refund(ctx, refund)).toEqual({ status: 'succeeded' });
    expect(sim.trade(toTradeNo(paymentId))!.refunds.map((r) => [r.outRequestNo, r.fen])).toEqual([[toTradeNo(refund.refundId), 2_345]]);
    expect(await adapter().queryRefund(ctx, refund)).toEqual({ status: 'succeeded' });
    // More than is left is Alipay's business refusal, final.
    expect(await caught(adapter().refund(ctx, { ...refund, refundId: `rf_${'f'.repeat(32)}`, amount: 10_001 }))).toMatchObject({ kind: 'invalid_request', message: expect.stringContaining('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL') });
  });

  it('reads a payment and a refund notification, and judges freshness by notify_time', async () => {
    const paymentId = await paidPayment(500);
    const notification = { headers: {}, body: receiver.received.at(-1)!.body };
    const payment = await adapter().verifyNotification(ctx, notification);
    expect(payment).toMatchObject({ kind: 'payment', paymentId, status: 'succeeded', amount: 500, currency: 'CNY', gatewayReference: sim.trade(toTradeNo(paymentId))!.tradeNo });

    const refundId = `rf_${'a'.repeat(32)}`;
    await adapter().refund(ctx, { refundId, paymentId, amount: 500, paymentAmount: 500, currency: 'CNY', reason: 'all of it', createdAt: NOW });
    const refundNotification = await vi.waitFor(() => {
      const body = receiver.received.find((r) => r.body.includes(`out_biz_no=${toTradeNo(refundId)}`))?.body;
      if (body === undefined) throw new Error('the refund notification has not arrived yet');
      return body;
    });
    expect(await adapter().verifyNotification(ctx, { headers: {}, body: refundNotification })).toMatchObject({ kind: 'refund', refundId, paymentId, status: 'succeeded' });

    const at = (offsetMs: number) => createAlipayAdapter({ gatewayUrl: sim.gatewayUrl, now: () => new Date(Date.now() + offsetMs) });
    expect(await at(47 * 60 * 60 * 1000).verifyNotification(ctx, notification)).toMatchObject({ kind: 'payment' });
    for (const offset of [49 * 60 * 60 * 1000, -10 * 60 * 1000]) {
      expect(await caught(at(offset).verifyNotification(ctx, notification))).toBeInstanceOf(NotificationRejected);
    }
    expect(adapter().acknowledge(true)).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(adapter().acknowledge(false).body).toBe('fail');
  });
});

