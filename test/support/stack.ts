import { serve, type ServerType } from '@hono/node-server';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { expect } from 'vitest';
import type { Config } from '../../core/config.js';
import { apiRequest, type ApiRequestOptions, type ApiResponse } from '../../devstack/api-request.js';
import { freePort } from '../../devstack/ports.js';
import { sandboxSecret } from '../../gateways/sandbox/signature.js';
import { createTestApp, PLATFORM_API_KEY, testActivityDeps, testConfig } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { recordHistory } from './histories.js';
import { connectTestTemporal, type TestTemporal } from './temporal.js';
import type { WorkerTracing } from '../../worker/tracing.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */
export type Response = ApiResponse;

/** A merchant and its test keys; a verified one has its live keys too. */
export interface Merchant {
  merchantId: string;
  secretKey: string;
  adminKey: string;
  liveSecretKey?: string;
  liveAdminKey?: string;
}

export const CUSTOMER = { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 138 0000 0000' };
export const ADDRESS = { line1: '88 Wensan Road', city: 'Hangzhou', postalCode: '310012', country: 'CN' };

/** What a test may put in instead of the defaults: the API's logger, its client's interceptors, the worker's tracing. */
export interface StackOptions {
  logger?: Logger;
  clientInterceptors?: WorkflowClientInterceptor[];
  workerTracing?: WorkerTracing;
}

/**
 * The whole system for one test file: its own database, the API served on a real port (gateways call back
 * into it), a worker on the file's own task queue, all on the run's one Temporal server and Postgres.
 */
export async function startStack(env: NodeJS.ProcessEnv = {}, options: StackOptions = {}) {
  const database: TestDatabase = await createTestDatabase();
  const temporal: TestTemporal = await connectTestTemporal();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config: Config = testConfig(database.url, temporal.taskQueue, { PORT: String(port), PUBLIC_BASE_URL: baseUrl, ...env });
  const client = options.clientInterceptors ? new Client({ connection: temporal.client.connection, namespace: 'default', interceptors: { workflow: options.clientInterceptors } }) : temporal.client;
  const app = createTestApp({ db: database.db, temporal: client, config, ...(options.logger && { logger: options.logger }) });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  let worker: { worker: Worker; running: Promise<void> } | undefined;

  const request = (method: string, path: string, options: ApiRequestOptions = {}): Promise<Response> => apiRequest(baseUrl, method, path, options);

  const stack = {
    baseUrl,
    config,
    db: database.db,
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    request,

    /** `workerConfig`: the worker's own configuration, when it differs from the API's. */
    async startWorker(workerConfig: Config = config) {
      worker = await temporal.startWorker(testActivityDeps(database.db, workerConfig, temporal.client), options.workerTracing);
    },
    async stopWorker() {
      if (!worker) return;
      worker.worker.shutdown();
      await worker.running;
      worker = undefined;
    },

    /** A merchant through the platform API, verified unless told otherwise, with settings and products. */
    async createMerchant(options: { verified?: boolean; settings?: Record<string, unknown>; products?: Array<{ sku: string; name?: string; unitAmount: number }> } = {}): Promise<Merchant> {
      const created = await request('POST', '/v1/platform/merchants', {
        key: PLATFORM_API_KEY,
        body: { name: 'Tea House', contactEmail: 'owner@tea.example', businessLicenceNo: 'BL-12345678', taxRegistrationNo: 'TX-12345678' },
      });
      expect(created.status).toBe(201);
      const merchant: Merchant = { merchantId: created.body.merchant.id, secretKey: created.body.secretKey, adminKey: created.body.adminKey };
      if (options.verified ?? true) {
        const verified = await request('POST', `/v1/platform/merchants/${merchant.merchantId}/verify`, { key: PLATFORM_API_KEY });
        expect(verified.status).toBe(200);
        merchant.liveSecretKey = verified.body.liveKeys.secretKey;
        merchant.liveAdminKey = verified.body.liveKeys.adminKey;
      }
      const settings = { currency: 'CNY', shippingFee: 1000, taxRateBps: 600, paymentWindowSeconds: 60, paymentCheckIntervalSeconds: 30, latePaymentGraceSeconds: 10, autoConfirm: false, refundWindowSeconds: 60, refundApprovalThreshold: 100_000, pricesIncludeTax: false, locale: 'en', ...options.settings };
      const put = await request('PUT', '/v1/admin/settings', { key: merchant.adminKey, body: settings });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      for (const product of options.products ?? [{ sku: 'TEA', unitAmount: 12_800 }, { sku: 'CUP', unitAmount: 4_500 }]) {
        const added = await request('POST', '/v1/admin/products', { key: merchant.adminKey, body: { name: product.sku, currency: settings.currency, ...product } });
        expect(added.status, JSON.stringify(added.body)).toBe(201);
      }
      return merchant;
    },

    checkout(merchant: Merchant, options: { items?: Array<{ sku: string; quantity: number }>; paymentMethod?: string; idempotencyKey?: string; body?: Record<string, unknown> } = {}) {
      return request('POST', '/v1/checkouts', {
        key: merchant.secretKey,
        headers: { 'idempotency-key': options.idempotencyKey ?? `key-${Math.random().toString(36).slice(2)}` },
        body: {
          items: options.items ?? [{ sku: 'TEA', quantity: 2 }, { sku: 'CUP', quantity: 1 }],
          customer: CUSTOMER,
          shippingAddress: ADDRESS,
          paymentMethod: options.paymentMethod ?? 'sandbox',
          ...options.body,
        },
      });
    },

    /** Stores a merchant's gateway credentials through the admin API. */
    async setCredentials(merchant: Merchant, gateway: string, credentials: Record<string, string>) {
      const put = await request('PUT', `/v1/admin/gateways/${gateway}/credentials`, { key: merchant.adminKey, body: credentials });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
    },

    /** Completes a sandbox payment through the simulator's test control (like pressing Pay, with knobs). */
    async pay(merchant: Merchant, paymentId: string, options: { outcome?: 'succeeded' | 'failed'; amount?: number; currency?: string; late?: boolean; notification?: { mode?: 'deliver' | 'drop' | 'duplicate' | 'reorder'; delayMs?: number } } = {}) {
      const response = await request('POST', `/sandbox/api/merchants/${merchant.merchantId}/control/payments/${paymentId}/complete`, {
        key: sandboxSecret(config.masterKey, merchant.merchantId),
        body: { outcome: options.outcome ?? 'succeeded', ...options },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    },

    async sandboxBehaviour(merchant: Merchant, behaviour: { refundOutcome?: 'succeeded' | 'failed'; refundNotification?: 'deliver' | 'drop'; refundDelayMs?: number }) {
      const response = await request('PUT', `/sandbox/api/merchants/${merchant.merchantId}/control/behaviour`, { key: sandboxSecret(config.masterKey, merchant.merchantId), body: behaviour });
      expect(response.status).toBe(200);
    },

    order(merchant: Merchant, orderId: string, key = merchant.secretKey) {
      return request('GET', `/v1/orders/${orderId}`, { key });
    },

    /** Polls `GET /v1/orders/{id}` until `predicate` holds; fails with the last state seen. */
    async waitForOrder(merchant: Merchant, orderId: string, predicate: (order: any) => boolean, timeoutMs = 30_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        const response = await stack.order(merchant, orderId);
        last = response.body;
        if (response.status === 200 && predicate(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`order ${orderId} did not reach the expected state; last seen: ${JSON.stringify({ status: last?.status, refunds: last?.refunds, timeline: last?.timeline?.map((e: any) => e.event) })}`);
    },

    /** The id of the order's workflow run, from the projection. */
    async workflowId(orderId: string): Promise<string> {
      return (await database.db.selectFrom('orders').select('workflowId').where('id', '=', orderId).executeTakeFirstOrThrow()).workflowId;
    },

    /** Saves the order's run history for the replay test (only with RECORD_HISTORIES=1). */
    async recordHistory(orderId: string, name: string) {
      await recordHistory(await stack.workflowId(orderId), name);
    },

    async stop() {
      await stack.stopWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await temporal.close();
      await database.drop();
    },
  };
  return stack;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
