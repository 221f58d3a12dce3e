// `npm run bench`: Paystead's order throughput against Temporal's own floor for the same conversation on the
// same machine and workers, and the latencies a storefront and a merchant see, in the dev topology, the
// cluster topology or both. Prints a table and writes JSON under artifacts/bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { createMerchant, updateSettings, verifyMerchant } from '../db/merchants.js';
import { insertProduct } from '../db/products.js';
import { apiRequest } from '../devstack/api-request.js';
import { startBenchStack, TOPOLOGIES, type BenchStack, type StackPart, type Topology } from '../devstack/bench-stack.js';
import { driveBaseline, historyShape, shapeOf } from '../devstack/conversation.js';
import { cpuSeconds, machineTicks, residentMiB } from '../devstack/proc-stats.js';
import { ROOT } from '../devstack/paths.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import { ORDER_CONVERSATION } from '../workflows/order-conversation.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '24' },
    'open-orders': { type: 'string', default: '1000' },
    // How often a storefront polls its order while waiting in the throughput phase (the latency phase
    // polls every 2 ms: there the wait is the measurement).
    'poll-ms': { type: 'string', default: '25' },
    topology: { type: 'string', default: 'dev' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const OPEN_ORDERS = Number(args['open-orders']);
const POLL_MS = Number(args['poll-ms']);
const topologies: Topology[] = args.topology === 'both' ? [...TOPOLOGIES] : [args.topology as Topology];
if (!topologies.every((t) => (TOPOLOGIES as readonly string[]).includes(t))) throw new Error(`--topology: ${TOPOLOGIES.join(', ')} or both`);
const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** The whole benchmark on one topology's stack. */
async function bench(topology: Topology) {
  log(`${topology}: starting Postgres, Temporal, APIs and workers...`);
  const stack: BenchStack = await startBenchStack(topology, (line) => (line.includes('WARN') || line.includes('ERROR') ? console.log(line) : undefined));
  try {
    return await measure(stack);
  } finally {
    await stack.stop();
  }
}

async function measure(stack: BenchStack) {
  const { apiUrls, db, topology } = stack;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });

  const { merchant, secretKey, adminKey } = await createMerchant(db, { name: 'Bench Store', contactEmail: 'bench@paystead.test', businessLicenceNo: 'BL-BENCH-1', taxRegistrationNo: 'TX-BENCH-1' });
  await verifyMerchant(db, merchant.id);
  // Zero-length refund window: an order completes as soon as it is delivered.
  await updateSettings(db, merchant.id, { currency: 'CNY', shippingFee: 1000, taxRateBps: 600, paymentWindowSeconds: 3600, paymentCheckIntervalSeconds: 600, refundWindowSeconds: 0, autoConfirm: false });
  await insertProduct(db, { merchantId: merchant.id, sku: 'TEA', name: 'Tea', unitAmount: 12_800, currency: 'CNY', active: true });
  const sandboxKey = sandboxSecret(stack.masterKey, merchant.id);

  const getLatencies: number[] = [];
  /** The same reads as the API itself timed them (Server-Timing): without the network and this client's own waits. */
  const getServerLatencies: number[] = [];
  /** Of which the database read. */
  const getDbLatencies: number[] = [];
  let requests = 0;
  let reads = 0;
  async function call(method: string, route: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
    // Spread over the APIs in turn.
    const baseUrl = apiUrls[(requests += 1) % apiUrls.length]!;
    const started = performance.now();
    const response = await apiRequest(baseUrl, method, route, { key, body, headers });
    const ms = performance.now() - started;
    if (method === 'GET') {
      reads += 1;
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
      const received = await db.selectFrom('webhookEvents').select('receivedAt').where('paymentId', '=', created.json.payment.id).orderBy('receivedAt').executeTakeFirstOrThrow();
      samples.checkout.push(created.ms);
      samples.visible.push(visibleAt - received.receivedAt.getTime());
    }
    await call('POST', `/v1/admin/orders/${orderId}/confirm`, adminKey);
    await call('POST', `/v1/admin/orders/${orderId}/ship`, adminKey, { carrier: 'SF', trackingNumber: 'SF1' });
    await call('POST', `/v1/admin/orders/${orderId}/deliver`, adminKey);
    await waitStatus(orderId, 'completed', POLL_MS);
    return orderId;
  }
  const baseline = (checkoutMs?: number[]) => driveBaseline(client, stack.taskQueue, `baseline-${process.pid}-${(keySeq += 1)}`, checkoutMs);

  /** CPU seconds so far of each part of the stack, of this load generator (which shares the cores), and Postgres's transactions. */
  async function countersNow(): Promise<{ cpu: Record<string, number>; transactions: number; requests: number; reads: number }> {
    const { user, system } = process.cpuUsage();
    const parts = Object.entries(stack.pids()).map(([part, pids]) => [part, pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)]);
    const { rows } = await sql<{ commits: string }>`select sum(xact_commit) as commits from pg_stat_database`.execute(db);
    return { cpu: { ...Object.fromEntries(parts), client: (user + system) / 1e6 }, transactions: Number(rows[0]!.commits), requests, reads };
  }

  /** `throughput`, plus what each process spent meanwhile (in all, and CPU ms per completion), Postgres transactions and API requests per completion. */
  async function measured(task: () => Promise<unknown>) {
    const before = await countersNow();
    const ticksBefore = machineTicks();
    const { rate, done } = await throughput(task, CONCURRENCY, SECONDS);
    const ticks = machineTicks();
    const after = await countersNow();
    const used = Object.fromEntries(Object.entries(after.cpu).map(([name, seconds]) => [name, seconds - before.cpu[name]!]));
    const perUnitMs = Object.fromEntries(Object.entries(used).map(([name, seconds]) => [name, round((1000 * seconds) / done)]));
    perUnitMs.all = round(Object.values(perUnitMs).reduce((a, b) => a + b, 0));
    const stolenPercent = round((100 * (ticks.steal - ticksBefore.steal)) / (ticks.total - ticksBefore.total));
    // Less this function's own two reads.
    const transactionsPerUnit = round((after.transactions - before.transactions - 2) / done);
    const requestsPerUnit = round((after.requests - before.requests) / done);
    // How often the client polled the order depends on how fast the order moved.
    const readsPerUnit = round((after.reads - before.reads) / done);
    return { rate, done, used, perUnitMs, stolenPercent, transactionsPerUnit, requestsPerUnit, readsPerUnit };
  }

  log(`${topology}: warming up...`);
  const firstOrder = await lifecycle();
  await throughput(() => lifecycle(), 4, 3);
  await throughput(() => baseline(), CONCURRENCY, 3);

  // The baseline mirrors an order's conversation only if both histories show the list it was built from.
  const { workflowId, livemode } = await db.selectFrom('orders').select(['workflowId', 'livemode']).where('id', '=', firstOrder).executeTakeFirstOrThrow();
  // Test mode: createMerchant's keys are test keys, whose orders the sandbox may pay; never a live order.
  if (livemode) throw new Error('the benchmark runs in test mode, but its order is a live order');
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const baselineId = `baseline-${process.pid}-check`;
  await driveBaseline(client, stack.taskQueue, baselineId);
  const conversation = shapeOf(ORDER_CONVERSATION);
  const orderShape = historyShape(history);
  const baselineShape = historyShape(await client.workflow.getHandle(baselineId).fetchHistory());
  for (const [name, shape] of [['order', orderShape], ['baseline', baselineShape]] as const) {
    const seen = { messages: shape.messages, localActivities: shape.localActivities, activities: shape.activities };
    if (JSON.stringify(seen) !== JSON.stringify(conversation)) throw new Error(`the ${name}'s history ${JSON.stringify(seen)} is not ORDER_CONVERSATION ${JSON.stringify(conversation)}`);
  }
  const historyBytes = Buffer.byteLength(JSON.stringify(history));

  log(`${topology}: baseline: bare workflows with the order's ${conversation.messages.length} messages, ${conversation.localActivities} local + ${conversation.activities} no-op activities, concurrency ${CONCURRENCY}, ${SECONDS} s...`);
  const bare = await measured(() => baseline());
  log(`${topology}: orders: full lifecycles through the HTTP API, concurrency ${CONCURRENCY}, ${SECONDS} s...`);
  const orders = await measured(() => lifecycle());
  const orderRate = orders.rate;
  const stackCpu = Object.entries(orders.used).filter(([name]) => name !== 'client');
  const cpuTotal = stackCpu.reduce((sum, [, used]) => sum + used, 0);

  const halfRate = orderRate / 2;
  log(`${topology}: latency: open-loop arrivals at ${round(halfRate)} orders/s (half the sustained rate) for ${SECONDS} s...`);
  getLatencies.length = 0;
  getServerLatencies.length = 0;
  getDbLatencies.length = 0;
  const samples = { checkout: [] as number[], visible: [] as number[] };
  /** Starts `run` at `halfRate` a second for the phase's length, then waits for all of them. */
  async function openLoop(run: () => Promise<unknown>): Promise<void> {
    const arrivals: Array<Promise<unknown>> = [];
    const openStarted = performance.now();
    for (let i = 0; performance.now() - openStarted < SECONDS * 1000; i += 1) {
      const due = openStarted + (i * 1000) / halfRate;
      await sleep(Math.max(0, due - performance.now()));
      arrivals.push(run());
    }
    await Promise.all(arrivals);
  }
  await openLoop(() => lifecycle(samples));
  // Temporal's floor for the checkout at the same arrivals: the baseline's update-with-start.
  log(`${topology}: latency: the baseline's runs at the same arrivals...`);
  const baselineCheckout: number[] = [];
  await openLoop(() => baseline(baselineCheckout));

  log(`${topology}: memory: opening ${OPEN_ORDERS} orders that wait for payment...`);
  for (let i = 0; i < OPEN_ORDERS; i += 50) await Promise.all(Array.from({ length: Math.min(50, OPEN_ORDERS - i) }, () => checkout()));
  await sleep(2000);
  const largest = (part: StackPart) => round(Math.max(...stack.pids()[part].map(residentMiB)));
  const memory = { workerMiB: largest('worker'), apiMiB: largest('api') };
  await connection.close();

  const shapeFigures = ({ workflowTasks, timersStarted, searchAttributeUpserts, events }: typeof orderShape) => ({ workflowTasks, timersStarted, searchAttributeUpserts, historyEvents: events });
  return {
    topology,
    processes: Object.fromEntries(Object.entries(stack.pids()).map(([part, pids]) => [part, pids.length])),
    conversation,
    perRun: { order: { ...shapeFigures(orderShape), historyBytes, apiRequests: orders.requestsPerUnit, orderReads: orders.readsPerUnit, postgresTransactions: orders.transactionsPerUnit }, baseline: { ...shapeFigures(baselineShape), apiRequests: 0, postgresTransactions: bare.transactionsPerUnit } },
    throughput: { ordersPerSecond: round(orderRate, 2), baselinePerSecond: round(bare.rate, 2), ratio: round(orderRate / bare.rate, 3) },
    checkoutMs: {
      atPerSecond: round(halfRate, 2),
      p50: round(percentile(samples.checkout, 50)),
      p95: round(percentile(samples.checkout, 95)),
      p99: round(percentile(samples.checkout, 99)),
      samples: samples.checkout.length,
      baseline: { p50: round(percentile(baselineCheckout, 50)), p99: round(percentile(baselineCheckout, 99)) },
    },
    notificationToVisibleMs: { p50: round(percentile(samples.visible, 50)), p99: round(percentile(samples.visible, 99)) },
    orderReadMs: { p99: round(percentile(getLatencies, 99)), serverP99: round(percentile(getServerLatencies, 99)), databaseP99: round(percentile(getDbLatencies, 99)), samples: getLatencies.length },
    memoryWithOpenOrders: memory,
    cpuShare: Object.fromEntries(stackCpu.map(([name, used]) => [name, `${round((100 * used) / cpuTotal)}%`])),
    cpuMsPer: { baselineRun: bare.perUnitMs, order: orders.perUnitMs },
    // API CPU per request, in ms.
    apiCpuMsPerRequest: round(orders.perUnitMs.api! / orders.requestsPerUnit, 2),
    cpuStolenByHostPercent: { baseline: bare.stolenPercent, orders: orders.stolenPercent },
  };
}

type Results = Awaited<ReturnType<typeof measure>>;

function targetsOf(r: Results) {
  return [
    ['orders/s ÷ baseline runs/s', r.throughput.ratio, '>= 0.8', r.throughput.ratio >= 0.8],
    ['checkout p99 at half the sustained rate (ms)', r.checkoutMs.p99, '<= 50', r.checkoutMs.p99 <= 50],
    ['notification -> paid visible p99 (ms)', r.notificationToVisibleMs.p99, '<= 250', r.notificationToVisibleMs.p99 <= 250],
    ['GET /v1/orders/{id} p99 (ms)', r.orderReadMs.p99, '<= 10', r.orderReadMs.p99 <= 10],
    [`worker RSS with ${OPEN_ORDERS} open orders (MiB, largest worker)`, r.memoryWithOpenOrders.workerMiB, '<= 300', r.memoryWithOpenOrders.workerMiB <= 300],
  ] as const;
}

function print(r: Results) {
  const { order, baseline } = r.perRun;
  console.log(`\n${r.topology} topology (${Object.entries(r.processes).map(([part, n]) => `${n} ${part}`).join(', ')})`);
  console.log(`orders/s ${r.throughput.ordersPerSecond}, baseline runs/s ${r.throughput.baselinePerSecond} (${r.conversation.messages.join(', ')}; ${r.conversation.localActivities} local + ${r.conversation.activities} activities)`);
  console.log(`per order: ${order.workflowTasks} workflow tasks (baseline ${baseline.workflowTasks}), ${order.timersStarted} timers (${baseline.timersStarted}), ${order.searchAttributeUpserts} search attribute upserts, ${order.historyEvents} history events (${baseline.historyEvents}), ${order.historyBytes} bytes; ${order.apiRequests} API requests (of which ${order.orderReads} polls of the order), ${order.postgresTransactions} Postgres transactions (baseline ${baseline.postgresTransactions})`);
  console.log(`checkout ms at ${r.checkoutMs.atPerSecond}/s: p50 ${r.checkoutMs.p50} p95 ${r.checkoutMs.p95} p99 ${r.checkoutMs.p99} (the baseline's update-with-start at the same arrivals: p50 ${r.checkoutMs.baseline.p50} p99 ${r.checkoutMs.baseline.p99}); notification->visible ms p50 ${r.notificationToVisibleMs.p50} p99 ${r.notificationToVisibleMs.p99}`);
  console.log(`GET /v1/orders/{id} p99 ms ${r.orderReadMs.p99} as this client saw it, ${r.orderReadMs.serverP99} inside the API, ${r.orderReadMs.databaseP99} reading Postgres (${r.orderReadMs.samples} reads)`);
  console.log(`API RSS ${r.memoryWithOpenOrders.apiMiB} MiB; CPU share ${JSON.stringify(r.cpuShare)}; API CPU ms per request ${r.apiCpuMsPerRequest}`);
  console.log(`CPU ms per baseline run ${JSON.stringify(r.cpuMsPer.baselineRun)}; stolen by the host ${r.cpuStolenByHostPercent.baseline}%`);
  console.log(`CPU ms per order        ${JSON.stringify(r.cpuMsPer.order)}; stolen by the host ${r.cpuStolenByHostPercent.orders}%`);
}

const results: Results[] = [];
for (const topology of topologies) results.push(await bench(topology));

console.log('');
// The APIs and workers run on the same Node as this script (process.execPath).
console.log(`Node ${process.version}, ${os.cpus().length} cores; test mode (sandbox orders); concurrency ${CONCURRENCY}, ${SECONDS} s a phase`);
for (const r of results) print(r);
console.log('');
console.log(`| measure | ${results.map((r) => r.topology).join(' | ')} | target |`);
console.log(`| --- | ${results.map(() => '---').join(' | ')} | --- |`);
const rows = results.map(targetsOf);
for (const [i, [name, , target]] of rows[0]!.entries()) {
  console.log(`| ${name} | ${rows.map((row) => `${row[i]![1]}${row[i]![3] ? '' : ' (not met)'}`).join(' | ')} | ${target} |`);
}
for (const part of ['temporal', 'postgres', 'worker', 'api', 'client', 'all']) {
  console.log(`| CPU ms per order / per baseline run: ${part} | ${results.map((r) => `${r.cpuMsPer.order[part] ?? 0} / ${r.cpuMsPer.baselineRun[part] ?? 0}`).join(' | ')} | |`);
}
console.log(`| checkout p50 / p99 ms: order; baseline's update-with-start | ${results.map((r) => `${r.checkoutMs.p50} / ${r.checkoutMs.p99}; ${r.checkoutMs.baseline.p50} / ${r.checkoutMs.baseline.p99}`).join(' | ')} | |`);
console.log(`| workflow tasks per order / per baseline run | ${results.map((r) => `${r.perRun.order.workflowTasks} / ${r.perRun.baseline.workflowTasks}`).join(' | ')} | |`);

const at = new Date().toISOString();
const dir = path.join(ROOT, 'artifacts', 'bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${at.replaceAll(':', '-')}.json`);
const machine = { cores: os.cpus().length, node: process.version, loadAverage: os.loadavg() };
const settings = { mode: 'test', seconds: SECONDS, concurrency: CONCURRENCY, openOrders: OPEN_ORDERS, pollMs: POLL_MS };
writeFileSync(file, JSON.stringify({ at, machine, settings, topologies: results.map((r) => ({ ...r, targets: targetsOf(r).map(([name, value, target, met]) => ({ name, value, target, met })) })) }, null, 2));
console.log(`\nJSON: ${path.relative(ROOT, file)}`);
