// One simulated Stripe account: its Checkout Sessions, PaymentIntents and refunds, with the checks the
// real API makes on the parameters Paystead sends (unknown parameters, required fields, `expires_at`
// between 30 minutes and 24 hours ahead, a minimum charge, refunds within what is left to refund).
import { randomBytes } from 'node:crypto';
import type { Form, FormValue } from './form.js';
import type { Delivery } from './webhooks.js';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; message: string; code?: string; param?: string },
  ) {
    super(error.message);
  }
}

type Metadata = Record<string, string>;

export interface Session {
  id: string;
  object: 'checkout.session';
  adaptive_pricing: { enabled: boolean } | null;
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  expires_at: number;
  livemode: false;
  metadata: Metadata;
  mode: 'payment';
  payment_intent: string | null;
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  success_url: string;
  url: string | null;
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  created: number;
  currency: string;
  description: string | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  status: 'processing' | 'requires_payment_method' | 'succeeded';
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string | null;
  created: number;
  currency: string;
  failure_reason: string | null;
  metadata: Metadata;
  payment_intent: string;
  reason: string | null;
  status: 'pending' | 'succeeded' | 'failed';
}

/** How this account's refunds go: at once, or pending first and settled a little later (with its event). */
export interface RefundBehaviour {
  result: 'succeeded' | 'pending';
  settle?: 'succeeded' | 'failed';
  settleAfterMs?: number;
  notify?: Delivery;
}

export type Emit = (type: string, object: object, delivery?: Delivery) => void;

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const invalid = (message: string, param?: string, code?: string) => new StripeApiError(400, { type: 'invalid_request_error', message, ...(code && { code }), ...(param && { param }) });
const missing = (kind: string, id: string, param: string) => new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'` });

function onlyKnown(params: Form, known: readonly string[]): void {
  for (const key of Object.keys(params)) if (!known.includes(key)) throw invalid(`Received unknown parameter: ${key}`, key);
}

function text(value: FormValue | undefined, param: string, required = false): string | undefined {
  if (value === undefined) {
    if (required) throw invalid(`Missing required param: ${param}.`, param);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(`Invalid string: ${param}`, param);
  return value;
}

function integer(value: FormValue | undefined, param: string, required = false): number | undefined {
  const raw = text(value, param, required);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalid(`Invalid integer: ${raw}`, param);
  return Number(raw);
}

function object(value: FormValue | undefined, param: string): Record<string, FormValue> {
  if (value === undefined) return {};
  if (typeof value === 'string' || Array.isArray(value)) throw invalid(`Invalid object`, param);
  return value;
}

function metadata(value: FormValue | undefined, param: string): Metadata {
  const entries = Object.entries(object(value, param));
  if (entries.length > 50) throw invalid('Metadata can have at most 50 keys.', param);
  return Object.fromEntries(
    entries.map(([key, v]) => {
      const s = text(v, `${param}[${key}]`)!;
      if (key.length > 40 || s.length > 500) throw invalid('Metadata keys are limited to 40 characters and values to 500.', `${param}[${key}]`);
      return [key, s];
    }),
  );
}

function url(value: FormValue | undefined, param: string, required: boolean): string | null {
  const raw = text(value, param, required);
  if (raw === undefined) return null;
  if (!URL.canParse(raw)) throw invalid('Not a valid URL', param, 'url_invalid');
  return raw;
}

/** Newest first, as Stripe lists, with `created[...]`, `limit` and `starting_after`. */
function list<T extends { id: string; created: number }>(all: T[], params: Form, path: string, filter: (item: T) => boolean = () => true) {
  const created = object(params.created, 'created');
  const bound = (op: string) => integer(created[op], `created[${op}]`);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  const limit = integer(params.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalid('This value must be greater than or equal to 1 and less than or equal to 100.', 'limit');
  let items = all
    .filter((item) => (gt === undefined || item.created > gt) && (gte === undefined || item.created >= gte) && (lt === undefined || item.created < lt) && (lte === undefined || item.created <= lte))
    .filter(filter)
    .reverse();
  const after = text(params.starting_after, 'starting_after');
  if (after !== undefined) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) throw invalid(`No such object: '${after}'`, 'starting_after', 'resource_missing');
    items = items.slice(index + 1);
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url: path };
}

export class StripeAccount {
  readonly sessions = new Map<string, Session>();
  readonly intents = new Map<string, PaymentIntent>();
  readonly refunds = new Map<string, Refund>();
  /** `payment_intent_data` of each session, applied when the shopper pays and the intent is made. */
  private readonly intentData = new Map<string, { metadata: Metadata; description: string | null }>();
  refundBehaviour: RefundBehaviour = { result: 'succeeded' };
  /** Balance transaction pages come back cut short: `has_more` with nothing in them. */
  truncateBalanceTransactions = false;

  constructor(
    readonly secretKey: string,
    private readonly checkoutBaseUrl: string,
    private readonly emit: Emit,
  ) {}

  createSession(params: Form): Session {
    onlyKnown(params, ['mode', 'line_items', 'client_reference_id', 'metadata', 'payment_intent_data', 'success_url', 'cancel_url', 'expires_at', 'adaptive_pricing', 'expand']);
    if (text(params.mode, 'mode', true) !== 'payment') throw invalid('This simulator supports mode=payment only.', 'mode');
    const items = params.line_items;
    if (!Array.isArray(items) || items.length === 0) throw invalid('Missing required param: line_items.', 'line_items');
    let total = 0;
    let currency: string | undefined;
    items.forEach((item, i) => {
      const param = `line_items[${i}]`;
      const fields = object(item, param);
      onlyKnown(fields, ['quantity', 'price_data']);
      const quantity = integer(fields.quantity, `${param}[quantity]`, true)!;
      const price = object(fields.price_data, `${param}[price_data]`);
      onlyKnown(price, ['currency', 'unit_amount', 'product_data']);
      const itemCurrency = text(price.currency, `${param}[price_data][currency]`, true)!;
      if (!/^[a-z]{3}$/.test(itemCurrency)) throw invalid(`Invalid currency: ${itemCurrency}. Stripe currently supports these currencies: usd, eur, jpy, ...`, `${param}[price_data][currency]`);
      if (currency !== undefined && currency !== itemCurrency) throw invalid('All line items must use the same currency.', `${param}[price_data][currency]`);
      currency = itemCurrency;
      const unitAmount = integer(price.unit_amount, `${param}[price_data][unit_amount]`, true)!;
      if (unitAmount < 0 || quantity < 1) throw invalid('Invalid non-negative integer', `${param}[price_data][unit_amount]`);
      const product = object(price.product_data, `${param}[price_data][product_data]`);
      if (!text(product.name, `${param}[price_data][product_data][name]`, true)) throw invalid('Product name may not be empty.', `${param}[price_data][product_data][name]`);
      total += unitAmount * quantity;
    });
    if (total < 50) throw invalid(`The Checkout Session's total amount due must add up to at least 50 ${currency}`, undefined, 'amount_too_small');
    const created = now();
    const expiresAt = integer(params.expires_at, 'expires_at') ?? created + 24 * 3600;
    if (expiresAt < created + 30 * 60) throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at');
    if (expiresAt > created + 24 * 3600) throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'expires_at');
    const intentData = object(params.payment_intent_data, 'payment_intent_data');
    onlyKnown(intentData, ['metadata', 'description']);
    const adaptive = object(params.adaptive_pricing, 'adaptive_pricing');
    const id = `cs_test_${randomBytes(24).toString('hex')}`;
    const session: Session = {
      id,
      object: 'checkout.session',
      adaptive_pricing: { enabled: text(adaptive.enabled, 'adaptive_pricing[enabled]') !== 'false' },
      amount_subtotal: total,
      amount_total: total,
      cancel_url: url(params.cancel_url, 'cancel_url', false),
      client_reference_id: text(params.client_reference_id, 'client_reference_id') ?? null,
      created,
      currency: currency!,
      expires_at: expiresAt,
      livemode: false,
      metadata: metadata(params.metadata, 'metadata'),
      mode: 'payment',
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: url(params.success_url, 'success_url', true)!,
      url: `${this.checkoutBaseUrl}/c/pay/${id}`,
    };
    this.sessions.set(id, session);
    this.intentData.set(id, { metadata: metadata(intentData.metadata, 'payment_intent_data[metadata]'), description: text(intentData.description, 'payment_intent_data[description]') ?? null });
    return session;
  }

  listSessions(params: Form) {
    onlyKnown(params, ['created', 'limit', 'starting_after', 'payment_intent']);
    const intent = text(params.payment_intent, 'payment_intent');
    return list([...this.sessions.values()], params, '/v1/checkout/sessions', (s) => intent === undefined || s.payment_intent === intent);
  }

  session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw missing('checkout.session', id, 'session');
    return session;
  }

  expireSession(id: string): Session {
    const session = this.session(id);
    if (session.status !== 'open') throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired.`, undefined, 'checkout_session_not_open');
    session.status = 'expired';
    session.url = null;
    this.emit('checkout.session.expired', session);
    return session;
  }

  intent(id: string): PaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw missing('payment_intent', id, 'intent');
    return intent;
  }

  /** The shopper pays on the hosted page: by card at once, or by a delayed method that settles later. */
  pay(session: Session, options: { delayed?: boolean; notify?: Delivery } = {}): Session {
    if (session.status !== 'open') throw new Error(`session ${session.id} is ${session.status}, not open`);
    const data = this.intentData.get(session.id)!;
    const intent: PaymentIntent = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: session.amount_total,
      amount_received: options.delayed ? 0 : session.amount_total,
      created: now(),
      currency: session.currency,
      description: data.description,
      latest_charge: newId('ch'),
      livemode: false,
      metadata: data.metadata,
      status: options.delayed ? 'processing' : 'succeeded',
    };
    this.intents.set(intent.id, intent);
    Object.assign(session, { status: 'complete', payment_status: options.delayed ? 'unpaid' : 'paid', payment_intent: intent.id, url: null });
    this.emit('checkout.session.completed', session, options.notify);
    return session;
  }

  settleDelayed(session: Session, outcome: 'succeeded' | 'failed', notify?: Delivery): void {
    const intent = this.intent(session.payment_intent ?? '');
    if (intent.status !== 'processing') throw new Error(`payment intent ${intent.id} is ${intent.status}, not processing`);
    if (outcome === 'succeeded') {
      Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
      session.payment_status = 'paid';
    } else {
      intent.status = 'requires_payment_method';
    }
    this.emit(`checkout.session.async_payment_${outcome}`, session, notify);
  }

  createRefund(params: Form): Refund {
    onlyKnown(params, ['payment_intent', 'amount', 'metadata', 'reason', 'expand']);
    const intentId = text(params.payment_intent, 'payment_intent', true)!;
    const intent = this.intents.get(intentId);
    if (!intent) throw missing('payment_intent', intentId, 'payment_intent');
    if (intent.status !== 'succeeded') throw invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, 'payment_intent');
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id && r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
    const left = intent.amount_received - refunded;
    if (left === 0) throw invalid(`Charge ${intent.latest_charge} has already been refunded.`, undefined, 'charge_already_refunded');
    const amount = integer(params.amount, 'amount') ?? left;
    if (amount < 1) throw invalid('Invalid positive integer', 'amount');
    if (amount > left) throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount', 'amount_too_large');
    const reason = text(params.reason, 'reason') ?? null;
    if (reason !== null && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) throw invalid(`Invalid reason: ${reason}`, 'reason');
    const behaviour = this.refundBehaviour;
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      charge: intent.latest_charge,
      created: now(),
      currency: intent.currency,
      failure_reason: null,
      metadata: metadata(params.metadata, 'metadata'),
      payment_intent: intent.id,
      reason,
      status: behaviour.result,
    };
    this.refunds.set(refund.id, refund);
    if (behaviour.result === 'pending') {
      setTimeout(() => {
        const outcome = behaviour.settle ?? 'succeeded';
        Object.assign(refund, { status: outcome, failure_reason: outcome === 'failed' ? 'declined' : null });
        this.emit(outcome === 'failed' ? 'refund.failed' : 'refund.updated', refund, behaviour.notify);
      }, behaviour.settleAfterMs ?? 200).unref();
    }
    return refund;
  }

  listRefunds(params: Form) {
    onlyKnown(params, ['created', 'limit', 'starting_after', 'payment_intent', 'charge']);
    const intent = text(params.payment_intent, 'payment_intent');
    return list([...this.refunds.values()], params, '/v1/refunds', (r) => intent === undefined || r.payment_intent === intent);
  }

  refund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw missing('refund', id, 'id');
    return refund;
  }

  /** A refund made in the Dashboard: settled at once, no metadata of ours, no event. */
  dashboardRefund(intentId: string, amount: number): Refund {
    const intent = this.intent(intentId);
    const refund: Refund = { id: newId('re'), object: 'refund', amount, charge: intent.latest_charge, created: now(), currency: intent.currency, failure_reason: null, metadata: {}, payment_intent: intent.id, reason: null, status: 'succeeded' };
    this.refunds.set(refund.id, refund);
    return refund;
  }

  /**
   * The account's balance transactions: a charge per payment received (fee 2.9 % + 30), a refund per
   * refund succeeded (no fee back, negative amount). `expand[]=data.source` and `data.source.payment_intent`
   * are honoured.
   */
  listBalanceTransactions(params: Form) {
    onlyKnown(params, ['created', 'limit', 'starting_after', 'expand', 'type']);
    const expand = Array.isArray(params.expand) ? params.expand : [];
    const source = (object: Record<string, unknown>, intentId: string) => {
      if (!expand.includes('data.source')) return object.id;
      return expand.includes('data.source.payment_intent') ? { ...object, payment_intent: this.intent(intentId) } : object;
    };
    const charges = [...this.intents.values()]
      .filter((i) => i.status === 'succeeded')
      .map((i) => {
        const fee = Math.round(i.amount_received * 0.029) + 30;
        return { id: `txn_${i.latest_charge!.slice(3)}`, object: 'balance_transaction', amount: i.amount_received, currency: i.currency, fee, net: i.amount_received - fee, type: 'charge', created: i.created, source: source({ id: i.latest_charge, object: 'charge', amount: i.amount_received, payment_intent: i.id }, i.id) };
      });
    const refunds = [...this.refunds.values()]
      .filter((r) => r.status === 'succeeded')
      .map((r) => ({ id: `txn_${r.id.slice(3)}`, object: 'balance_transaction', amount: -r.amount, currency: r.currency, fee: 0, net: -r.amount, type: 'refund', created: r.created, source: source({ ...r }, r.payment_intent) }));
    const page = list([...charges, ...refunds].sort((a, b) => a.created - b.created), { ...params, expand: undefined as never }, '/v1/balance_transactions');
    return this.truncateBalanceTransactions ? { ...page, data: [], has_more: true } : page;
  }
}
