// Order drivers for the fault run: each order goes through the HTTP API as a storefront and a merchant
// would drive it, tolerating the faults around it. Every choice comes from the order's own seeded stream.
import type { Http, HttpResult } from './http.js';
import { UnknownOutcome } from './http.js';
import type { Random } from './random.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- orders are the API's JSON */
type Order = any;

export interface ChaosMerchant {
  merchantId: string;
  secretKey: string;
  adminKey: string;
  /** Bearer secret of the sandbox test controls. */
  sandboxKey: string;
}

export const SCENARIOS = ['fulfil', 'refunds', 'decline', 'cancel', 'race', 'expire', 'late', 'fail', 'mismatch'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const SCENARIO_WEIGHTS: ReadonlyArray<readonly [Scenario, number]> = [
  ['fulfil', 30],
  ['refunds', 22],
  ['decline', 10],
  ['cancel', 10],
  ['race', 8],
  ['expire', 8],
  ['late', 6],
  ['fail', 8],
  ['mismatch', 4],
];

export const PRODUCTS = [
  { sku: 'TEA', name: 'Oolong tea', unitAmount: 12_800 },
  { sku: 'MUG', name: 'Celadon mug', unitAmount: 4_500 },
  { sku: 'PEN', name: 'Brush pen', unitAmount: 900 },
] as const;

export interface OrderRun {
  index: number;
  idempotencyKey: string;
  scenario: Scenario;
  orderId?: string;
  orderNo?: string;
  paymentId?: string;
  /** Every order id a 201 for this key named: more than one is a duplicate order. */
  orderIds: Set<string>;
  checkoutAttempts: number;
  /** What the driver last saw. */
  lastStatus?: string;
  notes: string[];
  /** Things the API must never do (they become violations). */
  problems: string[];
}

export interface DriverDeps {
  http: Http;
  merchant: ChaosMerchant;
  /** Payment window of the merchant's settings, in ms. */
  paymentWindowMs: number;
  log: (line: string) => void;
  /** Counts an injected fault and logs it. */
  fault: (kind: string, message: string) => void;
}

const FINAL = new Set(['completed', 'cancelled', 'expired', 'refunded']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const openRefund = (order: Order) => (order.refunds as Order[]).some((r) => r.status === 'processing' || r.status === 'pending_approval');

/**
 * Final with nothing under way, or in a wait that only a person (or the customer) ends. `gatewayPending`:
 * whether the gateway still holds the payment open (an order whose payment the gateway already completed
 * or closed is not waiting for its customer any more).
 */
export function isSettled(order: Order, gatewayPending = true, now = Date.now()): boolean {
  if (FINAL.has(order.status)) return !openRefund(order);
  return legitimateWait(order, gatewayPending, now);
}

export function legitimateWait(order: Order, gatewayPending = true, now = Date.now()): boolean {
  const refunds = order.refunds as Order[];
  if (refunds.some((r) => r.status === 'processing')) return false;
  if (order.status === 'needs_review' || refunds.some((r) => r.status === 'pending_approval')) return true;
  const expiresAt = order.payments?.[0]?.expiresAt;
  return order.status === 'awaiting_payment' && gatewayPending && expiresAt !== undefined && Date.parse(expiresAt) > now;
}

/** Counts checkouts and payments in flight, so the API can be killed in the middle of one. */
export const inflight = { checkouts: 0, payments: 0 };

export function createDrivers(deps: DriverDeps) {
  const { http, merchant } = deps;

  async function getOrder(run: OrderRun): Promise<Order> {
    const result = await http.retrying('GET', `/v1/orders/${run.orderId}`, { key: merchant.secretKey });
    if (result.status !== 200) throw new Error(`GET order ${run.orderId}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    run.lastStatus = result.body.status;
    return result.body;
  }

  async function waitOrder(run: OrderRun, what: string, until: (order: Order) => boolean, timeoutMs = 120_000): Promise<Order | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const order = await getOrder(run);
      if (until(order)) return order;
      if (Date.now() > deadline) {
        run.notes.push(`gave up waiting for ${what} (status ${order.status})`);
        return undefined;
      }
      await sleep(300);
    }
  }

  /** Checkout with the same Idempotency-Key until a 201, however often the API falls over meanwhile. */
  async function checkout(run: OrderRun, body: unknown): Promise<Order | undefined> {
    const started = Date.now();
    inflight.checkouts += 1;
    try {
      for (let attempt = 0; ; attempt += 1) {
        run.checkoutAttempts += 1;
        try {
          const result = await http.once('POST', '/v1/checkouts', { key: merchant.secretKey, body, headers: { 'idempotency-key': run.idempotencyKey }, timeoutMs: 45_000 });
          if (result.status === 201) {
            run.orderIds.add(result.body.order.id);
            return result.body;
          }
          // The gateway could not be reached within payment creation's bound: the order was cancelled and
          // the checkout failed for good, a legitimate end under gateway faults (no order, no charge).
          if (result.status === 409 && result.body?.error?.code === 'checkout_failed') {
            run.notes.push(`checkout failed for good: ${result.body.error.message}`);
            return undefined;
          }
          run.problems.push(`checkout answered HTTP ${result.status}: ${JSON.stringify(result.body).slice(0, 200)}`);
          return undefined;
        } catch (error) {
          if (!(error instanceof UnknownOutcome)) throw error;
          if (Date.now() - started > 240_000) {
            run.problems.push(`checkout never answered 201 in 4 minutes (${run.checkoutAttempts} attempts): ${error.message}`);
            return undefined;
          }
          await sleep(Math.min(3000, 200 * 1.6 ** attempt));
        }
      }
    } finally {
      inflight.checkouts -= 1;
    }
  }

  /**
   * A request that is not safe to repeat blindly (a merchant action, a refund request): sent once; after an
   * unknown outcome the order is read, and the request is repeated only if it visibly did not happen.
   */
  async function act(run: OrderRun, label: string, send: () => Promise<HttpResult>, done: (order: Order) => boolean): Promise<HttpResult | Order | undefined> {
    const deadline = Date.now() + 150_000;
    let repeated = false;
    for (;;) {
      try {
        const result = await send();
        if (result.status >= 200 && result.status < 300) return result;
        // A repeat refused because the first attempt did take effect (e.g. 409: the order is confirmed
        // already): the order shows it once its projection catches up (Postgres may have been down).
        const order = repeated ? await waitOrder(run, `${label} to show`, done, 60_000) : await getOrder(run);
        if (order && done(order)) return order;
        run.notes.push(`${label}: HTTP ${result.status} ${result.body?.error?.code ?? ''} (order ${order?.status ?? run.lastStatus}): ${String(result.body?.error?.message ?? '').slice(0, 120)}`);
        return undefined;
      } catch (error) {
        if (!(error instanceof UnknownOutcome)) throw error;
        if (Date.now() > deadline) {
          run.notes.push(`${label}: no answer in time (${error.message})`);
          return undefined;
        }
        // An update may have reached the workflow before the API fell over: give it a moment to show.
        await sleep(1500);
        if (done(await getOrder(run))) return getOrder(run);
        repeated = true;
      }
    }
  }

  const adminPost = (path: string, body?: unknown) => () => http.once('POST', path, { key: merchant.adminKey, body: body ?? {} });

  interface NotificationPlan {
    kind: 'deliver' | 'drop' | 'duplicate' | 'reorder' | 'delay';
    mode: 'deliver' | 'drop' | 'duplicate' | 'reorder';
    delayMs: number;
  }

  /** Drawn for every order (so the stream does not depend on the scenario), counted only when used. */
  function notificationPlan(rnd: Random): NotificationPlan {
    const kind = rnd.weighted([
      ['deliver', 35],
      ['drop', 20],
      ['duplicate', 15],
      ['reorder', 15],
      ['delay', 15],
    ] as const);
    // Past the check interval: the workflow's query finds the payment first.
    const delayMs = rnd.int(2500, 6000);
    if (kind === 'delay') return { kind, mode: 'deliver', delayMs };
    return { kind, mode: kind, delayMs: 0 };
  }

  /** Completes the payment at the sandbox; the order then leaves awaiting_payment (or was already gone). */
  async function pay(run: OrderRun, outcome: 'succeeded' | 'failed', plan: NotificationPlan, options: { late?: boolean; amount?: number } = {}): Promise<boolean> {
    if (plan.kind !== 'deliver') deps.fault(`notification ${plan.kind}`, `notification ${plan.kind}${plan.kind === 'delay' ? ` ${plan.delayMs} ms` : ''} for order #${run.index}`);
    inflight.payments += 1;
    const result = await http
      .retrying('POST', `/sandbox/api/merchants/${merchant.merchantId}/control/payments/${run.paymentId}/complete`, {
        key: merchant.sandboxKey,
        body: { outcome, notification: { mode: plan.mode, delayMs: plan.delayMs }, ...options },
      })
      .finally(() => (inflight.payments -= 1));
    if (result.status === 200) return true;
    // 409: already completed (an earlier attempt whose answer was lost) or no longer payable.
    if (result.status !== 409) run.problems.push(`sandbox complete answered HTTP ${result.status}`);
    else run.notes.push(`payment not payable: ${result.body?.error?.message ?? ''}`);
    return false;
  }

  async function awaitPaid(run: OrderRun): Promise<Order | undefined> {
    const order = await waitOrder(run, 'the payment outcome', (o) => o.status !== 'awaiting_payment');
    if (order && order.status !== 'paid') run.notes.push(`after paying the order is ${order.status}`);
    return order?.status === 'paid' ? order : undefined;
  }

  async function refundsScenario(run: OrderRun, rnd: Random, total: number): Promise<void> {
    const confirmFirst = rnd.chance(0.5);
    const partials = Array.from({ length: rnd.int(1, 2) }, () => ({
      fraction: rnd.between(0.1, 0.4),
      actor: rnd.pick(['customer', 'merchant'] as const),
      rejectIfPending: rnd.chance(0.3),
    }));
    if (confirmFirst) await act(run, 'confirm', adminPost(`/v1/admin/orders/${run.orderId}/confirm`), (o) => o.status !== 'paid');
    for (const [n, partial] of partials.entries()) {
      const reason = `chaos ${run.idempotencyKey} partial ${n + 1}`;
      const amount = Math.max(1, Math.floor(total * partial.fraction));
      const path = partial.actor === 'customer' ? `/v1/orders/${run.orderId}/refunds` : `/v1/admin/orders/${run.orderId}/refunds`;
      const key = partial.actor === 'customer' ? merchant.secretKey : merchant.adminKey;
      const sent = await act(run, `refund ${amount}`, () => http.once('POST', path, { key, body: { amount, reason } }), (o) => o.refunds.some((r: Order) => r.reason === reason));
      if (!sent) return;
      const refund = (await getOrder(run)).refunds.find((r: Order) => r.reason === reason);
      if (!refund) {
        run.notes.push(`refund "${reason}" answered but not visible on the order`);
        return;
      }
      if (refund.status === 'pending_approval') {
        const decision = partial.rejectIfPending ? 'reject' : 'approve';
        await act(
          run,
          `${decision} refund`,
          adminPost(`/v1/admin/refunds/${refund.id}/${decision}`, { note: `chaos ${decision}` }),
          (o) => o.refunds.find((r: Order) => r.id === refund.id)?.status !== 'pending_approval',
        );
      }
      await waitOrder(run, `refund ${refund.id} settled`, (o) => ['succeeded', 'failed', 'rejected'].includes(o.refunds.find((r: Order) => r.id === refund.id)?.status));
    }
    const reason = `chaos ${run.idempotencyKey} rest`;
    const sent = await act(
      run,
      'refund the rest',
      adminPost(`/v1/admin/orders/${run.orderId}/refunds`, { reason }),
      (o) => o.refunds.some((r: Order) => r.reason === reason) || o.status === 'refunded',
    );
    if (sent) await waitOrder(run, 'refunded', (o) => o.status === 'refunded' && !openRefund(o));
  }

  /** One order, start to end. Never throws for what the API answers: that is recorded on the run. */
  async function drive(run: OrderRun, rnd: Random): Promise<void> {
    const items = Array.from(new Map(Array.from({ length: rnd.int(1, 3) }, () => [rnd.pick(PRODUCTS).sku, rnd.int(1, 3)])).entries()).map(([sku, quantity]) => ({ sku, quantity }));
    const replayCheckout = rnd.chance(0.25);
    const plan = notificationPlan(rnd);
    const body = {
      items,
      customer: { name: `Chaos Customer ${run.index}`, email: `c${run.index}@chaos.test`, phone: '+86 138 0000 0000' },
      shippingAddress: { line1: '1 Chaos Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' },
      paymentMethod: 'sandbox',
    };
    const created = await checkout(run, body);
    if (!created) return;
    run.orderId = created.order.id;
    run.orderNo = created.order.orderNo;
    run.paymentId = created.payment.id;
    const total: number = created.order.total;
    if (replayCheckout) await checkout(run, body);

    switch (run.scenario) {
      case 'fulfil': {
        await pay(run, 'succeeded', plan);
        if (!(await awaitPaid(run))) break;
        const after = (statuses: string[]) => (o: Order) => statuses.includes(o.status);
        if (!(await act(run, 'confirm', adminPost(`/v1/admin/orders/${run.orderId}/confirm`), after(['confirmed', 'shipped', 'delivered', 'completed'])))) break;
        const ship = adminPost(`/v1/admin/orders/${run.orderId}/ship`, { carrier: 'SF Express', trackingNumber: `SF${run.index}` });
        if (!(await act(run, 'ship', ship, after(['shipped', 'delivered', 'completed'])))) break;
        if (!(await act(run, 'deliver', adminPost(`/v1/admin/orders/${run.orderId}/deliver`), after(['delivered', 'completed'])))) break;
        break;
      }
      case 'refunds':
        await pay(run, 'succeeded', plan);
        if (await awaitPaid(run)) await refundsScenario(run, rnd, total);
        break;
      case 'decline':
        await pay(run, 'succeeded', plan);
        if (await awaitPaid(run)) {
          await act(run, 'decline', adminPost(`/v1/admin/orders/${run.orderId}/decline`, { reason: 'out of stock (chaos)' }), (o) => o.status !== 'paid');
        }
        break;
      case 'cancel':
        await act(run, 'cancel', () => http.once('POST', `/v1/orders/${run.orderId}/cancel`, { key: merchant.secretKey }), (o) => o.status !== 'awaiting_payment');
        break;
      case 'fail':
        await pay(run, 'failed', plan);
        await waitOrder(run, 'the failed payment', (o) => o.status !== 'awaiting_payment');
        break;
      case 'race': {
        // The customer pays while the storefront cancels: either the order is cancelled and nothing was
        // charged, or it is paid (the cancel is refused) and then refunded in full.
        const cancel = act(run, 'cancel', () => http.once('POST', `/v1/orders/${run.orderId}/cancel`, { key: merchant.secretKey }), (o) => o.status !== 'awaiting_payment');
        await Promise.all([pay(run, 'succeeded', plan), cancel]);
        const order = await waitOrder(run, 'the race decided', (o) => o.status !== 'awaiting_payment');
        if (order && order.paidAmount > 0 && order.status !== 'cancelled' && order.status !== 'expired') {
          const reason = `chaos ${run.idempotencyKey} after the race`;
          await act(run, 'refund after the race', adminPost(`/v1/admin/orders/${run.orderId}/refunds`, { reason }), (o) => o.refunds.some((r: Order) => r.reason === reason));
        }
        break;
      }
      case 'mismatch':
        // The gateway captures less than the total: needs review, never paid.
        deps.fault('amount mismatch', `gateway captures less than the total for order #${run.index}`);
        await pay(run, 'succeeded', plan, { amount: total - 1 });
        await waitOrder(run, 'needs review', (o) => o.status !== 'awaiting_payment');
        break;
      case 'expire':
      case 'late': {
        const expired = await waitOrder(run, 'expiry', (o) => o.status !== 'awaiting_payment', deps.paymentWindowMs + 120_000);
        if (run.scenario === 'late' && expired?.status === 'expired') {
          // A capture that raced the close, reported after expiry: paid late, so refunded automatically.
          deps.fault('late capture', `late capture after expiry for order #${run.index}`);
          if (await pay(run, 'succeeded', plan, { late: true })) {
            await waitOrder(run, 'the late payment refunded', (o) => o.paidAmount > 0 && o.refundedAmount === o.paidAmount && !openRefund(o));
          }
        }
        break;
      }
    }
    const settled = await waitOrder(run, 'a final state', (o) => isSettled(o));
    if (settled) run.lastStatus = settled.status;
  }

  function newRun(index: number, rnd: Random, seed: number): OrderRun {
    return {
      index,
      idempotencyKey: `chaos-${seed}-${index}`,
      scenario: rnd.weighted(SCENARIO_WEIGHTS),
      orderIds: new Set(),
      checkoutAttempts: 0,
      notes: [],
      problems: [],
    };
  }

  return { newRun, drive };
}
