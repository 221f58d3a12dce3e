import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationDispatcher } from '../services/notification-dispatch.js';
import { SANDBOX_SIGNATURE_HEADER, sandboxSecret, signNotification } from '../gateways/sandbox/signature.js';
import { sandboxReference } from '../gateways/sandbox/events.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

const events = (order: { timeline: Array<{ event: string }> }) => order.timeline.map((e) => e.event);

describe('payment phase: notifications, queries, expiry, cancellation', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 30, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 20 } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function sandboxPayment(paymentId: string) {
    return stack.db.selectFrom('sandboxPayments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
  }

  async function webhookEvents(paymentId: string) {
    return stack.db.selectFrom('webhookEvents').select(['status', 'verified', 'providerEventId']).where('paymentId', '=', paymentId).orderBy('receivedAt').execute();
  }

  /** Notifications are delivered asynchronously: wait until `count` of them are stored. */
  async function waitForEvents(paymentId: string, count: number) {
    const deadline = Date.now() + 5_000;
    while ((await webhookEvents(paymentId)).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return webhookEvents(paymentId);
  }

  it('expires when the payment window closes, closing the payment at the gateway', async () => {
    const short = await stack.createMerchant({ settings: { paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 1 } });
    const { body } = await stack.checkout(short);
    const expired = await stack.waitForOrder(short, body.order.id, (o) => o.status === 'expired');
    expect(expired).toMatchObject({ statusReason: 'The payment window closed before payment.', statusReasonCode: 'payment_window_expired', statusReasonParams: {} });
    expect((await sandboxPayment(body.payment.id)).status).toBe('closed');
    expect(expired.payments[0].status).toBe('closed');
    await stack.recordHistory(body.order.id, 'expired');
  });

  it('cancels before payment, closing the gateway payment; a second cancel is a 409', async () => {
    const { body } = await stack.checkout(merchant);
    const cancel = await stack.request('POST', `/v1/orders/${body.order.id}/cancel`, { key: merchant.secretKey });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', statusReason: 'Cancelled by the customer before payment.', statusReasonCode: 'cancelled_by_customer' });
    expect((await sandboxPayment(body.payment.id)).status).toBe('closed');
    await stack.recordHistory(body.order.id, 'cancelled');
    const again = await stack.request('POST', `/v1/orders/${body.order.id}/cancel`, { key: merchant.secretKey });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toMatch(/order_conflict|order_closed/);
  });

  it('recovers a lost notification by querying the gateway at the check interval', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { notification: { mode: 'drop' } });
    const paid = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    expect(paid.paidAmount).toBe(body.order.total);
    expect(await webhookEvents(body.payment.id)).toEqual([]);
    // Paid when the gateway says, not when the query found out (up to a check interval later).
    expect(paid.payments[0].paidAt).toBe((await sandboxPayment(body.payment.id)).paidAt!.toISOString());
  });

  it('records a payment the close finds made like any other: reference, gateway time, capture', async () => {
    const patient = await stack.createMerchant({ settings: { paymentWindowSeconds: 60, paymentCheckIntervalSeconds: 60 } });
    const { body } = await stack.checkout(patient);
    await stack.pay(patient, body.payment.id, { notification: { mode: 'drop' } });
    // The cancel closes the payment at the gateway, which answers that it was paid.
    const cancel = await stack.request('POST', `/v1/orders/${body.order.id}/cancel`, { key: patient.secretKey });
    expect(cancel.status).toBe(409);
    const paid = await stack.waitForOrder(patient, body.order.id, (o) => o.status === 'paid');
    const gateway = await sandboxPayment(body.payment.id);
    expect(paid.payments[0]).toMatchObject({ status: 'succeeded', paidAt: gateway.paidAt!.toISOString(), capturedAmount: body.order.total, capturedCurrency: 'CNY', gatewayReference: sandboxReference(body.payment.id) });
    expect(paid.paidAmount).toBe(body.order.total);
  });

  it('sends a success whose amount differs from the order to needs_review, never paid', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { amount: body.order.total - 100 });
    const review = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'needs_review');
    expect(review.paidAmount).toBe(body.order.total - 100);
    expect(review.statusReasonCode).toBe('amount_mismatch');
    expect(review.statusReasonParams).toEqual({ amount: body.order.total - 100, currency: 'CNY', total: body.order.total, orderCurrency: 'CNY' });
    expect(review.statusReason).toMatch(/^The gateway captured CN¥[\d,.]+; the order total is CN¥[\d,.]+\.$/);
    expect(events(review)).not.toContain('payment_succeeded');
    await stack.recordHistory(body.order.id, 'needs-review');
  });

  it('treats a success in another currency as needs_review with nothing counted as paid', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { currency: 'USD' });
    const review = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'needs_review');
    expect(review.paidAmount).toBe(0);
  });

  it('cancels the order when the payment fails at the gateway', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { outcome: 'failed' });
    const cancelled = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'cancelled');
    expect(events(cancelled)).toContain('payment_failed');
    await stack.recordHistory(body.order.id, 'payment-failed');
  });

  it('acknowledges a duplicated notification without signalling it twice', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { notification: { mode: 'duplicate' } });
    const paid = await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    expect(events(paid).filter((e) => e === 'payment_succeeded')).toHaveLength(1);
    const stored = await waitForEvents(body.payment.id, 2);
    expect(stored.map((e) => e.status).sort()).toEqual(['duplicate', 'signalled']);
    expect(new Set(stored.map((e) => e.providerEventId)).size).toBe(1);
  });

  it('never moves a paid order back when an older pending notification arrives after the success', async () => {
    const { body } = await stack.checkout(merchant);
    await stack.pay(merchant, body.payment.id, { notification: { mode: 'reorder' } });
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    expect(await waitForEvents(body.payment.id, 2)).toHaveLength(2);
    const after = await stack.order(merchant, body.order.id);
    expect(after.body.status).toBe('paid');
    expect(after.body.payments[0].status).toBe('succeeded');
  });

  it('hands over a stored notification whose hand-over was interrupted by a crash', async () => {
    const { body } = await stack.checkout(merchant);
    const received = new Date(Date.now() - 60_000);
    await stack.db
      .insertInto('webhookEvents')
      .values({
        id: `evt_crashed_${body.payment.id}`,
        gateway: 'sandbox',
        merchantId: merchant.merchantId,
        mode: 'test',
        providerEventId: `evt_provider_${body.payment.id}`,
        headers: JSON.stringify({}),
        body: '{}',
        verified: true,
        kind: 'payment',
        paymentId: body.payment.id,
        status: 'received',
        notification: JSON.stringify({ kind: 'payment', eventId: `evt_provider_${body.payment.id}`, paymentId: body.payment.id, status: 'succeeded', amount: body.order.total, currency: 'CNY', occurredAt: received.toISOString() }),
        receivedAt: received,
      })
      .execute();
    const dispatcher = createNotificationDispatcher({ db: stack.db, temporal: stack.client, logger: pino({ level: 'silent' }) });
    expect(await dispatcher.sweep()).toBeGreaterThanOrEqual(1);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    const event = await stack.db.selectFrom('webhookEvents').select('status').where('id', '=', `evt_crashed_${body.payment.id}`).executeTakeFirstOrThrow();
    expect(event.status).toBe('signalled');
  });

  describe('forged and stale notifications', () => {
    async function post(merchantId: string, payload: object, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
      const raw = JSON.stringify(payload);
      return fetch(`${stack.baseUrl}/webhooks/sandbox/${merchantId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signNotification(secret, raw, timestamp) },
        body: raw,
      });
    }

    const successFor = (checkout: { payment: { id: string }; order: { total: number } }) => ({
      id: `evt_forged_${checkout.payment.id}`,
      type: 'payment.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: { paymentId: checkout.payment.id, status: 'succeeded', amount: checkout.order.total, currency: 'CNY', reference: 'sbx_forged' },
    });

    it('rejects a forged signature, stores and logs it, and signals nothing', async () => {
      const { body } = await stack.checkout(merchant);
      const response = await post(merchant.merchantId, successFor(body), 'not-the-secret');
      expect(response.status).toBe(401);
      const rejected = await stack.db.selectFrom('webhookEvents').selectAll().where('merchantId', '=', merchant.merchantId).where('verified', '=', false).where('body', 'like', `%${body.payment.id}%`).execute();
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.status).toBe('rejected');
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await stack.order(merchant, body.order.id)).body.status).toBe('awaiting_payment');
    });

    it('rejects a correctly signed but stale notification', async () => {
      const { body } = await stack.checkout(merchant);
      const secret = sandboxSecret(stack.config.masterKey, merchant.merchantId);
      const response = await post(merchant.merchantId, successFor(body), secret, Math.floor(Date.now() / 1000) - 600);
      expect(response.status).toBe(401);
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await stack.order(merchant, body.order.id)).body.status).toBe('awaiting_payment');
    });

    it('rejects another merchant’s signature on this merchant’s route', async () => {
      const other = await stack.createMerchant();
      const { body } = await stack.checkout(merchant);
      const response = await post(merchant.merchantId, successFor(body), sandboxSecret(stack.config.masterKey, other.merchantId));
      expect(response.status).toBe(401);
    });

    it('stores a verified notification for an unknown payment for reconciliation', async () => {
      const secret = sandboxSecret(stack.config.masterKey, merchant.merchantId);
      const payload = { ...successFor({ payment: { id: 'pay_unknown' }, order: { total: 100 } }), id: `evt_unknown_${Date.now()}` };
      const response = await post(merchant.merchantId, payload, secret);
      expect(response.status).toBe(200);
      const stored = await stack.db.selectFrom('webhookEvents').select('status').where('providerEventId', '=', payload.id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('unmatched');
    });
  });
});

describe('late payment', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refunds automatically a payment that succeeds after the order expired, and records it', async () => {
    const merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 2, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 30 } });
    const { body } = await stack.checkout(merchant);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'expired');
    // The customer's capture raced the close at the gateway.
    await stack.pay(merchant, body.payment.id, { late: true });
    const refunded = await stack.waitForOrder(merchant, body.order.id, (o) => o.refunds[0]?.status === 'succeeded');
    expect(refunded.status).toBe('expired');
    expect(refunded.paidAmount).toBe(body.order.total);
    expect(refunded.refundedAmount).toBe(body.order.total);
    expect(refunded.refunds[0]).toMatchObject({ initiatedBy: 'system', amount: body.order.total });
    // The late payment is recorded like any other: captured, at the gateway's time, with its reference.
    expect(refunded.payments[0]).toMatchObject({ status: 'succeeded', capturedAmount: body.order.total, gatewayReference: expect.any(String) });
    expect(refunded.timeline.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['expired', 'late_payment', 'refund_started', 'refund_succeeded']));
    const ledger = await stack.db.selectFrom('sandboxRefunds').select(['amount', 'status']).where('paymentId', '=', body.payment.id).execute();
    expect(ledger).toEqual([{ amount: body.order.total, status: 'succeeded' }]);
    await stack.recordHistory(body.order.id, 'late-payment-refunded');
  });
});
