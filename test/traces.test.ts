import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientInterceptors } from '../services/temporal-client-interceptors.js';
import { createLogger } from '../core/logger.js';
import { startTracing, type Tracing } from '../telemetry/tracing.js';
import { workerTracing } from '../worker/tracing.js';
import { ADDRESS, CUSTOMER, startStack, type Merchant, type Stack } from './support/stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

// The real stack with tracing on, its spans kept in memory: the worker runs in this process (as in every
// stack test), so one exporter sees the API's, the workflow's (through the worker's sink) and the
// activities' spans. The OTLP endpoint is configured but never reached: the in-memory processor replaces it.
const spans = new InMemorySpanExporter();
const logLines: Array<Record<string, unknown>> = [];
let tracing: Tracing | undefined;
let stack: Stack;
let merchant: Merchant;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ownId = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
  tracing = startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'paystead-test', new SimpleSpanProcessor(spans));
  const logger = createLogger('info', 'api', { destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
  stack = await startStack(env, { logger, clientInterceptors: clientInterceptors({ tracing: true }), workerTracing: workerTracing(tracing) });
  await stack.startWorker();
  merchant = await stack.createMerchant();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

function checkout(headers: Record<string, string>) {
  return stack.request('POST', '/v1/checkouts', {
    key: merchant.secretKey,
    headers: { 'idempotency-key': ownId('key'), ...headers },
    body: { items: [{ sku: 'TEA', quantity: 1 }], customer: CUSTOMER, shippingAddress: ADDRESS, paymentMethod: 'sandbox' },
  });
}

/** Waits until the trace holds a span of each name (workflow spans arrive through the worker's sink). */
async function traceWith(traceId: string, names: string[], timeoutMs = 15_000): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const trace = spans.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const missing = names.filter((name) => !trace.some((span) => span.name === name));
    if (missing.length === 0) return trace;
    if (Date.now() > deadline) throw new Error(`trace ${traceId} lacks ${missing.join(', ')}; it has ${trace.map((span) => span.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const byName = (trace: ReadableSpan[], name: string) => trace.find((span) => span.name === name)!;

describe('request ids and traces', () => {
  it('one checkout is one trace: the HTTP request, the workflow, the activity and the gateway call', async () => {
    const requestId = ownId('checkout');
    const response = await checkout({ 'x-request-id': requestId });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);

    const http = spans.getFinishedSpans().find((span) => span.name === 'POST /v1/checkouts' && span.attributes['paystead.request_id'] === requestId);
    expect(http, 'the HTTP span of the checkout').toBeDefined();
    const traceId = http!.spanContext().traceId;
    const trace = await traceWith(traceId, [
      'UpdateWithStartWorkflow:checkout',
      'HandleUpdate:checkout',
      'StartActivity:createGatewayPayment',
      'RunActivity:createGatewayPayment',
      'sandbox createGatewayPayment',
    ]);
    // Parent to child, each step inside the one before it.
    expect(byName(trace, 'UpdateWithStartWorkflow:checkout').parentSpanId).toBe(http!.spanContext().spanId);
    expect(byName(trace, 'RunActivity:createGatewayPayment').parentSpanId).toBe(byName(trace, 'StartActivity:createGatewayPayment').spanContext().spanId);
    expect(byName(trace, 'sandbox createGatewayPayment').parentSpanId).toBe(byName(trace, 'RunActivity:createGatewayPayment').spanContext().spanId);
    expect(byName(trace, 'sandbox createGatewayPayment').attributes).toMatchObject({ 'paystead.gateway': 'sandbox', 'paystead.mode': 'test' });

    // The timeline entries the checkout caused name it in the order read.
    const order = (await stack.order(merchant, response.body.order.id)).body;
    expect(order.timeline.map((entry: any) => [entry.event, entry.requestId])).toEqual([
      ['order_created', requestId],
      ['payment_created', requestId],
    ]);
  });

  it('names each API call on the timeline entries it caused: a gateway notification and a merchant action', async () => {
    const response = await checkout({});
    const checkoutId = response.headers.get('x-request-id');
    expect(checkoutId).toMatch(UUID);
    const { order, payment } = response.body;

    // The sandbox notifies the API's webhook route: that request has an id of its own, made by the API.
    await stack.pay(merchant, payment.id);
    const paid = await stack.waitForOrder(merchant, order.id, (o) => o.status === 'paid');
    const notified = paid.timeline.find((entry: any) => entry.event === 'payment_succeeded');
    expect(notified.requestId).toMatch(UUID);
    expect(notified.requestId).not.toBe(checkoutId);

    const confirmId = ownId('confirm');
    const confirm = await stack.request('POST', `/v1/admin/orders/${order.id}/confirm`, { key: merchant.adminKey, headers: { 'x-request-id': confirmId } });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.headers.get('x-request-id')).toBe(confirmId);
    expect(confirm.body.timeline.at(-1)).toMatchObject({ event: 'confirmed', requestId: confirmId });
    expect(spans.getFinishedSpans().some((span) => span.name === 'POST /v1/admin/orders/:id/confirm' && span.attributes['paystead.request_id'] === confirmId)).toBe(true);
    // A run with trace and request-id headers, for the replay test.
    await stack.recordHistory(order.id, 'traced-confirmed');
  });

  it('puts the request id in the log lines a request causes, and replaces an unacceptable one', async () => {
    const requestId = ownId('webhook');
    const rejected = await stack.request('POST', `/webhooks/sandbox/${merchant.merchantId}/test`, { headers: { 'x-request-id': requestId }, body: { forged: true } });
    expect(rejected.headers.get('x-request-id')).toBe(requestId);
    const lines = logLines.filter((line) => line.requestId === requestId);
    expect(lines.length, `log lines: ${JSON.stringify(logLines)}`).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'webhook rejected' });
    const http = spans.getFinishedSpans().find((span) => span.attributes['paystead.request_id'] === requestId);
    expect(lines[0]!.traceId).toBe(http?.spanContext().traceId);

    for (const unacceptable of ['has spaces in it', 'x'.repeat(129), 'line\u00e9break']) {
      const answered = await stack.request('GET', '/healthz', { headers: { 'x-request-id': unacceptable } });
      expect(answered.headers.get('x-request-id')).toMatch(UUID);
    }
  });
});
