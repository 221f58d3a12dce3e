import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { merchantEventsOf } from '../domain/merchant-events.js';
import { settlementTimeZone } from '../domain/reconciliation.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import { stateQuery } from '../workflows/messages.js';
import { dayMerchant, discrepanciesOf, reconcileDate, runDay, type GatewayDay, type PlantedDay } from './support/reconciliation-day.js';
import { startStripeSimulator, type StripeSimulator } from './simulators/stripe/simulator.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { alipayDay, unionPayDay, wechatPayDay } from './support/chinese-gateway-days.js';

const sandboxControl = (stack: Stack, merchant: Merchant, method: string, path: string, body: unknown) =>
  stack.request(method, `/sandbox/api/merchants/${merchant.merchantId}/control${path}`, { key: sandboxSecret(stack.config.masterKey, merchant.merchantId), body });

const sandbox: GatewayDay = {
  gateway: 'sandbox',
  notReadyUntilDayEnds: true,
  async prepare() {},
  async pay(stack, merchant, checkout, notifications) {
    await stack.pay(merchant, checkout.payment.id, { notification: { mode: notifications } });
  },
  async refundAtGateway(stack, merchant, checkout, amount) {
    const response = await sandboxControl(stack, merchant, 'POST', `/payments/${checkout.payment.id}/dashboard-refund`, { amount });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  },
  async statements(stack, merchant, { today, broken }) {
    const response = await sandboxControl(stack, merchant, 'PUT', '/behaviour', { openDayStatements: today, ...(broken && { statementFault: 'truncated' }) });
    expect(response.status).toBe(200);
  },
};

let sim: StripeSimulator;
/** Stripe keys per merchant: each merchant has its own simulated Stripe account. */
const stripeKeys = new Map<string, string>();

const stripe: GatewayDay = {
  gateway: 'stripe',
  notReadyUntilDayEnds: false,
  settings: { currency: 'USD' },
  async start() {
    sim = await startStripeSimulator();
    return { STRIPE_API_URL: sim.url };
  },
  async stop() {
    await sim?.close();
  },
  async prepare(stack, merchant) {
    const credentials = sim.merchantCredentials(`${stack.baseUrl}/webhooks/stripe/${merchant.merchantId}/test`);
    stripeKeys.set(merchant.merchantId, credentials.secretKey);
    await stack.setCredentials(merchant, 'stripe', credentials);
  },
  async pay(_stack, _merchant, checkout, notifications) {
    sim.pay(checkout.payment.id, notifications === 'drop' ? { notify: { mode: 'drop' } } : {});
  },
  async refundAtGateway(_stack, _merchant, checkout, amount) {
    sim.dashboardRefund(checkout.payment.id, amount);
  },
  async statements(_stack, merchant, { broken }) {
    sim.truncateBalanceTransactions(stripeKeys.get(merchant.merchantId)!, broken);
  },
};

describe.each([sandbox, stripe, alipayDay(), wechatPayDay(), unionPayDay()])('reconciliation of a day at $gateway', (gateway) => {
  let stack: Stack;
  let merchant: Merchant;
  let day: PlantedDay;

  beforeAll(async () => {
    stack = await startStack((await gateway.start?.()) ?? {});
    await stack.startWorker();
    merchant = await dayMerchant(stack, gateway);
    const settings = await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey });
    day = await runDay(stack, merchant, gateway, settlementTimeZone(gateway.gateway, settings.body.timeZone));
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await gateway.stop?.();
  });

  it('waits for a statement not ready yet, and fails a malformed one with the gateway\'s words, finding nothing', async () => {
    if (gateway.notReadyUntilDayEnds) {
      const [waiting] = await reconcileDate(stack, merchant, gateway.gateway, day.date);
      expect(waiting).toMatchObject({ status: 'waiting', applied: 0 });
    }

    await gateway.statements(stack, merchant, { today: true, broken: true });
    const [failed] = await reconcileDate(stack, merchant, gateway.gateway, day.date);
    expect(failed!.status).toBe('failed');
    expect(failed!.error).toMatch(/truncated|more follow but holds none|cut short/);
    const run = await stack.db.selectFrom('reconciliationRuns').selectAll().where('id', '=', failed!.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', counts: {} });
    expect(await discrepanciesOf(stack, failed!.runId)).toEqual([]);
    expect(await stack.db.selectFrom('reconciliationLines').select('seq').where('runId', '=', failed!.runId).execute()).toEqual([]);
  });

  it('finds exactly the planted differences and hands what it can to the orders', async () => {
    await gateway.statements(stack, merchant, { today: true, broken: false });
    const [reconciled] = await reconcileDate(stack, merchant, gateway.gateway, day.date);
    expect(reconciled).toMatchObject({ status: 'completed', applied: 2, open: 0 });

    const run = await stack.db.selectFrom('reconciliationRuns').selectAll().where('id', '=', reconciled!.runId).executeTakeFirstOrThrow();
    // Five payments (four paid, one unseen), the partial and full refunds, the dashboard refund.
    expect(run.counts).toEqual({ matched: 6, gateway_only: 1, paystead_only: 0, amount_mismatch: 0, status_mismatch: 1 });
    expect(await discrepanciesOf(stack, reconciled!.runId)).toEqual(
      [
        { kind: 'payment', outcome: 'status_mismatch', orderId: day.notificationsDropped.orderId, paymentId: day.notificationsDropped.paymentId, action: 'deliver_payment', status: 'applied' },
        { kind: 'refund', outcome: 'gateway_only', orderId: null, paymentId: day.refundedAtGateway.paymentId, action: 'record_external_refund', status: 'applied' },
      ].sort((a, b) => (a.kind < b.kind ? -1 : 1)),
    );
    const fees = await stack.db.selectFrom('reconciliationLines').select(['paymentId', 'fee']).where('runId', '=', reconciled!.runId).where('kind', '=', 'payment').execute();
    expect(fees).toHaveLength(5);
    expect(fees.every((f) => f.fee > 0)).toBe(true);

    // The dropped payment moved its order as its notification would have; the dashboard refund is on its order.
    await stack.waitForOrder(merchant, day.notificationsDropped.orderId, (o) => o.status === 'paid');
    const refunded = await stack.waitForOrder(merchant, day.refundedAtGateway.orderId, (o) => o.refundedAmount === day.refundedAtGateway.amount);
    expect(refunded.refunds).toEqual([expect.objectContaining({ status: 'succeeded', initiatedBy: 'gateway', amount: day.refundedAtGateway.amount })]);
    expect(refunded.timeline.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['refund_external', 'refund_succeeded']));
    const told = await stack.db.selectFrom('outbox').select('kind').where('orderId', '=', day.refundedAtGateway.orderId).where('kind', '=', 'refund_succeeded').execute();
    expect(told).toHaveLength(1);
    // The merchant's webhooks carry it as any refund (events read off the order's timeline).
    const state = await stack.client.workflow.getHandle(await stack.workflowId(day.refundedAtGateway.orderId)).query(stateQuery);
    expect(merchantEventsOf(state).filter((e) => e.type === 'refund.succeeded')).toHaveLength(1);
    if (gateway.gateway === 'sandbox') await stack.recordHistory(day.refundedAtGateway.orderId, 'external-refund');
  });

  it('gives the same result when the day is reconciled again, acting on nothing twice', async () => {
    const before = await stack.db.selectFrom('reconciliationRuns').select('id').where('merchantId', '=', merchant.merchantId).executeTakeFirstOrThrow();
    const discrepancies = await discrepanciesOf(stack, before.id);
    const [again] = await reconcileDate(stack, merchant, gateway.gateway, day.date);
    expect(again).toMatchObject({ runId: before.id, status: 'completed', applied: 0, open: 0 });
    expect(await discrepanciesOf(stack, before.id)).toEqual(discrepancies);
    // Both orders now agree with the statement.
    const run = await stack.db.selectFrom('reconciliationRuns').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(run.counts).toMatchObject({ matched: 8, gateway_only: 0, status_mismatch: 0 });
    const refunded = await stack.order(merchant, day.refundedAtGateway.orderId);
    expect(refunded.body.refunds).toHaveLength(1);
    expect(refunded.body.refundedAmount).toBe(day.refundedAtGateway.amount);
  });
});

describe('reconciliation through the admin API, and its schedules', () => {
  let stack: Stack;
  let merchant: Merchant;
  let day: PlantedDay;

  beforeAll(async () => {
    stack = await startStack();
    await stack.startWorker();
    merchant = await dayMerchant(stack, sandbox);
    const settings = await stack.request('GET', '/v1/admin/settings', { key: merchant.adminKey });
    day = await runDay(stack, merchant, sandbox, settings.body.timeZone);
    await sandbox.statements(stack, merchant, { today: true, broken: false });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const admin = (method: string, path: string, body?: unknown) => stack.request(method, `/v1/admin/reconciliation${path}`, { key: merchant.adminKey, body });

  it('reconciles a day asked for, lists it with counts, totals and fees, exports its lines, and resolves what is left with a note', async () => {
    const started = await admin('POST', '/runs', { gateway: 'sandbox', date: day.date });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await stack.client.workflow.getHandle(started.body.workflowId).result();

    const runs = await admin('GET', '/runs?gateway=sandbox');
    expect(runs.status).toBe(200);
    expect(runs.body.runs).toHaveLength(1);
    const [run] = runs.body.runs;
    expect(run).toMatchObject({ gateway: 'sandbox', date: day.date, status: 'completed', openDiscrepancies: 0, counts: { matched: 6, gateway_only: 1, status_mismatch: 1 } });
    expect(run.totals.CNY.payments.count).toBe(5);
    expect(run.totals.CNY.fees).toBeGreaterThan(0);

    // The live key sees none of the test mode's reconciliation.
    const live = (path: string) => stack.request('GET', `/v1/admin/reconciliation${path}`, { key: merchant.liveAdminKey! });
    expect((await live('/runs')).body.runs).toEqual([]);
    expect((await live(`/runs/${run.id}`)).status).toBe(404);

    const detail = await admin('GET', `/runs/${run.id}`);
    expect(detail.body.discrepancies.map((d: { status: string }) => d.status)).toEqual(['applied', 'applied']);

    const csv = await stack.request('GET', `/v1/admin/reconciliation/runs/${run.id}/lines.csv`, { key: merchant.adminKey });
    expect(csv.status).toBe(200);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('date,gateway,seq,kind,outcome,our_id,payment_id,order_id,gateway_reference,amount,currency,fee,occurred_at,raw');
    expect(rows).toHaveLength(1 + 8);

    // Our books disagree on an amount: open until a person resolves it.
    await stack.db.updateTable('payments').set((eb) => ({ capturedAmount: eb('capturedAmount', '+', 1) })).where('orderId', '=', day.paid[0]!).execute();
    await reconcileDate(stack, merchant, 'sandbox', day.date);
    const open = await admin('GET', '/discrepancies');
    expect(open.body.discrepancies).toEqual([expect.objectContaining({ kind: 'payment', outcome: 'amount_mismatch', orderId: day.paid[0], action: 'open', status: 'open' })]);
    const openId = open.body.discrepancies[0].id as string;
    const gauge = async () => /^paystead_reconciliation_open_discrepancies\{gateway="sandbox",mode="test"\} (\d+)$/m.exec((await stack.request('GET', '/metrics')).text)?.[1];
    expect(await gauge()).toBe('1');

    // The page shows the day and the open difference with its statement line; its form resolves it with a note.
    const page = await signIn(stack, merchant.adminKey);
    const html = await (await page.get('/admin/reconciliation')).text();
    expect(html).toContain(`id="run-sandbox-${day.date}"`);
    expect(html).toContain(`id="discrepancy-${openId}"`);
    expect(html).toContain('Amount or currency differs');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const posted = await page.post(`/admin/reconciliation/discrepancies/${openId}/resolve`, { _csrf: csrf, note: 'Projection corrected by hand.' });
    expect(posted.status).toBe(303);
    const [resolved] = (await admin('GET', '/discrepancies?status=resolved')).body.discrepancies;
    expect(resolved).toMatchObject({ id: openId, status: 'resolved', note: 'Projection corrected by hand.' });
    expect((await admin('POST', `/discrepancies/${openId}/resolve`, { note: 'again' })).status).toBe(409);
    const csvPage = await page.get(`/admin/reconciliation/runs/${run.id}/lines.csv`);
    expect(csvPage.headers.get('content-type')).toContain('text/csv');
    expect((await admin('GET', '/discrepancies')).body.discrepancies).toEqual([]);
    expect(await gauge()).toBeUndefined();
    expect((await admin('GET', '/unmatched-notifications')).body.notifications).toEqual([]);
  });

  it('schedules a daily run when a gateway\'s credentials are set, and pauses it when they are removed', async () => {
    await stack.setCredentials(merchant, 'stripe', { secretKey: 'sk_test_reconciliation', webhookSecret: 'whsec_reconciliation' });
    const handle = stack.client.schedule.getHandle(`reconciliation-${merchant.merchantId}-test-stripe`);
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('UTC');
    expect(described.state.paused).toBe(false);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconciliationWorkflow', args: [{ merchantId: merchant.merchantId, mode: 'test', gateway: 'stripe' }] });

    const removed = await stack.request('DELETE', '/v1/admin/gateways/stripe/credentials', { key: merchant.adminKey });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    // A schedule's state changes are applied by its own workflow: seen shortly after.
    await vi.waitFor(async () => expect((await handle.describe()).state.paused).toBe(true), { timeout: 10_000 });

    await stack.setCredentials(merchant, 'stripe', { secretKey: 'sk_test_reconciliation', webhookSecret: 'whsec_reconciliation' });
    await vi.waitFor(async () => expect((await handle.describe()).state.paused).toBe(false), { timeout: 10_000 });
    await handle.delete();
  });
});

/** Signs in to the admin pages over plain HTTP, as a browser without JavaScript would. */
async function signIn(stack: Stack, key: string) {
  const cookieOf = (response: globalThis.Response, name: string) => response.headers.getSetCookie().map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1]).find((v) => v !== undefined);
  const form = await fetch(`${stack.baseUrl}/admin/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const posted = await fetch(`${stack.baseUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${cookieOf(form, 'paystead_admin_login')}` },
    body: new URLSearchParams({ _csrf: csrf, key }),
  });
  const cookie = `paystead_admin=${cookieOf(posted, 'paystead_admin')}`;
  return {
    get: (path: string) => fetch(`${stack.baseUrl}${path}`, { redirect: 'manual', headers: { cookie } }),
    post: (path: string, fields: Record<string, string>) => fetch(`${stack.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }),
  };
}
