// A local stand-in for Stripe's API (the subset Paystead uses), reached by the real `stripe` client through
// its host/port/protocol options. It authenticates the Bearer secret key, parses form-encoded bodies,
// honours Idempotency-Key (same key and parameters: the first answer replayed; other parameters: 400
// idempotency_error), answers in Stripe's object and error shapes, and sends signed webhooks.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseForm, type Form } from './form.js';
import { StripeAccount, StripeApiError, type RefundBehaviour, type Session } from './ledger.js';
import { createWebhookSender, type Delivery, type Endpoint } from './webhooks.js';
import { text as readBody } from 'node:stream/consumers';

/** What an endpoint is subscribed to, as a merchant would set it up in the Dashboard. */
export const ENDPOINT_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired', 'refund.updated', 'refund.failed'];

export interface Failure {
  status: 429 | 500 | 503 | 401 | 400;
  /** `METHOD /path` prefix the failure applies to; any request when absent. */
  route?: string;
  count?: number;
  /** Do the work, then answer with the failure: the caller cannot know it happened. */
  afterProcessing?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: Form;
  idempotencyKey?: string;
  status: number;
  replayed: boolean;
}

const FAILURE_BODIES: Record<Failure['status'], StripeApiError['error']> = {
  400: { type: 'invalid_request_error', message: 'Invalid request (simulated).' },
  401: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
  429: { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.' },
  500: { type: 'api_error', message: 'An unknown error occurred' },
  503: { type: 'api_error', message: 'Service unavailable' },
};

const canonical = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

export async function startStripeSimulator() {
  const accounts = new Map<string, StripeAccount>();
  const endpoints = new Map<string, Endpoint[]>();
  const saved = new Map<string, { request: string; body: string }>();
  const failures: Array<Required<Pick<Failure, 'count'>> & Failure> = [];
  const requests: RecordedRequest[] = [];
  const webhooks = createWebhookSender();
  let baseUrl = '';

  /** Events of the account with this secret key, to each of its endpoints. */
  function emitFor(secretKey: string) {
    return (type: string, object: object, delivery?: Delivery) => {
      const event = {
        id: `evt_${randomBytes(12).toString('hex')}`,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        data: { object: structuredClone(object) },
        livemode: false,
        pending_webhooks: endpoints.get(secretKey)?.length ?? 0,
        request: { id: null, idempotency_key: null },
        type,
      };
      webhooks.send(endpoints.get(secretKey) ?? [], event, delivery);
    };
  }

  function route(account: StripeAccount, method: string, path: string, params: Form): unknown {
    const parts = path.split('/').filter(Boolean);
    const at = `${method} /${parts.map((p, i) => (i === 3 ? ':id' : p)).join('/')}`;
    switch (at) {
      case 'POST /v1/checkout/sessions':
        return account.createSession(params);
      case 'GET /v1/checkout/sessions':
        return account.listSessions(params);
      case 'GET /v1/checkout/sessions/:id':
        return account.session(parts[3]!);
      case 'POST /v1/checkout/sessions/:id/expire':
        return account.expireSession(parts[3]!);
      case 'POST /v1/refunds':
        return account.createRefund(params);
      case 'GET /v1/refunds':
        return account.listRefunds(params);
    }
    if (method === 'GET' && parts.length === 3 && parts[1] === 'payment_intents') return account.intent(parts[2]!);
    if (method === 'GET' && parts.length === 3 && parts[1] === 'refunds') return account.refund(parts[2]!);
    throw new StripeApiError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
  }

  function takeFailure(method: string, path: string): Failure | undefined {
    const index = failures.findIndex((f) => f.route === undefined || `${method} ${path}`.startsWith(f.route));
    if (index < 0) return undefined;
    const failure = failures[index]!;
    if (--failure.count === 0) failures.splice(index, 1);
    return failure;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const target = new URL(request.url ?? '/', 'http://localhost');
    // The hosted Checkout page a session's `url` opens in the shopper's browser (paid with `pay`).
    const hosted = method === 'GET' ? /^\/c\/pay\/([\w-]+)$/.exec(target.pathname) : null;
    if (hosted) return checkoutPage(hosted[1]!, response);
    const body = await readBody(request);
    const params = parseForm(method === 'GET' ? target.search.slice(1) : body);
    const idempotencyKey = method === 'POST' ? (request.headers['idempotency-key'] as string | undefined) : undefined;
    const record: RecordedRequest = { method, path: target.pathname, params, ...(idempotencyKey && { idempotencyKey }), status: 0, replayed: false };
    requests.push(record);
    const send = (status: number, json: string, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(7).toString('hex')}`, ...headers }).end(json);
    };
    const fail = (error: StripeApiError) => send(error.status, JSON.stringify({ error: error.error }, null, 2));

    const failure = takeFailure(method, target.pathname);
    if (failure && !failure.afterProcessing) return fail(new StripeApiError(failure.status, FAILURE_BODIES[failure.status]));
    const key = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const account = key === undefined ? undefined : accounts.get(key);
    if (!account) {
      const message = key === undefined ? 'You did not provide an API key.' : `Invalid API Key provided: ${key.slice(0, 8)}********${key.slice(-4)}`;
      return fail(new StripeApiError(401, { type: 'invalid_request_error', message }));
    }

    const fingerprint = canonical({ method, path: target.pathname, params });
    const savedKey = idempotencyKey && `${key}:${idempotencyKey}`;
    const earlier = savedKey ? saved.get(savedKey) : undefined;
    if (earlier && earlier.request !== fingerprint) {
      return fail(new StripeApiError(400, { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` }));
    }
    if (earlier) {
      record.replayed = true;
      return send(200, earlier.body, { 'idempotent-replayed': 'true' });
    }
    let result: string;
    try {
      result = JSON.stringify(route(account, method, target.pathname, params), null, 2);
    } catch (error) {
      if (error instanceof StripeApiError) return fail(error);
      throw error;
    }
    // Parameter errors are not saved (Stripe only saves requests that started executing), answers are.
    if (savedKey) saved.set(savedKey, { request: fingerprint, body: result });
    if (failure) return fail(new StripeApiError(failure.status, FAILURE_BODIES[failure.status]));
    send(200, result);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function checkoutPage(id: string, response: ServerResponse): void {
    const session = [...accounts.values()].map((account) => account.sessions.get(id)).find(Boolean);
    const body = session ? `<h1>Stripe Checkout (simulated)</h1><p>Pay ${session.amount_total} ${session.currency} minor units</p>` : '<h1>Not found</h1>';
    response.writeHead(session ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>Stripe Checkout</title></head><body>${body}</body></html>`);
  }

  function accountOf(secretKey: string): StripeAccount {
    const account = accounts.get(secretKey);
    if (!account) throw new Error('unknown simulated account');
    return account;
  }

  /** A session by its id or by our payment id (its client_reference_id), with the account holding it. */
  function find(ref: string): { account: StripeAccount; session: Session } {
    for (const account of accounts.values()) {
      for (const session of account.sessions.values()) if (session.id === ref || session.client_reference_id === ref) return { account, session };
    }
    throw new Error(`no checkout session for ${ref}`);
  }

  return {
    url: baseUrl,
    requests,
    deliveries: webhooks.attempts,

    /**
     * A Stripe account's secret key and a webhook endpoint on it (as set up in the Dashboard), with its
     * signing secret. `sharing` adds the endpoint to an existing account instead of opening a new one.
     */
    merchantCredentials(webhookUrl: string, sharing?: { secretKey: string }): { secretKey: string; webhookSecret: string } {
      const secretKey = sharing ? accountOf(sharing.secretKey).secretKey : `sk_test_${randomBytes(24).toString('hex')}`;
      if (!accounts.has(secretKey)) accounts.set(secretKey, new StripeAccount(secretKey, baseUrl, emitFor(secretKey)));
      const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
      endpoints.set(secretKey, [...(endpoints.get(secretKey) ?? []), { url: webhookUrl, secret: webhookSecret, events: ENDPOINT_EVENTS }]);
      return { secretKey, webhookSecret };
    },

    session: (ref: string): Session => find(ref).session,

    pay(ref: string, options: { delayed?: boolean; notify?: Delivery } = {}): Session {
      const { account, session } = find(ref);
      return account.pay(session, options);
    },

    settleDelayed(ref: string, outcome: 'succeeded' | 'failed', notify?: Delivery): void {
      const { account, session } = find(ref);
      account.settleDelayed(session, outcome, notify);
    },

    /** Sends an event about the session as it is now, paid or not (a hint the receiver must check). */
    sendEvent(ref: string, type: string, notify?: Delivery): void {
      const { account, session } = find(ref);
      emitFor(account.secretKey)(type, session, notify);
    },

    refunds(ref: string) {
      const { account, session } = find(ref);
      return [...account.refunds.values()].filter((r) => r.payment_intent === session.payment_intent);
    },

    setRefundBehaviour(secretKey: string, behaviour: RefundBehaviour): void {
      accountOf(secretKey).refundBehaviour = behaviour;
    },

    failNext(failure: Failure): void {
      failures.push({ ...failure, count: failure.count ?? 1 });
    },

    idle: () => webhooks.idle(),

    async close(): Promise<void> {
      await webhooks.idle();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type StripeSimulator = Awaited<ReturnType<typeof startStripeSimulator>>;
