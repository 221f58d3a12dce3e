// A model-based test of the order state machine: random, seeded sequences of storefront, merchant and
// gateway steps against the real workflow (Temporal dev server, Postgres, the API on a real port, the
// sandbox gateway). Each step's answer is checked against a small model of the order, and after each step
// the order must settle: the projection equal to the workflow's state, money that adds up, no activity
// retrying in a loop, the order final or waiting for someone who can move it on.
//
// Short run by default (CI), on a fixed seed unless `MODEL_RANDOM=1`. Longer, on a fresh seed:
// `MODEL_RUNS=200 npx vitest run test/order-model.test.ts`. Replay a failure with the `FC_SEED` (and
// `FC_PATH`) it prints; `MODEL_STEPS` sets the steps per sequence.
import type { WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus, PaymentStatus, RefundStatus } from '../domain/order.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import { answered, invariantViolations, settle, type OrderView } from './support/model/observe.js';
import { anyText, fineText, showText, type Text } from './support/model/texts.js';
import { ADDRESS, CUSTOMER, startStack, type Merchant, type Response, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are JSON checked by the assertions */

const RUNS_ASKED = process.env.MODEL_RUNS ?? process.env.FC_RUNS;
const RUNS = Number(RUNS_ASKED ?? 3);
const MAX_STEPS = Number(process.env.MODEL_STEPS ?? 8);
/** The short run (CI) always takes the same sequences, so it cannot fail on a seed nobody has run before; this one
 * meets hostile text, an unreachable gateway, a decline and a way out of needs_review. */
const CI_SEED = 2;
const SEED =
  process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : RUNS_ASKED === undefined && !process.env.MODEL_RANDOM ? CI_SEED : Math.floor(Math.random() * 2 ** 31);
const PATH = process.env.FC_PATH;

const THRESHOLD = 20_000;
/** Short bounds, so that a checkout against an unreachable gateway costs a sequence seconds, not the default 15. */
const BOUNDS = { CHECKOUT_TIMEOUT_SECONDS: 5, PAYMENT_CREATION_TIMEOUT_SECONDS: 2 };
const NORMAL = { paymentWindowSeconds: 600, paymentCheckIntervalSeconds: 1, latePaymentGraceSeconds: 300, refundWindowSeconds: 600, refundApprovalThreshold: THRESHOLD, autoConfirm: false };
const SHORT = { ...NORMAL, paymentWindowSeconds: 3 };

// ---- The model ------------------------------------------------------------------------------------------

interface ModelRefund {
  /** Unknown (with the reason) for a refund the order starts itself, until a settled order shows it. */
  id?: string;
  amount: number;
  status: RefundStatus;
  reason?: string;
}

interface Model {
  window: 'normal' | 'short';
  steps: number;
  status: OrderStatus;
  total: number;
  paid: number;
  refunded: number;
  payment: PaymentStatus;
  /** What the gateway captured when it differed from the total (needs_review). */
  captured?: number;
  refunds: ModelRefund[];
  shipment?: { carrier: string; trackingNumber: string };
  /** The steps run so far, printed when one fails. */
  log: string[];
  /** The last refund asked for with an Idempotency-Key and made, for a retry. */
  lastKeyedRefund?: { path: string; key: string; idempotencyKey: string; body: object; id: string };
}

interface Real {
  stack: Stack;
  merchant: Merchant;
  orderId: string;
  paymentId: string;
  handle: WorkflowHandle;
  checkout: { key: string; body: object };
}

const committed = (m: Model) => m.refunds.filter((r) => ['pending_approval', 'processing', 'succeeded'].includes(r.status)).reduce((s, r) => s + r.amount, 0);
const refundable = (m: Model) => Math.max(0, m.paid - committed(m));
const hasPending = (m: Model) => m.refunds.some((r) => r.status === 'pending_approval');
const takesRefunds = (m: Model) => ['paid', 'confirmed', 'shipped', 'delivered', 'needs_review'].includes(m.status);
/** A short payment window is left to expire: paying or cancelling inside it would race the clock. */
const racingTheWindow = (m: Model) => m.window === 'short' && m.status === 'awaiting_payment';

/** A refund that succeeded, and the order refunded once everything paid came back (cancelled and expired keep their status). */
function refundSucceeded(m: Model, refund: ModelRefund) {
  refund.status = 'succeeded';
  m.refunded += refund.amount;
  if (m.refunded === m.paid && m.status !== 'cancelled' && m.status !== 'expired') m.status = 'refunded';
}

/** Decline and refund-payment: refunds waiting for approval are approved, and only a positive rest is refunded. */
function refundTheRest(m: Model) {
  for (const waiting of m.refunds.filter((x) => x.status === 'pending_approval')) refundSucceeded(m, waiting);
  const rest = refundable(m);
  if (rest > 0) {
    const refund: ModelRefund = { amount: rest, status: 'processing' };
    m.refunds.push(refund);
    refundSucceeded(m, refund);
  }
}

const known = (m: Model) => new Set(m.refunds.map((r) => r.id).filter(Boolean));

/** Differences between the settled order and the model; empty when they agree. */
function modelDiff(m: Model) {
  return (view: OrderView, running: boolean): string[] => {
    const d: string[] = [];
    const same = (what: string, seen: unknown, want: unknown) => {
      if (JSON.stringify(seen) !== JSON.stringify(want)) d.push(`${what} is ${JSON.stringify(seen)}, model says ${JSON.stringify(want)}`);
    };
    same('status', view.status, m.status);
    same('paidAmount', view.paidAmount, m.paid);
    same('refundedAmount', view.refundedAmount, m.refunded);
    same('payment status', view.payments[0]?.status, m.payment);
    if (m.shipment) same('shipment', { carrier: view.shipment?.carrier, trackingNumber: view.shipment?.trackingNumber }, m.shipment);
    // Once everything paid has come back the run ends; an unpaid cancelled or expired order waits out the late-payment grace.
    const over = (m.status === 'refunded' || m.status === 'cancelled' || m.status === 'expired') && m.paid > 0 && m.refunded === m.paid;
    if (over && running) d.push('the run has not ended');
    const ids = known(m);
    const asked = view.refunds.filter((r: any) => ids.has(r.id));
    same('refunds', asked.map((r: any) => [r.id, r.amount, r.status, r.reason]).sort(), m.refunds.filter((r) => r.id).map((r) => [r.id, r.amount, r.status, r.reason]).sort());
    const started = view.refunds.filter((r: any) => !ids.has(r.id));
    same('refunds the order started', started.map((r: any) => [r.amount, r.status]).sort(), m.refunds.filter((r) => !r.id).map((r) => [r.amount, r.status]).sort());
    return d;
  };
}

/** Waits for the order to settle as the model says, then checks the invariants; learns the ids of refunds the order started. */
async function observe(m: Model, r: Real, step: string, boundMs?: number): Promise<void> {
  const observation = await settle(r.stack, r.merchant.secretKey, r.orderId, r.handle, modelDiff(m), boundMs).catch((error: unknown) => {
    throw new Error(`after ${step}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  const problems = invariantViolations(observation);
  if (problems.length > 0) throw new Error(`after ${step}: ${problems.join('; ')}`);
  const ids = known(m);
  const started = observation.view.refunds.filter((x: any) => !ids.has(x.id));
  for (const refund of m.refunds.filter((x) => !x.id)) {
    const seen = started.find((x: any) => x.amount === refund.amount && x.status === refund.status && !known(m).has(x.id));
    refund.id = seen.id;
    refund.reason = seen.reason;
  }
}

function expectStatus(step: string, response: Response, status: number) {
  expect(response.status, `${step} answered ${response.status}: ${JSON.stringify(response.body)}`).toBe(status);
}

/** Text that cannot be stored is refused by the input policy, before any schema or state is looked at. */
function expectTextRefusal(step: string, response: Response, texts: Array<Text | undefined>) {
  if (!texts.some((t) => t?.kind === 'unstorable')) return;
  expect(response.body?.error?.code, `${step} refused with ${JSON.stringify(response.body)}`).toBe('invalid_text');
  tally('unstorable text -> invalid_text');
}

const stored = (t: Text) => t.value.trim();

/** How often each step ran and the status it left, printed with the seed: what a run actually covered. */
const coverage = new Map<string, number>();
const tally = (what: string) => coverage.set(what, (coverage.get(what) ?? 0) + 1);

// ---- The steps --------------------------------------------------------------------------------------------

/** Counts the step; `probe` steps are also tried where the model expects a refusal. */
abstract class Step {
  constructor(readonly probe: boolean) {}
  protected abstract applies(m: Readonly<Model>): boolean;
  protected abstract perform(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
  /** Whether the step may run at all in this state (e.g. not inside a short window). */
  protected allowed(m: Readonly<Model>): boolean {
    return !racingTheWindow(m);
  }
  check(m: Readonly<Model>): boolean {
    return m.steps < MAX_STEPS && this.allowed(m) && (this.applies(m) || this.probe);
  }
  [fc.toStringMethod]() {
    return this.toString();
  }
  async run(m: Model, r: Real): Promise<void> {
    m.steps += 1;
    m.log.push(String(this));
    try {
      await this.perform(m, r);
    } catch (error) {
      throw new Error(`step ${m.steps} of checkout, ${m.log.join(', ')}:\n${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    tally(`${String(this).replace(/\(.*$/, '')} -> ${m.status}`);
  }
}

type Capture = 'exact' | 'less' | 'more' | 'otherCurrency';
type Delivery = { mode: 'deliver' | 'drop' | 'duplicate' | 'reorder'; delayMs: number };

/** The customer pays (or the payment fails) through the sandbox's test control; `late`: after the order closed. */
class Pay extends Step {
  constructor(
    readonly outcome: 'succeeded' | 'failed',
    readonly capture: Capture,
    readonly notification: Delivery,
    readonly late: boolean,
    probe: boolean,
  ) {
    super(probe);
  }
  toString() {
    return `pay(${this.outcome}${this.late ? ', late' : ''}, ${this.capture}, ${this.notification.mode}${this.notification.delayMs ? ` +${this.notification.delayMs}ms` : ''}${this.probe ? ', probe' : ''})`;
  }
  protected applies(m: Readonly<Model>) {
    return this.late ? (m.status === 'expired' || m.status === 'cancelled') && m.payment === 'closed' : m.status === 'awaiting_payment';
  }
  protected async perform(m: Model, r: Real) {
    const amount = { exact: m.total, less: m.total - 100, more: m.total + 100, otherCurrency: m.total }[this.capture];
    const body = {
      outcome: this.outcome,
      ...(this.capture !== 'exact' && { amount }),
      ...(this.capture === 'otherCurrency' && { currency: 'USD' }),
      ...(this.late && { late: true }),
      notification: this.notification,
    };
    const response = await answered(String(this), (timeoutMs) =>
      r.stack.request('POST', `/sandbox/api/merchants/${r.merchant.merchantId}/control/payments/${r.paymentId}/complete`, { key: sandboxSecret(r.stack.config.masterKey, r.merchant.merchantId), body, timeoutMs }),
    );
    // The gateway charges a pending payment, or (late) a closed one; anything else is refused, nothing charged.
    const payable = m.payment === 'pending' || (this.late && m.payment === 'closed');
    expectStatus(String(this), response, payable ? 200 : 409);
    if (payable) {
      if (this.outcome === 'failed') {
        m.status = 'cancelled';
        m.payment = 'failed';
      } else if (m.status !== 'awaiting_payment') {
        // Late: recorded as paid and refunded in full by the order itself; the status stays.
        m.payment = 'succeeded';
        m.paid = m.total;
        m.refunds.push({ amount: m.total, status: 'succeeded' });
        m.refunded = m.total;
      } else {
        m.payment = 'succeeded';
        // Another currency is not money the order can count until the merchant accepts it.
        m.paid = this.capture === 'otherCurrency' ? 0 : amount;
        m.status = this.capture === 'exact' ? 'paid' : 'needs_review';
        if (this.capture !== 'exact') m.captured = amount;
      }
    }
    await observe(m, r, String(this));
  }
}

/** The customer cancels before paying. */
class Cancel extends Step {
  toString() {
    return `cancel(${this.probe ? 'probe' : ''})`;
  }
  protected applies(m: Readonly<Model>) {
    return m.status === 'awaiting_payment';
  }
  protected async perform(m: Model, r: Real) {
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', `/v1/orders/${r.orderId}/cancel`, { key: r.merchant.secretKey, timeoutMs }));
    const allowed = m.status === 'awaiting_payment';
    expectStatus(String(this), response, allowed ? 200 : 409);
    if (allowed) {
      m.status = 'cancelled';
      m.payment = 'closed';
    }
    await observe(m, r, String(this));
  }
}

/** The short payment window closes: the order expires and the payment is closed at the gateway. */
class Expire extends Step {
  constructor() {
    super(false);
  }
  toString() {
    return 'expire()';
  }
  protected override allowed() {
    return true;
  }
  protected applies(m: Readonly<Model>) {
    return racingTheWindow(m);
  }
  protected async perform(m: Model, r: Real) {
    m.status = 'expired';
    m.payment = 'closed';
    await observe(m, r, String(this), (SHORT.paymentWindowSeconds + 20) * 1000);
  }
}

type Action = 'confirm' | 'decline' | 'ship' | 'deliver' | 'accept-payment' | 'refund-payment';
const ACTION_FROM: Record<Action, OrderStatus> = { confirm: 'paid', decline: 'paid', ship: 'confirmed', deliver: 'shipped', 'accept-payment': 'needs_review', 'refund-payment': 'needs_review' };

/** The action's body from its free text: decline's and refund-payment's reason, ship's carrier and tracking number, accept's optional note. */
function actionBody(action: Action, [first, second]: Text[]): object | undefined {
  if (action === 'decline' || action === 'refund-payment') return { reason: first!.value };
  if (action === 'ship') return { carrier: first!.value, trackingNumber: second!.value };
  if (action === 'accept-payment') return first ? { note: first.value } : {};
  return undefined;
}

/** A merchant action on the order, with its free text. */
class Act extends Step {
  constructor(
    readonly action: Action,
    readonly texts: Text[],
    probe: boolean,
  ) {
    super(probe);
  }
  toString() {
    return `${this.action}(${this.texts.map(showText).join(', ')}${this.probe ? `${this.texts.length ? ', ' : ''}probe` : ''})`;
  }
  protected applies(m: Readonly<Model>) {
    return m.status === ACTION_FROM[this.action];
  }
  protected async perform(m: Model, r: Real) {
    const body = actionBody(this.action, this.texts);
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', `/v1/admin/orders/${r.orderId}/${this.action}`, { key: r.merchant.adminKey, body, timeoutMs }));
    const valid = this.texts.every((t) => t.kind === 'fine');
    const allowed = m.status === ACTION_FROM[this.action];
    expectStatus(String(this), response, !valid ? 400 : allowed ? 200 : 409);
    expectTextRefusal(String(this), response, this.texts);
    if (valid && allowed) {
      if (this.action === 'confirm') m.status = 'confirmed';
      if (this.action === 'deliver') m.status = 'delivered';
      if (this.action === 'ship') m.shipment = { carrier: stored(this.texts[0]!), trackingNumber: stored(this.texts[1]!) };
      if (this.action === 'ship') m.status = 'shipped';
      if (this.action === 'accept-payment') {
        // The capture is what the order holds from now on, in whatever currency it came.
        m.status = 'paid';
        m.paid = m.captured!;
      }
      if (this.action === 'decline' || this.action === 'refund-payment') {
        if (this.action === 'refund-payment') m.paid = m.captured!;
        m.status = 'cancelled';
        refundTheRest(m);
      }
    }
    await observe(m, r, String(this));
  }
}

type AmountSpec = { kind: 'omitted' | 'zero' | 'rest' | 'moreThanRest' } | { kind: 'part'; fraction: number };

/** A refund asked for by the customer (storefront API) or the merchant (admin API), of an amount relative to what is left. */
class Refund extends Step {
  constructor(
    readonly actor: 'customer' | 'merchant',
    readonly amount: AmountSpec,
    readonly reason: Text,
    readonly keyed: boolean,
    probe: boolean,
  ) {
    super(probe);
  }
  toString() {
    const amount = this.amount.kind === 'part' ? `part ${this.amount.fraction.toFixed(2)}` : this.amount.kind;
    return `${this.actor}Refund(${amount}, ${showText(this.reason)}${this.keyed ? ', keyed' : ''}${this.probe ? ', probe' : ''})`;
  }
  protected applies(m: Readonly<Model>) {
    return takesRefunds(m) && refundable(m) > 0;
  }
  protected async perform(m: Model, r: Real) {
    const rest = refundable(m);
    const amount = { omitted: undefined, zero: 0, rest, moreThanRest: rest + 1, part: Math.max(1, Math.floor(rest * (this.amount.kind === 'part' ? this.amount.fraction : 1))) }[this.amount.kind];
    const body = { ...(amount !== undefined && { amount }), reason: this.reason.value };
    const path = this.actor === 'customer' ? `/v1/orders/${r.orderId}/refunds` : `/v1/admin/orders/${r.orderId}/refunds`;
    const key = this.actor === 'customer' ? r.merchant.secretKey : r.merchant.adminKey;
    const idempotencyKey = `refund-${m.steps}-${Math.random().toString(36).slice(2)}`;
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', path, { key, body, timeoutMs, ...(this.keyed && { headers: { 'idempotency-key': idempotencyKey } }) }));

    const asked = amount ?? rest;
    const expected =
      this.reason.kind !== 'fine' || (amount !== undefined && amount <= 0)
        ? 400
        : !takesRefunds(m) || m.paid === 0
          ? 409
          : asked <= 0 || asked > rest
            ? 422
            : 201;
    expectStatus(String(this), response, expected);
    expectTextRefusal(String(this), response, [this.reason]);
    if (expected !== 201) return observe(m, r, String(this));
    const waits = this.actor === 'customer' && (m.status === 'shipped' || m.status === 'delivered' || asked > THRESHOLD);
    expect(response.body, String(this)).toMatchObject({ amount: asked, status: waits ? 'pending_approval' : 'processing', reason: stored(this.reason) });
    const refund: ModelRefund = { id: response.body.id, amount: asked, status: waits ? 'pending_approval' : 'processing', reason: stored(this.reason) };
    m.refunds.push(refund);
    if (!waits) refundSucceeded(m, refund);
    if (this.keyed) m.lastKeyedRefund = { path, key, idempotencyKey, body, id: response.body.id };
    await observe(m, r, String(this));
  }
}

/** The same refund request again, with the same Idempotency-Key: answered with the refund it made, once. */
class RetryRefund extends Step {
  constructor() {
    super(false);
  }
  toString() {
    return 'retryRefund()';
  }
  protected applies(m: Readonly<Model>) {
    return m.lastKeyedRefund !== undefined;
  }
  protected async perform(m: Model, r: Real) {
    const last = m.lastKeyedRefund!;
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', last.path, { key: last.key, body: last.body, headers: { 'idempotency-key': last.idempotencyKey }, timeoutMs }));
    expectStatus(String(this), response, 201);
    expect(response.body.id, String(this)).toBe(last.id);
    await observe(m, r, String(this));
  }
}

/** The merchant approves or rejects a refund: the one waiting, another one, or an unknown id. */
class Decide extends Step {
  constructor(
    readonly decision: 'approve' | 'reject',
    readonly target: 'waiting' | 'other' | 'unknown',
    readonly note: Text | undefined,
    probe: boolean,
  ) {
    super(probe);
  }
  toString() {
    return `${this.decision}(${this.target}${this.note ? `, ${showText(this.note)}` : ''}${this.probe ? ', probe' : ''})`;
  }
  protected applies(m: Readonly<Model>) {
    return hasPending(m);
  }
  protected async perform(m: Model, r: Real) {
    const waiting = m.refunds.find((x) => x.status === 'pending_approval');
    const other = m.refunds.find((x) => x.status !== 'pending_approval');
    const refund = this.target === 'unknown' ? undefined : this.target === 'waiting' ? (waiting ?? other) : (other ?? waiting);
    const refundId = refund?.id ?? 'rfd_AAAAAAAAAAAAAAAA';
    const body = this.note ? { note: this.note.value } : {};
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', `/v1/admin/refunds/${refundId}/${this.decision}`, { key: r.merchant.adminKey, body, timeoutMs }));
    const validNote = this.note ? this.note.kind === 'fine' : this.decision === 'approve';
    const expected = !validNote ? 400 : !refund ? 404 : refund.status !== 'pending_approval' ? 409 : 200;
    expectStatus(String(this), response, expected);
    expectTextRefusal(String(this), response, [this.note]);
    if (expected === 200) {
      if (this.decision === 'reject') refund!.status = 'rejected';
      else refundSucceeded(m, refund!);
    }
    await observe(m, r, String(this));
  }
}

/** The storefront retries its checkout with the same Idempotency-Key: the same order, or a 422 for another cart. */
class RetryCheckout extends Step {
  constructor(readonly sameBody: boolean) {
    super(false);
  }
  toString() {
    return `retryCheckout(${this.sameBody ? 'same cart' : 'other cart'})`;
  }
  protected applies() {
    return true;
  }
  protected async perform(m: Model, r: Real) {
    const body = this.sameBody ? r.checkout.body : { ...r.checkout.body, items: [{ sku: 'TEA', quantity: 3 }] };
    const response = await answered(String(this), (timeoutMs) => r.stack.request('POST', '/v1/checkouts', { key: r.merchant.secretKey, body, headers: { 'idempotency-key': r.checkout.key }, timeoutMs }));
    expectStatus(String(this), response, this.sameBody ? 201 : 422);
    if (this.sameBody) expect(response.body.order.id, String(this)).toBe(r.orderId);
    await observe(m, r, String(this));
  }
}

// ---- Generators -------------------------------------------------------------------------------------------

const probe = fc.integer({ min: 0, max: 7 }).map((x) => x === 0);
const text = anyText;
const delivery: fc.Arbitrary<Delivery> = fc.record({
  mode: fc.constantFrom('deliver', 'drop', 'duplicate', 'reorder'),
  delayMs: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 100, max: 1500 }), weight: 1 }),
});
const capture = fc.constantFrom<Capture>('exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'less', 'more', 'otherCurrency');
const amountSpec: fc.Arbitrary<AmountSpec> = fc.oneof(
  fc.constantFrom<AmountSpec>({ kind: 'omitted' }, { kind: 'zero' }, { kind: 'rest' }, { kind: 'moreThanRest' }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((fraction): AmountSpec => ({ kind: 'part', fraction })),
);

/** One step of any kind, weighted towards the steps that move an order on. */
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(capture, delivery, probe).map(([c, d, p]) => new Pay('succeeded', c, d, false, p)) },
  { weight: 1, arbitrary: fc.tuple(delivery, probe).map(([d, p]) => new Pay('failed', 'exact', d, false, p)) },
  // A late payment is heard by notification within the grace (a dropped one would be found only at its end).
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom<Delivery['mode']>('deliver', 'duplicate', 'reorder'), probe).map(([mode, p]) => new Pay('succeeded', 'exact', { mode, delayMs: 0 }, true, p)) },
  { weight: 1, arbitrary: probe.map((p) => new Cancel(p)) },
  { weight: 2, arbitrary: fc.constant(new Expire()) },
  { weight: 3, arbitrary: probe.map((p) => new Act('confirm', [], p)) },
  { weight: 2, arbitrary: fc.tuple(text, probe).map(([t, p]) => new Act('decline', [t], p)) },
  { weight: 3, arbitrary: fc.tuple(text, text, probe).map(([a, b, p]) => new Act('ship', [a, b], p)) },
  { weight: 2, arbitrary: probe.map((p) => new Act('deliver', [], p)) },
  { weight: 2, arbitrary: fc.tuple(fc.option(text, { nil: undefined }), probe).map(([t, p]) => new Act('accept-payment', t ? [t] : [], p)) },
  { weight: 2, arbitrary: fc.tuple(text, probe).map(([t, p]) => new Act('refund-payment', [t], p)) },
  {
    weight: 5,
    arbitrary: fc.tuple(fc.constantFrom<'customer' | 'merchant'>('customer', 'merchant'), amountSpec, text, fc.boolean(), probe).map(([a, amount, t, k, p]) => new Refund(a, amount, t, k, p)),
  },
  { weight: 1, arbitrary: fc.constant(new RetryRefund()) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom<'approve' | 'reject'>('approve', 'reject'), fc.constantFrom<'waiting' | 'other' | 'unknown'>('waiting', 'waiting', 'waiting', 'other', 'unknown'), fc.option(text, { nil: undefined }), probe)
      .map(([d, target, note, p]) => new Decide(d, target, note, p)),
  },
  { weight: 1, arbitrary: fc.boolean().map((same) => new RetryCheckout(same)) },
);

/** Candidates for a sequence: each runs when it applies (or probes), until MAX_STEPS have run. */
const steps = fc.array(anyStep, { minLength: MAX_STEPS * 4, maxLength: MAX_STEPS * 4 });

interface Scenario {
  window: 'normal' | 'short';
  /** The customer's name at checkout: fine text is kept; anything else must be refused before a clean checkout. */
  customerName: Text;
  /** First a checkout while the gateway answers every payment creation with 500. */
  gatewayDown: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  window: fc.constantFrom<Scenario['window']>('normal', 'normal', 'normal', 'short'),
  customerName: fc.oneof({ arbitrary: fineText, weight: 3 }, { arbitrary: text, weight: 1 }),
  gatewayDown: fc.boolean(),
});

// ---- The test ---------------------------------------------------------------------------------------------

describe('order state machine, model-based (fast-check, real workflow)', () => {
  let stack: Stack;
  let merchants: Record<'normal' | 'short' | 'down', Merchant>;

  beforeAll(async () => {
    stack = await startStack(Object.fromEntries(Object.entries(BOUNDS).map(([name, value]) => [name, String(value)])));
    await stack.startWorker();
    const [normal, short, down] = await Promise.all([stack.createMerchant({ settings: NORMAL }), stack.createMerchant({ settings: SHORT }), stack.createMerchant({ settings: NORMAL })]);
    merchants = { normal: normal!, short: short!, down: down! };
    const faults = await stack.request('PUT', `/sandbox/api/merchants/${down!.merchantId}/control/faults`, {
      key: sandboxSecret(stack.config.masterKey, down!.merchantId),
      body: { operations: ['createPayment'], error500: { probability: 1 } },
    });
    expect(faults.status).toBe(200);
  });
  afterAll(async () => {
    // A payment creation still retrying against the failing gateway would hold up the worker's shutdown.
    if (merchants) await stack.request('DELETE', `/sandbox/api/merchants/${merchants.down.merchantId}/control/faults`, { key: sandboxSecret(stack.config.masterKey, merchants.down.merchantId) });
    await stack?.stop();
  });

  const checkoutBody = (name: string) => ({ items: [{ sku: 'TEA', quantity: 2 }, { sku: 'CUP', quantity: 1 }], customer: { ...CUSTOMER, name }, shippingAddress: ADDRESS, paymentMethod: 'sandbox' });
  const newKey = () => `model-${Math.random().toString(36).slice(2)}`;
  const postCheckout = (merchant: Merchant, key: string, body: object) =>
    answered('checkout', (timeoutMs) => stack.request('POST', '/v1/checkouts', { key: merchant.secretKey, body, headers: { 'idempotency-key': key }, timeoutMs }));

  /** Checkout while the gateway is down: a typed answer within the checkout bound, and any order it made ends cancelled. */
  async function checkoutWhileGatewayDown() {
    const key = newKey();
    const started = Date.now();
    const response = await postCheckout(merchants.down, key, checkoutBody(CUSTOMER.name));
    const took = Date.now() - started;
    expect([502, 504], `checkout with the gateway down answered ${response.status}: ${JSON.stringify(response.body)}`).toContain(response.status);
    expect(response.body.error?.code, 'the error of a checkout the gateway could not take').toBe(response.status === 502 ? 'gateway_unavailable' : 'order_busy');
    expect(Number(response.headers.get('retry-after')), 'Retry-After on a checkout the gateway could not take').toBeGreaterThan(0);
    expect(took, 'checkout with the gateway down: answered within its bound').toBeLessThan(BOUNDS.CHECKOUT_TIMEOUT_SECONDS * 1000 + 1000);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const order = await stack.db.selectFrom('orders').select(['status']).where('merchantId', '=', merchants.down.merchantId).where('idempotencyKey', '=', key).executeTakeFirst();
      if (!order || order.status === 'cancelled') break;
      if (Date.now() > deadline) throw new Error(`the order of a checkout the gateway could not take is still ${order.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The order a sequence runs on, after the scenario's refused checkouts. */
  async function start(s: Scenario): Promise<{ model: Model; real: Real }> {
    if (s.gatewayDown) {
      await checkoutWhileGatewayDown();
      tally('checkout(gateway down) -> cancelled');
    }
    const merchant = merchants[s.window];
    if (s.customerName.kind !== 'fine') {
      const key = newKey();
      const refused = await postCheckout(merchant, key, checkoutBody(s.customerName.value));
      expectStatus(`checkout(${showText(s.customerName)})`, refused, 400);
      expectTextRefusal(`checkout(${showText(s.customerName)})`, refused, [s.customerName]);
      const made = await stack.db.selectFrom('orders').select('id').where('merchantId', '=', merchant.merchantId).where('idempotencyKey', '=', key).executeTakeFirst();
      expect(made, 'a refused checkout made an order').toBeUndefined();
      tally(`checkout(${s.customerName.kind}) -> refused`);
    }
    const name = s.customerName.kind === 'fine' ? s.customerName.value : CUSTOMER.name;
    const checkout = { key: newKey(), body: checkoutBody(name) };
    const response = await postCheckout(merchant, checkout.key, checkout.body);
    expectStatus('checkout', response, 201);
    const { order, payment } = response.body;
    const real: Real = { stack, merchant, orderId: order.id, paymentId: payment.id, handle: stack.client.workflow.getHandle(await stack.workflowId(order.id)), checkout };
    const model: Model = { window: s.window, steps: 0, status: 'awaiting_payment', total: order.total, paid: 0, refunded: 0, payment: 'pending', refunds: [], log: [] };
    await observe(model, real, 'checkout');
    const view = (await stack.order(merchant, order.id)).body;
    expect(view.customer.name, 'the customer name as stored').toBe(name.trim());
    return { model, real };
  }

  const timeoutMs = 60_000 + RUNS * MAX_STEPS * 15_000;

  it(`keeps every order answerable, consistent and within its money (${RUNS} sequence(s) of up to ${MAX_STEPS} steps)`, { timeout: timeoutMs }, async () => {
    const property = fc.asyncProperty(scenario, steps, async (s, candidates) => {
      const { model, real } = await start(s);
      for (const step of candidates) if (step.check(model)) await step.run(model, real);
    });
    const result = await fc.check(property, { seed: SEED, ...(PATH && { path: PATH }), numRuns: RUNS, endOnFailure: !process.env.FC_SHRINK });
    const covered = [...coverage].sort(([a], [b]) => (a < b ? -1 : 1)).map(([what, count]) => `${what} x${count}`);
    console.info(`order model: FC_SEED=${SEED}, ${result.numRuns} sequence(s); steps: ${covered.join(', ')}`);
    if (result.failed) {
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      throw new Error(
        [
          `The order model failed. Replay: FC_SEED=${result.seed} FC_PATH=${result.counterexamplePath} MODEL_STEPS=${MAX_STEPS} npx vitest run test/order-model.test.ts`,
          `Scenario: ${fc.stringify(result.counterexample?.[0])}`,
          cause,
        ].join('\n'),
      );
    }
  });
});
