// `npm run bench`: Paystead's order throughput against bare Temporal on the same machine and worker, and
// the latencies a storefront and a merchant see. Prints a table and writes JSON under artifacts/bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createMerchant, updateSettings, verifyMerchant } from '../db/merchants.js';
import { insertProduct } from '../db/products.js';
import { apiRequest } from '../devstack/api-request.js';
import { cpuSeconds, machineTicks, residentMiB } from '../devstack/proc-stats.js';
import { ROOT } from '../devstack/paths.js';
import { startLocalStack } from '../devstack/local-stack.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import type { baselineWorkflow } from '../workflows/baseline.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '24' },
    'open-orders': { type: 'string', default: '1000' },
    // How often a storefront polls its order while waiting in the throughput phase (the latency phase
    // polls every 2 ms: there the wait is the measurement).
    'poll-ms': { type: 'string', default: '25' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const OPEN_ORDERS = Number(args['open-orders']);
const POLL_MS = Number(args['poll-ms']);
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

log('starting Postgres, Temporal, API and worker...');
const stack = await startLocalStack({ name: 'bench', log: (line) => (line.includes('WARN') || line.includes('ERROR') ? console.log(line) : undefined) });
const { baseUrl } = stack;
const masterKey = Buffer.from(stack.env.MASTER_KEY!, 'base64');
const connection = await Connection.connect({ address: stack.temporal.address });
const client = new Client({ connection });

const { merchant, secretKey, adminKey } = await createMerchant(stack.db, { name: 'Bench Store', contactEmail: 'bench@paystead.test', businessLicenceNo: 'BL-BENCH-1', taxRegistrationNo: 'TX-BENCH-1' });
await verifyMerchant(stack.db, merchant.id);
// Zero-length refund window: an order completes as soon as it is delivered.
await updateSettings(stack.db, merchant.id, { currency: 'CNY', shippingFee: 1000, taxRateBps: 600, paymentWindowSeconds: 3600, paymentCheckIntervalSeconds: 600, refundWindowSeconds: 0, autoConfirm: false });
await insertProduct(stack.db, { merchantId: merchant.id, sku: 'TEA', name: 'Tea', unitAmount: 12_800, currency: 'CNY', active: true });
const sandboxKey = sandboxSecret(masterKey, merchant.id);

const getLatencies: number[] = [];
/** The same reads as the API itself timed them (Server-Timing): without the network and this client's own waits. */
const getServerLatencies: number[] = [];
/** Of which the database read. */
const getDbLatencies: number[] = [];
async function call(method: string, route: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await apiRequest(baseUrl, method, route, { key, body, headers });
  const ms = performance.now() - started;
  if (method === 'GET') {
    getLatencies.push(ms);
    const timing = response.headers.get('server-timing') ?? '';
    const serverMs = /\btotal;dur=([\d.]+)/.exec(timing)?.[1];
    if (serverMs !== undefined) getServerLatencies.push(Number(serverMs));
    const dbMs = /\bdb;dur=([\d.]+)/.exec(timing)?.[1];
    if (dbMs !== undefined) getDbLatencies.push(Number(dbMs));
  }
  if (response.status < 200 || response.status > 299) throw new Error(`${method} ${route}: ${response.status} ${response.text}`);
  return { json: response.body, ms };
}
let keySeq = 0;
const checkout = () =>
  call('POST', '/v1/checkouts', secretKey, {
    items: [{ sku: 'TEA', quantity: 2 }],
    customer: { name: 'Bench Customer', email: 'c@bench.test', phone: '+86 138 0000 0000' },
    shippingAddress: { line1: '1 Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' },
    paymentMethod: 'sandbox',
  }, { 'idempotency-key': `bench-${process.pid}-${(keySeq += 1)}` });

/** Polls the order until it shows `status`; returns the wall-clock time it was first seen. */
async function waitStatus(orderId: string, status: string, intervalMs: number): Promise<number> {
  for (;;) {
    const { json } = await call('GET', `/v1/orders/${orderId}`, secretKey);
    if (json.status === status) return Date.now();
    await sleep(intervalMs);
  }
}

/** One full order: checkout, instant signed payment notification, confirm, ship, deliver, completion. */
async function lifecycle(samples?: { checkout: number[]; visible: number[] }) {
  const created = await checkout();
  const orderId = created.json.order.id as string;
  await call('POST', `/sandbox/api/merchants/${merchant.id}/control/payments/${created.json.payment.id}/complete`, sandboxKey, { outcome: 'succeeded' });
  // Polled finely only where the latency is the measurement; elsewhere as often as a storefront might,
  // so that the load is Paystead's work, not the poller's.
  const visibleAt = await waitStatus(orderId, 'paid', samples ? 2 : POLL_MS);
  if (samples) {
    // Notification received (the webhook row's time, Postgres's clock) to `paid` visible through the API:
    // both are this machine's wall clock.
    const received = await stack.db.selectFrom('webhookEvents').select('receivedAt').where('paymentId', '=', created.json.payment.id).orderBy('receivedAt').executeTakeFirstOrThrow();
    samples.checkout.push(created.ms);
    samples.visible.push(visibleAt - received.receivedAt.getTime());
  }
  await call('POST', `/v1/admin/orders/${orderId}/confirm`, adminKey);
  await call('POST', `/v1/admin/orders/${orderId}/ship`, adminKey, { carrier: 'SF', trackingNumber: 'SF1' });
  await call('POST', `/v1/admin/orders/${orderId}/deliver`, adminKey);
  await waitStatus(orderId, 'completed', POLL_MS);
  return orderId;
}

/** Closed loop: `concurrency` runners repeat `task` for `seconds`; returns completions per second and in all. */
async function throughput(task: () => Promise<unknown>, concurrency: number, seconds: number): Promise<{ rate: number; done: number }> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await task();
        done += 1;
      }
    }),
  );
  return { rate: done / ((performance.now() - started) / 1000), done };
}

const processes = () => ({
  temporal: stack.temporal.process.child.pid!,
  postgres: stack.postgres.process.child.pid!,
  worker: stack.worker.pid!,
  api: stack.api.pid!,
});

/** CPU seconds so far of each part of the stack, and of this load generator, which shares the two cores. */
function cpuNow(): Record<string, number> {
  const { user, system } = process.cpuUsage();
  const stackCpu = Object.entries(processes()).map(([name, pid]) => [name, cpuSeconds(pid)]);
  return { ...Object.fromEntries(stackCpu), client: (user + system) / 1e6 };
}

/** `throughput`, plus what each process spent meanwhile: in all, and in CPU ms per completion. */
async function measured(task: () => Promise<unknown>) {
  const before = cpuNow();
  const ticksBefore = machineTicks();
  const { rate, done } = await throughput(task, CONCURRENCY, SECONDS);
  const ticks = machineTicks();
  const used = Object.fromEntries(Object.entries(cpuNow()).map(([name, seconds]) => [name, seconds - before[name]!]));
  const perUnitMs = Object.fromEntries(Object.entries(used).map(([name, seconds]) => [name, round((1000 * seconds) / done)]));
  const stolenPercent = round((100 * (ticks.steal - ticksBefore.steal)) / (ticks.total - ticksBefore.total));
  return { rate, used, perUnitMs, stolenPercent };
}

log('warming up...');
const firstOrder = await lifecycle();
await throughput(() => lifecycle(), 4, 3);
// The baseline runs as many activities as a real order did.
const { workflowId, livemode } = await stack.db.selectFrom('orders').select(['workflowId', 'livemode']).where('id', '=', firstOrder).executeTakeFirstOrThrow();
// Test mode: createMerchant's keys are test keys, whose orders the sandbox may pay; never a live order.
if (livemode) throw new Error('the benchmark runs in test mode, but its order is a live order');
const history = await client.workflow.getHandle(workflowId).fetchHistory();
const events = history.events ?? [];
const activities = {
  local: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  remote: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
};
const historyEvents = events.length;
const historyBytes = Buffer.byteLength(JSON.stringify(history));
const baseline = () =>
  client.workflow.execute<typeof baselineWorkflow>('baselineWorkflow', { taskQueue: stack.env.TEMPORAL_TASK_QUEUE!, workflowId: `baseline-${process.pid}-${(keySeq += 1)}`, args: [activities] });
await throughput(baseline, CONCURRENCY, 3);

log(`baseline: bare workflows with ${activities.local} local + ${activities.remote} no-op activities, concurrency ${CONCURRENCY}, ${SECONDS} s...`);
const bare = await measured(baseline);
const bareRate = bare.rate;
log(`orders: full lifecycles through the HTTP API, concurrency ${CONCURRENCY}, ${SECONDS} s...`);
const orders = await measured(() => lifecycle());
const orderRate = orders.rate;
const stackCpu = Object.entries(orders.used).filter(([name]) => name !== 'client');
const cpuTotal = stackCpu.reduce((sum, [, used]) => sum + used, 0);

const halfRate = orderRate / 2;
log(`latency: open-loop arrivals at ${round(halfRate)} orders/s (half the sustained rate) for ${SECONDS} s...`);
getLatencies.length = 0;
getServerLatencies.length = 0;
getDbLatencies.length = 0;
const samples = { checkout: [] as number[], visible: [] as number[] };
const arrivals: Array<Promise<unknown>> = [];
const openStarted = performance.now();
for (let i = 0; performance.now() - openStarted < SECONDS * 1000; i += 1) {
  const due = openStarted + (i * 1000) / halfRate;
  await sleep(Math.max(0, due - performance.now()));
  arrivals.push(lifecycle(samples));
}
await Promise.all(arrivals);
const getP99 = percentile(getLatencies, 99);
const getServerP99 = percentile(getServerLatencies, 99);
const getDbP99 = percentile(getDbLatencies, 99);

log(`memory: opening ${OPEN_ORDERS} orders that wait for payment...`);
for (let i = 0; i < OPEN_ORDERS; i += 50) await Promise.all(Array.from({ length: Math.min(50, OPEN_ORDERS - i) }, () => checkout()));
await sleep(2000);
const { worker: workerPid, api: apiPid } = processes();
const memory = { workerMiB: round(residentMiB(workerPid)), apiMiB: round(residentMiB(apiPid)) };

const results = {
  at: new Date().toISOString(),
  machine: { cores: (await import('node:os')).cpus().length, node: process.version },
  settings: { mode: 'test', seconds: SECONDS, concurrency: CONCURRENCY, openOrders: OPEN_ORDERS, pollMs: POLL_MS },
  order: { activities, historyEvents, historyBytes },
  throughput: { ordersPerSecond: round(orderRate, 2), bareWorkflowsPerSecond: round(bareRate, 2), ratio: round(orderRate / bareRate, 3) },
  checkoutMs: { p50: round(percentile(samples.checkout, 50)), p95: round(percentile(samples.checkout, 95)), p99: round(percentile(samples.checkout, 99)), samples: samples.checkout.length },
  notificationToVisibleMs: { p50: round(percentile(samples.visible, 50)), p99: round(percentile(samples.visible, 99)) },
  orderReadMs: { p99: round(getP99), serverP99: round(getServerP99), databaseP99: round(getDbP99), samples: getLatencies.length },
  memoryWith1000OpenOrders: memory,
  cpuShare: Object.fromEntries(stackCpu.map(([name, used]) => [name, `${round((100 * used) / cpuTotal)}%`])),
  cpuMsPer: { bareWorkflow: bare.perUnitMs, order: orders.perUnitMs },
  cpuStolenByHostPercent: { bareWorkflows: bare.stolenPercent, orders: orders.stolenPercent },
};
const targets = [
  ['orders/s ÷ bare workflows/s', results.throughput.ratio, '>= 0.8', results.throughput.ratio >= 0.8],
  ['checkout p99 (ms)', results.checkoutMs.p99, '<= 50', results.checkoutMs.p99 <= 50],
  ['notification -> paid visible p99 (ms)', results.notificationToVisibleMs.p99, '<= 250', results.notificationToVisibleMs.p99 <= 250],
  ['GET /v1/orders/{id} p99 (ms)', results.orderReadMs.p99, '<= 10', results.orderReadMs.p99 <= 10],
  [`worker RSS with ${OPEN_ORDERS} open orders (MiB)`, memory.workerMiB, '<= 300', memory.workerMiB <= 300],
] as const;

console.log('');
// The API and worker run on the same Node as this script (process.execPath).
console.log(`Node ${process.version}, ${results.machine.cores} cores; test mode (sandbox orders)`);
console.log(`orders/s ${results.throughput.ordersPerSecond}, bare workflows/s ${results.throughput.bareWorkflowsPerSecond} (${activities.local} local + ${activities.remote} activities, ${historyEvents} history events, ${historyBytes} bytes per order)`);
console.log(`checkout ms p50 ${results.checkoutMs.p50} p95 ${results.checkoutMs.p95} p99 ${results.checkoutMs.p99}; notification->visible ms p50 ${results.notificationToVisibleMs.p50} p99 ${results.notificationToVisibleMs.p99}`);
console.log(`GET /v1/orders/{id} p99 ms ${results.orderReadMs.p99} as this client saw it, ${results.orderReadMs.serverP99} inside the API, ${results.orderReadMs.databaseP99} reading Postgres (${results.orderReadMs.samples} reads)`);
console.log(`API RSS ${memory.apiMiB} MiB; CPU share ${JSON.stringify(results.cpuShare)}`);
console.log(`CPU ms per bare workflow ${JSON.stringify(bare.perUnitMs)}; stolen by the host ${bare.stolenPercent}%`);
console.log(`CPU ms per order         ${JSON.stringify(orders.perUnitMs)}; stolen by the host ${orders.stolenPercent}%`);
console.log('');
console.log('| measure | value | target | met |');
console.log('| --- | --- | --- | --- |');
for (const [name, value, target, met] of targets) console.log(`| ${name} | ${value} | ${target} | ${met ? 'yes' : 'no'} |`);
const dir = path.join(ROOT, 'artifacts', 'bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${results.at.replaceAll(':', '-')}.json`);
writeFileSync(file, JSON.stringify({ ...results, targets: targets.map(([name, value, target, met]) => ({ name, value, target, met })) }, null, 2));
console.log(`\nJSON: ${path.relative(ROOT, file)}`);

await connection.close();
await stack.stop();
