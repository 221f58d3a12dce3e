// The WeChat Pay adapter against the simulator, without the order workflow: calls, answers, notifications.
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toTradeNo } from '../gateways/trade-numbers.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import { GatewayError, NotificationRejected, type GatewayAdapter, type GatewayContext } from '../gateways/types.js';
import { beijingTime, createWechatPayAdapter } from '../gateways/wechatpay/adapter.js';
import { readMerchant } from '../gateways/wechatpay/merchant.js';
import { rsaKeyPair } from './simulators/wechatpay/crypto.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { startNotificationReceiver } from './support/notification-receiver.js';
import { newId } from '../core/ids.js';

/** Receives notifications the way the webhook route does: verify, then acknowledge. */
async function startReceiver(adapter: GatewayAdapter, context: () => GatewayContext) {
  const outcomes: Array<{ notification?: GatewayNotification; rejected?: string }> = [];
  const receiver = await startNotificationReceiver(({ headers, body }) =>
    adapter.verifyNotification(context(), { headers, body }).then(
      (notification) => {
        outcomes.push({ notification });
        return adapter.acknowledge(true);
      },
      (error: unknown) => {
        outcomes.push({ rejected: error instanceof NotificationRejected ? error.message : String(error) });
        return { status: error instanceof NotificationRejected ? error.httpStatus : 500 };
      },
    ),
  );
  return { url: `${receiver.url}/webhooks/wechatpay/mer_test`, outcomes, close: receiver.close };
}

const paymentId = () => newId('pay');
const refundId = () => newId('rfd');
const createdAt = new Date().toISOString();

function paymentRequest(id: string, overrides: Record<string, unknown> = {}) {
  return { paymentId: id, orderNo: 'ORD-1', amount: 32_906, currency: 'CNY', description: 'Order ORD-1', returnUrl: '', expiresAt: new Date(Date.now() + 600_000).toISOString(), createdAt, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('WeChat Pay credentials', () => {
  let sim: WechatPaySimulator;
  beforeAll(async () => {
    sim = await startWechatPaySimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('takes a platform certificate whose serial is the key id, or a public key with its id', async () => {
    const withCertificate = sim.merchantCredentials();
    // A serial number as the merchant platform may show it, in lower case, is the certificate's all the same.
    expect(readMerchant({ ...withCertificate, platformKeyId: withCertificate.platformKeyId.toLowerCase() }).platformKeyId).toBe(withCertificate.platformKeyId);
    const keySim = await startWechatPaySimulator({ platformKey: 'publicKey' });
    try {
      const withPublicKey = keySim.merchantCredentials();
      expect(readMerchant(withPublicKey).platformKeyId).toBe(withPublicKey.platformKeyId);
    } finally {
      await keySim.stop();
    }
  });

  it('names the missing or unusable field, never its value', () => {
    const good = sim.merchantCredentials();
    const problem = (credentials: Record<string, string>) => {
      try {
        readMerchant(credentials);
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).kind).toBe('auth');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(problem({ ...good, privateKey: '' })).toMatch(/privateKey is missing/);
    expect(problem({ ...good, privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' })).toMatch(/privateKey is not a PEM private key/);
    const shortKey = problem({ ...good, apiV3Key: 'short-secret-key' });
    expect(shortKey).toMatch(/apiV3Key must be 32 characters/);
    expect(shortKey).not.toContain('short-secret-key');
    expect(problem({ ...good, platformKeyId: 'ABCDEF' })).toMatch(/platformKeyId is not the serial number of the certificate/);
    expect(problem({ ...good, platformKey: 'garbage' })).toMatch(/platformKey is neither/);
  });
});

describe('WeChat Pay adapter against the simulator', () => {
  let sim: WechatPaySimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let wechatpay: GatewayAdapter;
  let ctx: GatewayContext;

  beforeAll(async () => {
    sim = await startWechatPaySimulator();
    wechatpay = createWechatPayAdapter({ baseUrl: sim.url });
    receiver = await startReceiver(wechatpay, () => ctx);
    ctx = { merchantId: 'mer_test', credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: receiver.url };
  });
  afterAll(async () => {
    await sim?.stop();
    await receiver?.close();
  });

  const notificationFor = (id: string) => receiver.outcomes.find((o) => o.notification?.eventId === id)?.notification;

  it('writes time_expire as RFC 3339 in Beijing time', () => {
    expect(beijingTime('2024-06-01T10:00:00.000Z')).toBe('2024-06-01T18:00:00+08:00');
    expect(beijingTime('2024-12-31T20:30:15.999Z')).toBe('2025-01-01T04:30:15+08:00');
  });

  it('creates a Native payment (a QR code), reports it paid after the scan, by notification and by query', async () => {
    const id = paymentId();
    const created = await wechatpay.createPayment(ctx, paymentRequest(id, { flow: 'redirect' }));
    expect(created.action).toEqual({ type: 'qr_code', code: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) });
    expect(sim.payment(toTradeNo(id))).toMatchObject({ total: 32_906, trade_state: 'NOTPAY', time_expire: expect.stringMatching(/\+08:00$/) });
    expect((await wechatpay.queryPayment(ctx, { paymentId: id, createdAt })).status).toBe('pending');
    // Asking again for the same out_trade_no gives the same QR code.
    expect((await wechatpay.createPayment(ctx, paymentRequest(id))).action).toEqual(created.action);

    const eventId = sim.scanAndPay(created.action.type === 'qr_code' ? created.action.code : '');
    await vi.waitFor(() => expect(notificationFor(eventId)).toBeDefined(), { timeout: 5_000 });
    const transactionId = sim.payment(toTradeNo(id))!.transaction_id;
    expect(notificationFor(eventId)).toMatchObject({ kind: 'payment', paymentId: id, status: 'succeeded', amount: 32_906, currency: 'CNY', gatewayReference: transactionId });
    expect(await wechatpay.queryPayment(ctx, { paymentId: id, createdAt })).toMatchObject({ status: 'succeeded', amount: 32_906, currency: 'CNY', gatewayReference: transactionId, paidAt: expect.any(String) });
    // Closing a paid payment reports it paid.
    expect(await wechatpay.closePayment(ctx, { paymentId: id, createdAt })).toMatchObject({ status: 'succeeded', amount: 32_906 });
    // Received: HTTP 200 with no body, once.
    expect(sim.deliveries.filter((d) => d.notificationId === eventId).map((d) => [d.status, d.body])).toEqual([[200, '']]);
  });

  it('closes an unpaid payment; unknown payments and refunds are not_found', async () => {
    const id = paymentId();
    await wechatpay.createPayment(ctx, paymentRequest(id));
    expect(await wechatpay.closePayment(ctx, { paymentId: id, createdAt })).toEqual({ status: 'closed' });
    expect(await wechatpay.queryPayment(ctx, { paymentId: id, createdAt })).toMatchObject({ status: 'closed' });
    expect(await wechatpay.queryPayment(ctx, { paymentId: paymentId(), createdAt })).toEqual({ status: 'not_found' });
    expect(await wechatpay.queryRefund(ctx, { refundId: refundId(), paymentId: id, createdAt })).toEqual({ status: 'not_found' });
  });

  it('refunds by out_refund_no, once however often asked, and reports the result by notification and query', async () => {
    const id = paymentId();
    const created = await wechatpay.createPayment(ctx, paymentRequest(id));
    sim.scanAndPay(created.action.type === 'qr_code' ? created.action.code : '');
    const rid = refundId();
    const request = { refundId: rid, paymentId: id, amount: 10_000, paymentAmount: 32_906, currency: 'CNY', reason: 'one cup broke', createdAt };
    const first = await wechatpay.refund(ctx, request);
    expect(first.status).toBe('processing');
    // Settled or not by now, it is the same refund.
    expect((await wechatpay.refund(ctx, request)).gatewayReference).toBe(first.gatewayReference);
    expect(sim.refundsOf(toTradeNo(id))).toHaveLength(1);
    await vi.waitFor(() => expect(receiver.outcomes.some((o) => o.notification?.kind === 'refund' && o.notification.refundId === rid)).toBe(true), { timeout: 5_000 });
    const notified = receiver.outcomes.find((o) => o.notification?.kind === 'refund' && o.notification.refundId === rid)!.notification;
    expect(notified).toMatchObject({ kind: 'refund', refundId: rid, paymentId: id, status: 'succeeded', gatewayReference: first.gatewayReference });
    expect(await wechatpay.queryRefund(ctx, { refundId: rid, paymentId: id, createdAt })).toEqual({ status: 'succeeded', gatewayReference: first.gatewayReference });
    // Paid then refunded is still a successful payment.
    expect((await wechatpay.queryPayment(ctx, { paymentId: id, createdAt })).status).toBe('succeeded');
  });

  it('maps closed refunds to failed and abnormal ones to still processing', async () => {
    const id = paymentId();
    const created = await wechatpay.createPayment(ctx, paymentRequest(id));
    sim.scanAndPay(created.action.type === 'qr_code' ? created.action.code : '');
    const refund = async (outcome: 'CLOSED' | 'ABNORMAL') => {
      sim.setRefundBehaviour({ outcome, delayMs: 0 });
      const rid = refundId();
      await wechatpay.refund(ctx, { refundId: rid, paymentId: id, amount: 100, paymentAmount: 32_906, currency: 'CNY', reason: 'test', createdAt });
      await vi.waitFor(() => expect(receiver.outcomes.some((o) => o.notification?.kind === 'refund' && o.notification.refundId === rid)).toBe(true), { timeout: 5_000 });
      return receiver.outcomes.find((o) => o.notification?.kind === 'refund' && o.notification.refundId === rid)!.notification;
    };
    expect(await refund('CLOSED')).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/closed/) });
    expect(await refund('ABNORMAL')).toMatchObject({ status: 'processing' });
    sim.setRefundBehaviour({ outcome: 'SUCCESS', delayMs: 100 });
  });

  it('rejects forged, stale, misaddressed and tampered notifications; WeChat Pay retries them', async () => {
    const id = paymentId();
    await wechatpay.createPayment(ctx, paymentRequest(id));
    const cases = [
      [{ forgery: 'foreignKey' }, /signature does not verify/],
      [{ forgery: 'unknownSerial' }, /signed with key PUB_KEY_ID_/],
      [{ forgery: 'staleTimestamp' }, /more than 300 s away/],
      [{ forgery: 'wrongMchid' }, /for merchant 1900009999, not this one/],
      [{ forgery: 'tamperedCiphertext' }, /does not decrypt with the API v3 key/],
      [{ delivery: 'corrupt' }, /signature does not verify/],
    ] as const;
    for (const [options, reason] of cases) {
      const before = receiver.outcomes.length;
      sim.forgeSuccess(toTradeNo(id), options);
      // Every retry is over before the next case, so what arrived since `before` is this notification alone.
      await sim.idle();
      const outcomes = receiver.outcomes.slice(before);
      expect(outcomes.length, JSON.stringify(options)).toBeGreaterThan(1);
      for (const outcome of outcomes) expect(outcome.rejected, JSON.stringify(options)).toMatch(reason);
    }
    expect(receiver.outcomes.filter((o) => o.notification?.kind === 'payment' && o.notification.paymentId === id)).toEqual([]);
  });

  it('classifies WeChat Pay errors for the retry policy', async () => {
    const kind = async (call: Promise<unknown>) => (await rejection(call)).kind;
    sim.failNext('native', { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' });
    expect(await kind(wechatpay.createPayment(ctx, paymentRequest(paymentId())))).toBe('server');
    sim.failNext('native', { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' });
    expect(await kind(wechatpay.createPayment(ctx, paymentRequest(paymentId())))).toBe('rate_limited');
    sim.failNext('native', { status: 400, code: 'PARAM_ERROR', message: '参数错误' });
    const invalid = await rejection(wechatpay.createPayment(ctx, paymentRequest(paymentId())));
    expect([invalid.kind, invalid.message]).toEqual(['invalid_request', 'WeChat Pay answered the payment with HTTP 400 PARAM_ERROR (参数错误)']);
    expect(await kind(wechatpay.createPayment(ctx, paymentRequest(paymentId(), { currency: 'USD' })))).toBe('invalid_request');

    const foreignKey = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const unsigned = await rejection(wechatpay.createPayment({ ...ctx, credentials: { ...ctx.credentials, privateKey: foreignKey } }, paymentRequest(paymentId())));
    expect([unsigned.kind, unsigned.message]).toEqual(['auth', 'WeChat Pay answered the payment with HTTP 401 SIGN_ERROR (signature does not verify)']);
    expect(unsigned.message).not.toContain('PRIVATE KEY');

    const paid = paymentId();
    sim.scanAndPay(((await wechatpay.createPayment(ctx, paymentRequest(paid))).action as { code: string }).code);
    sim.failNext('query', { forgedSignature: true });
    const forged = await rejection(wechatpay.queryPayment(ctx, { paymentId: paid, createdAt }));
    expect([forged.kind, forged.message]).toEqual(['auth', "WeChat Pay's answer to the payment query does not verify with platformKey."]);
    // For a refund, an answer that cannot be trusted leaves unknown whether money moved: retried, not refused.
    const refund = { refundId: refundId(), paymentId: paid, amount: 100, paymentAmount: 32_906, currency: 'CNY', reason: 'test', createdAt };
    sim.failNext('refund', { forgedSignature: true });
    expect(await kind(wechatpay.refund(ctx, refund))).toBe('server');
    sim.failNext('refundQuery', { forgedSignature: true });
    expect(await kind(wechatpay.queryRefund(ctx, refund))).toBe('server');

    const unreachable = createWechatPayAdapter({ baseUrl: 'http://127.0.0.1:9/' });
    expect(await kind(unreachable.queryPayment(ctx, { paymentId: paymentId(), createdAt }))).toBe('network');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const slow = createWechatPayAdapter({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, timeoutMs: 200 });
    expect(await kind(slow.queryPayment(ctx, { paymentId: paymentId(), createdAt }))).toBe('timeout');
    silent.closeAllConnections();
    silent.close();
  });

  it('acknowledges as WeChat Pay expects', () => {
    expect(wechatpay.acknowledge(true)).toEqual({ status: 200, contentType: 'text/plain', body: '' });
    expect(wechatpay.acknowledge(false)).toEqual({ status: 500, contentType: 'application/json', body: '{"code":"FAIL","message":"not processed, please retry"}' });
  });
});

describe('WeChat Pay with a platform public key (PUB_KEY_ID_…)', () => {
  it('verifies answers and notifications signed with the public key', async () => {
    const sim = await startWechatPaySimulator({ platformKey: 'publicKey' });
    const wechatpay = createWechatPayAdapter({ baseUrl: sim.url });
    let ctx: GatewayContext = { merchantId: 'mer_test', credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: '' };
    const receiver = await startReceiver(wechatpay, () => ctx);
    ctx = { ...ctx, notifyUrl: receiver.url };
    try {
      const id = paymentId();
      const created = await wechatpay.createPayment(ctx, paymentRequest(id));
      const eventId = sim.scanAndPay(created.action.type === 'qr_code' ? created.action.code : '');
      await vi.waitFor(() => expect(receiver.outcomes.find((o) => o.notification?.eventId === eventId)?.notification).toMatchObject({ paymentId: id, status: 'succeeded' }), { timeout: 5_000 });
      expect((await wechatpay.queryPayment(ctx, { paymentId: id, createdAt })).status).toBe('succeeded');
    } finally {
      await sim.stop();
      await receiver.close();
    }
  });
});

describe('WeChat Pay with a platform certificate outside its validity period', () => {
  let sim: WechatPaySimulator;
  beforeAll(async () => {
    sim = await startWechatPaySimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  /** The serial and dates a refusal must name, read from the certificate the merchant configured. */
  function validityOf(credentials: Record<string, string>) {
    const certificate = new X509Certificate(credentials.platformKey!);
    const at = (date: string) => new Date(date).toISOString().replace('.000Z', 'Z');
    return { serial: certificate.serialNumber, from: at(certificate.validFrom), to: at(certificate.validTo) };
  }

  /** Each way a platform certificate can be out of date, with the words the refusal uses for it. */
  const LAPSES = [
    ['expired', 'has expired'],
    ['notYetValid', 'is not yet valid'],
  ] as const;

  it('refuses to call WeChat Pay, as a non-retryable auth error naming the serial and dates, by the adapter clock', async () => {
    const wechatpay = createWechatPayAdapter({ baseUrl: sim.url });
    const id = paymentId();
    for (const [lapse, state] of LAPSES) {
      const credentials = sim.merchantCredentials({ platformCertificate: lapse });
      const { serial, from, to } = validityOf(credentials);
      const ctx: GatewayContext = { merchantId: 'mer_test', mode: 'live', credentials, notifyUrl: 'http://127.0.0.1:9/webhooks/wechatpay/mer_test' };
      const before = sim.calls.length;
      const refund = { refundId: refundId(), paymentId: id, amount: 100, paymentAmount: 32_906, currency: 'CNY', reason: 'test', createdAt };
      const calls = [() => wechatpay.createPayment(ctx, paymentRequest(id)), () => wechatpay.queryPayment(ctx, { paymentId: id, createdAt }), () => wechatpay.refund(ctx, refund), () => wechatpay.queryRefund(ctx, refund)];
      for (const call of calls) {
        const error = await rejection(call());
        expect([error.kind, error.retryable], lapse).toEqual(['auth', false]);
        expect(error.message).toBe(`WeChat Pay credentials: the platform certificate ${serial} in platformKey ${state} (valid from ${from} to ${to}); nothing was sent.`);
        expect(error.message).not.toContain('PRIVATE KEY');
      }
      // Refused before sending: no answer to trust, and no refund made.
      expect(sim.calls.length).toBe(before);
    }

    // A certificate valid today lapses by the adapter's clock; a public key has no dates to lapse.
    const credentials = sim.merchantCredentials();
    const { to } = validityOf(credentials);
    const later = createWechatPayAdapter({ baseUrl: sim.url, now: () => new Date(Date.parse(to) + 1_000) });
    const lapsed = await rejection(later.queryPayment({ merchantId: 'mer_test', mode: 'live', credentials, notifyUrl: '' }, { paymentId: id, createdAt }));
    expect([lapsed.kind, lapsed.message]).toEqual(['auth', expect.stringMatching(/platform certificate \w+ in platformKey has expired/)]);
    const keySim = await startWechatPaySimulator({ platformKey: 'publicKey' });
    try {
      const withKey = createWechatPayAdapter({ baseUrl: keySim.url, now: () => new Date(Date.parse(to) + 1_000) });
      expect(await withKey.queryPayment({ merchantId: 'mer_test', mode: 'live', credentials: keySim.merchantCredentials(), notifyUrl: '' }, { paymentId: id, createdAt })).toEqual({ status: 'not_found' });
    } finally {
      await keySim.stop();
    }
  });

  it('cannot verify notifications while the platform certificate is expired or not yet valid: a configuration problem, WeChat Pay retries', async () => {
    const wechatpay = createWechatPayAdapter({ baseUrl: sim.url });
    let ctx: GatewayContext = { merchantId: 'mer_test', credentials: sim.merchantCredentials(), mode: 'live', notifyUrl: '' };
    const receiver = await startReceiver(wechatpay, () => ctx);
    try {
      ctx = { ...ctx, notifyUrl: receiver.url };
      const id = paymentId();
      await wechatpay.createPayment(ctx, paymentRequest(id));
      for (const [lapse, state] of LAPSES) {
        ctx = { ...ctx, credentials: sim.merchantCredentials({ platformCertificate: lapse }) };
        const { serial, from, to } = validityOf(ctx.credentials);
        const before = receiver.outcomes.length;
        // Signed with the very key in the certificate: only its dates stand in the way.
        const eventId = sim.forgeSuccess(toTradeNo(id), {});
        await sim.idle();
        const attempts = sim.deliveries.filter((d) => d.notificationId === eventId);
        expect(attempts.length, lapse).toBeGreaterThan(1);
        expect(new Set(attempts.map((d) => d.status))).toEqual(new Set([500]));
        const outcomes = receiver.outcomes.slice(before);
        expect(outcomes).toHaveLength(attempts.length);
        for (const outcome of outcomes) {
          expect(outcome.rejected).toBe(`GatewayError: WeChat Pay credentials: the platform certificate ${serial} in platformKey ${state} (valid from ${from} to ${to}); the notification cannot be verified.`);
        }
      }
      expect(receiver.outcomes.filter((o) => o.notification)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
