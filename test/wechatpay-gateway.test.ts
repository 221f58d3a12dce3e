// WeChat Pay end to end: the HTTP API, the order workflow on Temporal, the adapter and its client library,
// against the WeChat Pay simulator.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { qrSvg } from '../pages/shared/qr-code.js';
import { rsaKeyPair } from './simulators/wechatpay/crypto.js';
import type { NotifyOptions } from './simulators/wechatpay/notifier.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { cancelUnpaid, expectLatePaymentRefunded } from './support/late-payment.js';

const events = (order: { timeline: Array<{ event: string }> }) => order.timeline.map((e) => e.event);

describe('WeChat Pay through the order workflow', () => {
  let sim: WechatPaySimulator;
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    sim = await startWechatPaySimulator();
    stack = await startStack({ WECHATPAY_BASE_URL: sim.url, WECHATPAY_TEST_BASE_URL: sim.url });
    await stack.startWorker();
    merchant = await configuredMerchant({ paymentCheckIntervalSeconds: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });

  async function configuredMerchant(settings: Record<string, unknown>, credentials = sim.merchantCredentials()) {
    const m = await stack.createMerchant({ settings });
    await stack.setCredentials(m, 'wechatpay', credentials);
    return m;
  }

  async function checkout(m: Merchant = merchant) {
    const response = await stack.checkout(m, { paymentMethod: 'wechatpay' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string; total: number }; payment: { id: string; action: { type: string; code: string } }; orderUrl: string };
  }

  async function paidOrder(notification: NotifyOptions = {}) {
    const body = await checkout();
    const eventId = sim.scanAndPay(body.payment.action.code, notification);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    return { ...body, eventId };
  }

  const webhookEvents = (paymentId: string) => stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'providerEventId']).where('paymentId', '=', paymentId).execute();

  it('draws the code as a QR on the order page, and is paid when the shopper scans it; the notification is acknowledged with 200 and no body', async () => {
    const { order, payment, orderUrl } = await checkout();
    expect(payment.action).toEqual({ type: 'qr_code', code: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) });
    // The page draws this very code (test/customer-qr.test.ts decodes it in a browser); its text is only a folded-away detail.
    const page = await (await fetch(orderUrl)).text();
    expect(page).toContain(`<div class="qr" role="img" aria-label="QR code to pay CN¥329.06 to Tea House with WeChat Pay">${await qrSvg(payment.action.code)}</div>`);
    expect(page).toContain(`value="${payment.action.code}"`);
    const eventId = sim.scanAndPay(payment.action.code);
    await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    const paid = (await stack.order(merchant, order.id)).body;
    expect(paid.paidAmount).toBe(order.total);
    expect(paid.payments[0]).toMatchObject({ status: 'succeeded', gatewayReference: sim.payment(toTradeNo(payment.id))!.transaction_id });
    expect(sim.payment(toTradeNo(payment.id))).toMatchObject({ total: order.total, trade_state: 'SUCCESS' });
    await vi.waitFor(() => expect(sim.deliveries.filter((d) => d.notificationId === eventId).map((d) => [d.status, d.body])).toEqual([[200, '']]), { timeout: 5_000 });
    expect(await webhookEvents(payment.id)).toEqual([{ status: 'signalled', verified: true, providerEventId: eventId }]);
  });

  it('closes the payment at WeChat Pay when the payment window ends', async () => {
    const short = await configuredMerchant({ paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 1 });
    const { order, payment } = await checkout(short);
    const tradeNo = toTradeNo(payment.id);
    expect(sim.payment(tradeNo)!.time_expire).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const expired = await stack.waitForOrder(short, order.id, (o) => o.status === 'expired');
    expect(expired.payments[0].status).toBe('closed');
    expect(sim.calls).toContainEqual({ method: 'POST', path: `/v3/pay/transactions/out-trade-no/${tradeNo}/close`, operation: 'close', status: 204 });
    expect(sim.payment(tradeNo)!.trade_state).toBe('CLOSED');
  });

  it('refunds a payment made after the order was cancelled, automatically', async () => {
    const m = await configuredMerchant({ paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 30 });
    const { order, payment } = await checkout(m);
    const tradeNo = toTradeNo(payment.id);
    // WeChat Pay refuses the close, so the code can still be paid after the cancel.
    sim.failNext('close', { status: 400, code: 'PARAM_ERROR', message: '参数错误' });
    await cancelUnpaid(stack, m, order.id);
    sim.scanAndPay(payment.action.code);
    await expectLatePaymentRefunded(stack, m, order, sim.payment(tradeNo)!.transaction_id!);
    expect(sim.refundsOf(tradeNo).map((r) => [r.refund, r.status])).toEqual([[order.total, 'SUCCESS']]);
  });

  it('refunds in parts up to the total; a refund retried after a lost answer is made once', async () => {
    const { order, payment } = await paidOrder();
    const tradeNo = toTradeNo(payment.id);
    const refund = (body: Record<string, unknown>) => stack.request('POST', `/v1/admin/orders/${order.id}/refunds`, { key: merchant.adminKey, body });
    // WeChat Pay makes the first refund, then its answer is lost in a 500: the retry must not refund twice.
    sim.failNext('refund', { status: 500, code: 'SYSTEM_ERROR', message: '系统繁忙', afterWork: true });
    // And its notification arrives only after the second refund's.
    sim.setRefundBehaviour({ notification: { delivery: 'reorder' } });
    const first = await refund({ amount: 10_000, reason: 'one cup broke' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await vi.waitFor(() => expect(sim.refundsOf(tradeNo)).toHaveLength(1), { timeout: 10_000 });
    sim.setRefundBehaviour({ notification: {} });
    const rest = await refund({ reason: 'customer changed their mind' });
    expect(rest.body.amount).toBe(order.total - 10_000);
    const refunded = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'refunded');
    expect(refunded.refundedAmount).toBe(order.total);
    expect(refunded.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
    const ledger = sim.refundsOf(tradeNo);
    expect(ledger.map((r) => [r.out_refund_no, r.refund, r.status]).sort()).toEqual(
      [
        [toTradeNo(first.body.id), 10_000, 'SUCCESS'],
        [toTradeNo(rest.body.id), order.total - 10_000, 'SUCCESS'],
      ].sort(),
    );
    expect(ledger.reduce((sum, r) => sum + r.refund, 0)).toBe(refunded.paidAmount);
    expect(sim.calls.filter((c) => c.operation === 'refund' && c.status === 500)).toHaveLength(1);
  });

  it('recovers a lost notification by querying WeChat Pay', async () => {
    const { payment } = await paidOrder({ delivery: 'drop' });
    expect(await webhookEvents(payment.id)).toEqual([]);
    expect(sim.calls.some((c) => c.path === `/v3/pay/transactions/out-trade-no/${toTradeNo(payment.id)}` && c.status === 200)).toBe(true);
  });

  it('acknowledges a duplicated notification without signalling it twice', async () => {
    const { order, payment, eventId } = await paidOrder({ delivery: 'duplicate' });
    await vi.waitFor(async () => expect((await webhookEvents(payment.id)).map((e) => e.status).sort()).toEqual(['duplicate', 'signalled']), { timeout: 5_000 });
    expect(new Set((await webhookEvents(payment.id)).map((e) => e.providerEventId))).toEqual(new Set([eventId]));
    expect(events((await stack.order(merchant, order.id)).body).filter((e) => e === 'payment_succeeded')).toHaveLength(1);
  });

  it.each<[string, NotifyOptions, number]>([
    ['a signature by another key', { forgery: 'foreignKey' }, 401],
    ['a stale timestamp', { forgery: 'staleTimestamp' }, 401],
    ['a tampered amount (ciphertext altered after signing)', { delivery: 'corrupt' }, 401],
    ['a ciphertext that fails its GCM tag', { forgery: 'tamperedCiphertext' }, 400],
    ['another merchant', { forgery: 'wrongMchid' }, 401],
  ])('rejects a success notification with %s, changing nothing', async (_case, forgery, status) => {
    const { order, payment } = await checkout();
    const eventId = sim.forgeSuccess(toTradeNo(payment.id), forgery);
    await sim.idle();
    const attempts = sim.deliveries.filter((d) => d.notificationId === eventId);
    // Refused, so WeChat Pay tried again, and was refused every time.
    expect(attempts.length).toBeGreaterThan(1);
    expect(new Set(attempts.map((d) => d.status))).toEqual(new Set([status]));
    const stored = await stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'verificationError']).where('merchantId', '=', merchant.merchantId).where('body', 'like', `%${eventId}%`).execute();
    expect(stored.length).toBe(attempts.length);
    expect(stored.every((e) => e.status === 'rejected' && !e.verified && e.verificationError)).toBe(true);
    expect(await webhookEvents(payment.id)).toEqual([]);
    const after = (await stack.order(merchant, order.id)).body;
    expect(after.status).toBe('awaiting_payment');
    expect(after.paidAmount).toBe(0);
    expect(events(after)).not.toContain('payment_succeeded');
  });

  it('asks WeChat Pay to retry a notification while the configured platform certificate has expired, storing and changing nothing', async () => {
    const lapsing = await configuredMerchant({});
    const { order, payment } = await checkout(lapsing);
    // The certificate on file has since expired; the notification is signed with its very key.
    const expired = sim.merchantCredentials({ platformCertificate: 'expired' });
    await stack.setCredentials(lapsing, 'wechatpay', expired);
    const eventId = sim.forgeSuccess(toTradeNo(payment.id), {});
    await sim.idle();
    const attempts = sim.deliveries.filter((d) => d.notificationId === eventId);
    expect(attempts.length).toBeGreaterThan(1);
    expect(new Set(attempts.map((d) => d.status))).toEqual(new Set([500]));
    // Not a forgery: nothing stored, as for any notification that cannot be verified yet.
    expect(await stack.db.selectFrom('webhookEvents').select('id').where('merchantId', '=', lapsing.merchantId).where('body', 'like', `%${eventId}%`).execute()).toEqual([]);
    expect(await webhookEvents(payment.id)).toEqual([]);
    const after = (await stack.order(lapsing, order.id)).body;
    expect(after.status).toBe('awaiting_payment');
    expect(after.paidAmount).toBe(0);
    expect(events(after)).not.toContain('payment_succeeded');
  });

  it('fails the checkout without calling WeChat Pay while the configured platform certificate has expired', async () => {
    const expired = sim.merchantCredentials({ platformCertificate: 'expired' });
    const lapsed = await configuredMerchant({}, expired);
    const before = sim.calls.length;
    const response = await stack.checkout(lapsed, { paymentMethod: 'wechatpay' });
    expect(response.status, JSON.stringify(response.body)).toBe(502);
    const serial = new X509Certificate(expired.platformKey).serialNumber;
    expect(response.body.error.message).toMatch(new RegExp(`platform certificate ${serial} in platformKey has expired \\(valid from \\S+ to \\S+\\); nothing was sent`));
    expect(sim.calls.slice(before).filter((c) => c.operation === 'native')).toEqual([]);
    const order = await vi.waitFor(() => stack.db.selectFrom('orders').select('id').where('merchantId', '=', lapsed.merchantId).executeTakeFirstOrThrow(), { timeout: 5_000 });
    const cancelled = await stack.waitForOrder(lapsed, order.id, (o) => o.status === 'cancelled');
    expect(cancelled.statusReason).toMatch(new RegExp(`platform certificate ${serial} in platformKey has expired`));
  });

  it('retries a 500 and a 429 from WeChat Pay until the payment is created', async () => {
    sim.failNext('native', { status: 500, code: 'SYSTEM_ERROR', message: '系统繁忙' });
    sim.failNext('native', { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' });
    const before = sim.calls.filter((c) => c.operation === 'native').length;
    const { payment } = await checkout();
    expect(sim.calls.filter((c) => c.operation === 'native').slice(before).map((c) => c.status)).toEqual([500, 429, 200]);
    expect(sim.payment(toTradeNo(payment.id))!.trade_state).toBe('NOTPAY');
  });

  it('fails the checkout with WeChat Pay’s reason on an invalid request or a bad signature, without retrying', async () => {
    const failedCheckout = async (m: Merchant, message: RegExp) => {
      const before = sim.calls.length;
      const response = await stack.checkout(m, { paymentMethod: 'wechatpay' });
      expect(response.status, JSON.stringify(response.body)).toBe(502);
      expect(response.body.error.message).toMatch(message);
      expect(sim.calls.slice(before).filter((c) => c.operation === 'native')).toHaveLength(1);
      // The refusal answers the checkout; the order's record of it follows.
      const order = await vi.waitFor(() => stack.db.selectFrom('orders').select('id').where('merchantId', '=', m.merchantId).executeTakeFirstOrThrow(), { timeout: 5_000 });
      const cancelled = await stack.waitForOrder(m, order.id, (o) => o.status === 'cancelled');
      expect(cancelled.statusReason).toMatch(message);
      expect(events(cancelled)).toContain('payment_creation_failed');
      return order.id;
    };
    const invalid = await configuredMerchant({});
    sim.failNext('native', { status: 400, code: 'PARAM_ERROR', message: '参数错误' });
    await stack.recordHistory(await failedCheckout(invalid, /WeChat Pay answered the payment with HTTP 400 PARAM_ERROR/), 'checkout-refused');

    const wrongKey = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const misconfigured = await configuredMerchant({}, { ...sim.merchantCredentials(), privateKey: wrongKey });
    await failedCheckout(misconfigured, /HTTP 401 SIGN_ERROR/);
  });

  it('refuses other currencies at checkout', async () => {
    const usd = await stack.createMerchant({ settings: { currency: 'USD' } });
    await stack.setCredentials(usd, 'wechatpay', sim.merchantCredentials());
    const response = await stack.checkout(usd, { paymentMethod: 'wechatpay' });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('currency_not_supported');
  });
});
