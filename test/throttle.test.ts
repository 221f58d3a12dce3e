import { serve, type ServerType } from '@hono/node-server';
import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../devstack/ports.js';
import { formToken } from '../pages/customer/form-token.js';
import { createClientAddress } from '../services/client-address.js';
import { launchBrowser } from './support/browser.js';
import { createTestApp, testConfig } from './support/app.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** Small limits, and the test's own connection (127.0.0.1) as the trusted proxy: each test is its own client. */
const LIMITS = {
  THROTTLE_AUTH_FAILURES: '3/60',
  THROTTLE_ADMIN_SIGN_INS: '2/60',
  THROTTLE_REFUND_POSTS: '2/60',
  THROTTLE_STREAMS_PER_LINK: '2',
  TRUSTED_PROXIES: '127.0.0.1',
};

describe('throttle configuration', () => {
  it('has defaults, reads N/SECONDS and trusted proxies, and refuses what it cannot read', () => {
    const defaults = testConfig('postgres://localhost/x').throttle;
    expect(defaults).toEqual({
      authFailures: { points: 20, seconds: 300 },
      adminSignIns: { points: 10, seconds: 900 },
      refundPosts: { points: 10, seconds: 600 },
      streamsPerLink: 5,
      trustedProxies: [],
    });
    const set = testConfig('postgres://localhost/x', 'q', { ...LIMITS, TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).throttle;
    expect(set).toMatchObject({ authFailures: { points: 3, seconds: 60 }, streamsPerLink: 2, trustedProxies: ['10.0.0.0/8', '::1'] });
    for (const bad of [{ THROTTLE_AUTH_FAILURES: '20' }, { THROTTLE_REFUND_POSTS: '0/60' }, { TRUSTED_PROXIES: 'proxy.local' }, { TRUSTED_PROXIES: '10.0.0.0/33' }]) {
      expect(() => testConfig('postgres://localhost/x', 'q', bad), JSON.stringify(bad)).toThrow(/THROTTLE_|TRUSTED_PROXIES/);
    }
  });
});

describe('the client address', () => {
  /** What getConnInfo reads from a node-server request, and the request's headers. */
  const request = (peer: string, forwardedFor?: string) =>
    ({ env: { incoming: { socket: { remoteAddress: peer } } }, req: { header: (name: string) => (name === 'x-forwarded-for' ? forwardedFor : undefined) } }) as unknown as Context;

  it('is the connection peer; X-Forwarded-For counts only behind a trusted proxy', () => {
    const direct = createClientAddress([]);
    expect(direct(request('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
    expect(direct(request('::ffff:198.51.100.7'))).toBe('198.51.100.7');

    const proxied = createClientAddress(['10.0.0.0/8', '192.0.2.1']);
    expect(proxied(request('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
    expect(proxied(request('10.1.2.3', '203.0.113.1'))).toBe('203.0.113.1');
    // The nearest untrusted hop: what the client wrote further left is not believed.
    expect(proxied(request('10.1.2.3', '1.1.1.1, 203.0.113.1, 192.0.2.1'))).toBe('203.0.113.1');
    expect(proxied(request('::ffff:10.1.2.3', 'junk, 203.0.113.1'))).toBe('203.0.113.1');
    expect(proxied(request('10.1.2.3', 'junk'))).toBe('10.1.2.3');
    expect(proxied(request('10.1.2.3'))).toBe('10.1.2.3');
  });
});

describe('request limits (real stack)', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack(LIMITS);
    await stack.startWorker();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });

  function expectRetryAfter(headers: Headers, atMost: number) {
    const seconds = Number(headers.get('retry-after'));
    expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= atMost, `Retry-After ${headers.get('retry-after')}`).toBe(true);
  }

  it('answers wrong API keys past the limit per address with 429, counted across API instances', async () => {
    // A second API instance on the same database: the count is shared through Postgres.
    const port = await freePort();
    const other = createTestApp({ db: stack.db, temporal: stack.client, config: stack.config });
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: other.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const wrong = (baseUrl: string, address: string) =>
        fetch(`${baseUrl}/v1/admin/settings`, { headers: { authorization: 'Bearer sk_wrong_key_for_the_test', ...from(address) } });
      expect((await wrong(stack.baseUrl, '203.0.113.1')).status).toBe(401);
      expect((await wrong(stack.baseUrl, '203.0.113.1')).status).toBe(401);
      expect((await wrong(`http://127.0.0.1:${port}`, '203.0.113.1')).status).toBe(401);

      const refused = await wrong(`http://127.0.0.1:${port}`, '203.0.113.1');
      expect(refused.status).toBe(429);
      expectRetryAfter(refused.headers, 60);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.message).toMatch(/try again in \d+ s/);
      expect((await wrong(stack.baseUrl, '203.0.113.1')).status).toBe(429);

      // Another client is not held up, and neither is a right key from the same address.
      expect((await wrong(stack.baseUrl, '203.0.113.2')).status).toBe(401);
      const right = await fetch(`${stack.baseUrl}/v1/admin/settings`, { headers: { authorization: `Bearer ${merchant.adminKey}`, ...from('203.0.113.1') } });
      expect(right.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('documents the 429 and its Retry-After on every route behind a key', async () => {
    const document = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>> };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const keyed = operations.filter((operation) => '401' in operation.responses);
    expect(keyed.length).toBeGreaterThan(10);
    for (const operation of keyed) expect(operation.responses['429']?.headers).toHaveProperty('Retry-After');
  });

  it('makes an address wait after too many failed admin sign-ins, even with the right key', async () => {
    async function signIn(key: string, address: string) {
      const form = await fetch(`${stack.baseUrl}/admin/login`);
      const cookie = form.headers.getSetCookie().find((c) => c.startsWith('paystead_admin_login='))!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const posted = await fetch(`${stack.baseUrl}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...from(address) },
        body: new URLSearchParams({ _csrf: csrf, key }),
      });
      return { status: posted.status, headers: posted.headers, text: await posted.text() };
    }
    expect((await signIn('ak_not_the_key', '203.0.113.11')).status).toBe(401);
    expect((await signIn('ak_not_the_key_either', '203.0.113.11')).status).toBe(401);

    const waiting = await signIn(merchant.adminKey, '203.0.113.11');
    expect(waiting.status).toBe(429);
    expectRetryAfter(waiting.headers, 60);
    expect(waiting.headers.get('content-type')).toMatch(/^text\/html/);
    expect(waiting.text).toContain('Too many failed sign-ins from your network. Please wait 1 minute and try again.');
    expect(waiting.text).toContain('name="key"');

    expect((await signIn(merchant.adminKey, '203.0.113.12')).status).toBe(303);
  });

  /** An open order and its page's token. */
  async function openOrder() {
    const created = await stack.checkout(merchant);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { orderId: created.body.order.id as string, token: new URL(created.body.orderUrl as string).pathname.split('/')[2]! };
  }

  it('answers refund posts past the limit per order with a page that says when to come back', async () => {
    const [first, second] = [await openOrder(), await openOrder()];
    const post = (token: string) =>
      fetch(`${stack.baseUrl}/o/${token}/refunds`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ form_token: formToken(stack.config.masterKey, token), reason: 'Changed my mind' }),
      });
    // Not paid yet: each post is answered (303 back to the page) until the order's allowance is used up.
    expect((await post(first.token)).status).toBe(303);
    expect((await post(first.token)).status).toBe(303);
    const refused = await post(first.token);
    expect(refused.status).toBe(429);
    expectRetryAfter(refused.headers, 60);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await refused.text();
    expect(text).toContain('Please wait a moment');
    expect(text).toContain('Too many refund requests were sent for this order. Please try again in 1 minute.');

    expect((await post(second.token)).status).toBe(303);
  });

  it('caps the live-update streams open at once per order link, and frees a place when one closes', async () => {
    const [busy, quiet] = [await openOrder(), await openOrder()];
    const streams: AbortController[] = [];
    const open = async (token: string) => {
      const controller = new AbortController();
      streams.push(controller);
      const response = await fetch(`${stack.baseUrl}/o/${token}/events`, { signal: controller.signal });
      return { response, close: () => controller.abort() };
    };
    try {
      const a = await open(busy.token);
      const b = await open(busy.token);
      expect([a.response.status, b.response.status]).toEqual([200, 200]);

      const third = await open(busy.token);
      expect(third.response.status).toBe(429);
      expectRetryAfter(third.response.headers, 4 * 60);
      expect(await third.response.text()).toContain('This order page is open in too many windows');
      expect((await open(quiet.token)).response.status).toBe(200);

      // A closed stream gives its place back (the server notices within one poll).
      a.close();
      const deadline = Date.now() + 10_000;
      let again = await open(busy.token);
      while (again.response.status === 429 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        again = await open(busy.token);
      }
      expect(again.response.status).toBe(200);
    } finally {
      for (const controller of streams) controller.abort();
    }
  });

  it('the order page asks for live updates again a minute after it was refused', async () => {
    const { orderId, token } = await openOrder();
    const held = [new AbortController(), new AbortController()];
    const browser = await launchBrowser();
    try {
      for (const controller of held) expect((await fetch(`${stack.baseUrl}/o/${token}/events`, { signal: controller.signal })).status).toBe(200);
      const page = await browser.newPage();
      await page.clock.install();
      const answers: number[] = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.endsWith('/events')) answers.push(response.status());
      });
      await page.goto(`${stack.baseUrl}/o/${token}`);
      await expect.poll(() => answers).toEqual([429]);

      held[0]!.abort();
      const places = () => stack.db.selectFrom('throttleLeases').select('id').where('key', '=', `stream:${orderId}`).execute();
      await expect.poll(async () => (await places()).length, { timeout: 10_000 }).toBe(1);
      await page.clock.runFor(61_000);
      await expect.poll(() => answers).toEqual([429, 200]);
    } finally {
      for (const controller of held) controller.abort();
      await browser.close();
    }
  });
});
