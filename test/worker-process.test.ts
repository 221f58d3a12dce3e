// The worker as the process it is deployed as (worker/main.ts): started while Temporal is not reachable it
// waits, its readiness saying why; once Temporal answers it runs orders; both it and the API serve what
// they counted at /metrics; SIGTERM lets the work in flight finish before it exits.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ManagedProcess } from '../devstack/child-process.js';
import { freePort } from '../devstack/ports.js';
import { startService } from '../devstack/services.js';
import { PLATFORM_API_KEY } from './support/app.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

/** A TCP proxy to `target` on `port`: Temporal "comes up" at that address when it starts. */
function startTcpProxy(port: number, target: string): Promise<Server> {
  const [host = '127.0.0.1', targetPort] = target.split(':');
  const server = createServer((client) => {
    const upstream = createConnection({ host, port: Number(targetPort) });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** Polls until `probe` stops throwing; fails with its last error after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The value of one sample in Prometheus text (`name{labels} value`), 0 when absent; labels in any order. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}

describe('the worker process', () => {
  const masterKey = randomBytes(32).toString('base64');
  let stack: Stack;
  let worker: ManagedProcess | undefined;
  let proxy: Server | undefined;
  let workerUrl: string;
  let temporalPort: number;
  const output: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ MASTER_KEY: masterKey });
    temporalPort = await freePort();
    const workerPort = await freePort();
    workerUrl = `http://127.0.0.1:${workerPort}`;
    worker = startService(
      'worker/main.ts',
      'source',
      {
        ...process.env,
        DATABASE_URL: stack.config.database.url,
        // Nothing listens there until the test starts the proxy.
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        PUBLIC_BASE_URL: stack.baseUrl,
        PLATFORM_API_KEY,
        MASTER_KEY: masterKey,
        WORKER_PORT: String(workerPort),
        // Debug: the SDK's lines about each activity, which name the request that caused it.
        LOG_LEVEL: 'debug',
      },
      (line) => output.push(line),
    );
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    await stack?.stop();
  });

  it('started while Temporal is down, waits and says why, then becomes ready once Temporal is up', async () => {
    const waiting = await eventually(async () => {
      const response = await fetch(`${workerUrl}/readyz`);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      expect(response.status).toBe(503);
      expect(body.checks.temporal).toMatch(/^error: .*retrying since/);
      return body;
    }, 90_000);
    expect(waiting).toMatchObject({ status: 'unavailable', checks: { worker: 'waiting_for_temporal', database: 'ok' } });
    expect(worker!.child.exitCode).toBeNull();
    expect(output.join('\n')).toContain('waiting for Temporal');

    proxy = await startTcpProxy(temporalPort, inject('temporalAddress'));
    const ready = await eventually(async () => {
      const response = await fetch(`${workerUrl}/readyz`);
      expect(response.status).toBe(200);
      return response.json();
    }, 30_000);
    expect(ready).toEqual({ status: 'ready', checks: { worker: 'running', temporal: 'ok', database: 'ok' } });
  }, 150_000);

  it('runs an order, and the API and the worker count it at /metrics', async () => {
    const merchant: Merchant = await stack.createMerchant();
    const checkoutResponse = await stack.checkout(merchant);
    const { status, body } = checkoutResponse;
    expect(status).toBe(201);
    await stack.pay(merchant, body.payment.id);
    await stack.waitForOrder(merchant, body.order.id, (order) => order.status === 'paid');
    // A notification without the sandbox's signature: rejected.
    const forged = await fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"evt_forged"}' });
    expect(forged.status).toBe(401);

    const api = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    const checkoutRoute = { method: 'POST', route: '/v1/checkouts', status: '201' };
    expect(sample(api, 'paystead_http_request_duration_seconds_count', checkoutRoute)).toBe(1);
    expect(sample(api, 'paystead_http_request_duration_seconds_bucket', { ...checkoutRoute, le: '+Inf' })).toBe(1);
    expect(sample(api, 'paystead_http_request_duration_seconds_sum', checkoutRoute)).toBeGreaterThan(0);
    // Route patterns, never the path with its ids.
    expect(sample(api, 'paystead_http_request_duration_seconds_count', { method: 'GET', route: '/v1/orders/:id', status: '200' })).toBeGreaterThan(0);
    expect(api).not.toContain(body.order.id);
    expect(sample(api, 'paystead_checkouts_total', { gateway: 'sandbox', mode: 'test', outcome: 'created' })).toBe(1);
    expect(sample(api, 'paystead_gateway_notifications_total', { gateway: 'sandbox', mode: 'test', outcome: 'verified' })).toBe(1);
    expect(sample(api, 'paystead_gateway_notifications_total', { gateway: 'sandbox', mode: 'test', outcome: 'rejected' })).toBe(1);

    const scrape = await eventually(async () => {
      const text = await (await fetch(`${workerUrl}/metrics`)).text();
      expect(sample(text, 'paystead_payments_total', { gateway: 'sandbox', mode: 'test', outcome: 'succeeded' })).toBe(1);
      return text;
    }, 10_000);
    expect(sample(scrape, 'paystead_payments_total', { gateway: 'sandbox', mode: 'test', outcome: 'created' })).toBe(1);
    expect(sample(scrape, 'paystead_projection_lag_seconds_count')).toBeGreaterThanOrEqual(2);
    // The Temporal SDK's own metrics, in the same scrape.
    expect(sample(scrape, 'temporal_workflow_task_execution_latency_seconds_count', { task_queue: stack.taskQueue })).toBeGreaterThan(0);
    expect(sample(scrape, 'process_cpu_seconds_total')).toBeGreaterThan(0);

    // The worker's log lines about the checkout's activities name the checkout's request, in the worker's one format.
    const requestId = checkoutResponse.headers.get('x-request-id');
    const lines = output.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const named = lines.filter((line) => line.requestId === requestId);
    expect(named.map((line) => `${String(line.component)} ${String(line.msg)} ${String(line.activityType)}`), output.slice(-40).join('\n')).toContain('temporal-sdk Activity completed createGatewayPayment');
  });

  it('on SIGTERM finishes the call in flight (a slow merchant webhook), then exits 0', async () => {
    // The merchant's server takes 2 seconds to answer its first webhook; SIGTERM comes while it does.
    let arrived!: () => void;
    const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
    let answered = 0;
    const receiver = createHttpServer((request, response) => {
      request.resume();
      const delay = answered === 0 ? 2000 : 0;
      answered += 1;
      arrived();
      setTimeout(() => response.writeHead(200).end('ok'), delay);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const merchant = await stack.createMerchant();
      const endpoint = await stack.request('POST', '/v1/admin/webhook-endpoints', { key: merchant.adminKey, body: { url: `http://localhost:${(receiver.address() as AddressInfo).port}/hooks` } });
      expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
      const { body } = await stack.checkout(merchant);
      await stack.pay(merchant, body.payment.id);
      await firstArrival;
      const signalled = Date.now();
      worker!.child.kill('SIGTERM');
      expect(await worker!.exited).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThan(1500);
      // The attempt in flight at SIGTERM finished and was recorded before the worker went.
      const deliveries = await stack.db.selectFrom('webhookDeliveries').select('status').where('orderId', '=', body.order.id).execute();
      expect(deliveries.map((d) => d.status)).toContain('succeeded');
      const log = output.join('\n');
      expect(log.indexOf('worker stopping')).toBeGreaterThan(-1);
      expect(log.indexOf('worker stopped')).toBeGreaterThan(log.indexOf('worker stopping'));
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
