// `npm run chaos -- --seed N --orders M [--topology cluster]`: orders flow through the HTTP API while the worker
// and the API are SIGKILLed, the Temporal server restarts, Postgres freezes (on the cluster: two APIs taking
// requests in turn and two workers, one of which may die while the other carries on; Postgres also stopped
// and restarted), the mail server and the merchant's webhook
// receiver go down for a while, the sandbox gateway fails, stalls or hangs up after doing the work, and
// notifications are dropped, duplicated, reordered or delayed. Then, with everything healed, every order,
// e-mail and webhook is checked. One seed replays the same fault schedule (timing aside).
// The last line is `faults injected: N, orders: M, violations: V`; the exit code is non-zero on any violation.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createMerchant, updateSettings, verifyMerchant } from '../db/merchants.js';
import { insertProduct } from '../db/products.js';
import { checkInvariants, waitUntilSettled, type CheckReport } from '../devstack/chaos/checks.js';
import { createHttp } from '../devstack/chaos/http.js';
import { createInjector, type Injector } from '../devstack/chaos/injector.js';
import { deliveryFindings, waitUntilDelivered } from '../devstack/chaos/deliveries.js';
import { createDrivers, PRODUCTS, type OrderRun } from '../devstack/chaos/orders.js';
import { createRandom } from '../devstack/chaos/random.js';
import { checkReconciliation } from '../devstack/chaos/reconciliation.js';
import { createWebhookReceiver, type WebhookReceiver } from '../devstack/chaos/webhook-receiver.js';
import { MERCHANT_EVENT_TYPES } from '../domain/merchant-events.js';
import { startChaosStack, type ChaosStack, type Topology } from '../devstack/chaos/topology.js';
import { DATA_DIR, ROOT } from '../devstack/paths.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    orders: { type: 'string' },
    concurrency: { type: 'string' },
    quick: { type: 'boolean', default: false },
    topology: { type: 'string', default: 'dev' },
    'settle-timeout': { type: 'string', default: '180' },
    'fault-seconds': { type: 'string' },
    deadline: { type: 'string' },
  },
});
const SEED = Number(args.seed);
const TOPOLOGY = args.topology as Topology;
const QUICK = args.quick;
const ORDERS = Number(args.orders ?? (QUICK ? 12 : 30));
const CONCURRENCY = Number(args.concurrency ?? (QUICK ? 4 : 6));
const SETTLE_TIMEOUT_S = Number(args['settle-timeout']);
/** No new fault starts after this many seconds: the rest of the run shows the system recovering. */
const FAULT_SECONDS = Number(args['fault-seconds'] ?? (QUICK ? 60 : 150));
/** The whole run, stack start to verdict, ends within this many seconds: past it, it stops and fails. */
const DEADLINE_S = Number(args.deadline ?? (QUICK ? 900 : Math.max(3600, ORDERS * 10)));
/** Seconds between the end of one fault and the start of the next. */
const FAULT_GAP: [number, number] = QUICK ? [1.5, 3.5] : [2, 6];
if (![SEED, ORDERS, CONCURRENCY, SETTLE_TIMEOUT_S, FAULT_SECONDS, DEADLINE_S].every(Number.isSafeInteger) || ORDERS < 1 || CONCURRENCY < 1 || !['dev', 'cluster'].includes(TOPOLOGY)) {
  console.error('usage: npm run chaos -- [--topology dev|cluster] [--seed N] [--orders M] [--concurrency C] [--quick] [--settle-timeout S] [--fault-seconds S] [--deadline S]');
  process.exit(2);
}

/** Short windows, so the run ends in minutes: pay within 20 s, checked every 2 s, complete on delivery. */
const SETTINGS = {
  currency: 'CNY',
  shippingFee: 1000,
  taxRateBps: 600,
  paymentWindowSeconds: 20,
  paymentCheckIntervalSeconds: 2,
  latePaymentGraceSeconds: 30,
  refundWindowSeconds: 0,
  refundApprovalThreshold: 5000,
  autoConfirm: false,
};

const startedAt = Date.now();
const print = (line: string) => console.log(line);
const logDir = path.join(ROOT, 'artifacts', 'chaos');
mkdirSync(logDir, { recursive: true });
const logPath = path.join(logDir, `seed-${SEED}-${new Date(startedAt).toISOString().replaceAll(':', '-')}.log`);
const serviceLog = createWriteStream(logPath);
let injector: Injector | undefined;
let stack: ChaosStack | undefined;
let receiver: WebhookReceiver | undefined;

async function cleanUp(): Promise<void> {
  injector?.stop();
  await receiver?.stop();
  if (stack) {
    await stack.stop().catch(() => undefined);
    rmSync(path.join(DATA_DIR, `chaos-${process.pid}`), { recursive: true, force: true });
  }
  await new Promise((resolve) => serviceLog.end(resolve));
}

process.once('SIGINT', () => {
  print('[chaos] interrupted; stopping the stack');
  void cleanUp().finally(() => process.exit(130));
});
// Nothing waits forever, the run included: past its deadline it stops the stack (a minute at most) and fails.
setTimeout(() => {
  print(`[chaos] the run did not end within its deadline of ${DEADLINE_S}s; stopping the stack`);
  setTimeout(() => process.exit(1), 60_000).unref();
  void cleanUp().finally(() => {
    print(`faults injected: ${injector?.total() ?? 0}, orders: ${ORDERS}, violations: 1`);
    process.exit(1);
  });
}, DEADLINE_S * 1000).unref();

async function main(): Promise<{ faults: number; report: CheckReport; runs: OrderRun[] }> {
  const root = createRandom(SEED);
  print(`[chaos] ${TOPOLOGY} topology, seed ${SEED}, ${ORDERS} orders, concurrency ${CONCURRENCY}${QUICK ? ' (quick)' : ''}; service output in ${path.relative(ROOT, logPath)}`);
  print(
    TOPOLOGY === 'cluster'
      ? '[chaos] starting Postgres, the Temporal server (on Postgres, 4 shards), Mailpit, 2 APIs and 2 workers...'
      : '[chaos] starting Postgres, Temporal (SQLite), Mailpit, API and worker...',
  );
  stack = await startChaosStack(TOPOLOGY, {
    name: 'chaos',
    // A receiver back after a short outage is tried again within seconds, not the default 30.
    env: { WEBHOOK_FIRST_RETRY_SECONDS: '1' },
    log: (line) => {
      serviceLog.write(`${new Date().toISOString()} ${line}\n`);
      injector?.onServiceLine(line);
    },
  });
  const { db } = stack;
  const masterKey = Buffer.from(stack.env.MASTER_KEY!, 'base64');
  const { merchant, secretKey, adminKey } = await createMerchant(db, { name: 'Chaos Store', contactEmail: 'chaos@paystead.test', businessLicenceNo: 'BL-CHAOS-1', taxRegistrationNo: 'TX-CHAOS-1' });
  await verifyMerchant(db, merchant.id);
  await updateSettings(db, merchant.id, SETTINGS);
  for (const product of PRODUCTS) await insertProduct(db, { merchantId: merchant.id, ...product, currency: 'CNY', active: true });
  const sandboxKey = sandboxSecret(masterKey, merchant.id);

  const http = createHttp(stack.baseUrls);
  receiver = await createWebhookReceiver();
  const endpoint = await http.retrying('POST', '/v1/admin/webhook-endpoints', { key: adminKey, body: { url: receiver.url, eventTypes: [...MERCHANT_EVENT_TYPES] } });
  if (endpoint.status !== 201) throw new Error(`adding the webhook endpoint: HTTP ${endpoint.status} ${JSON.stringify(endpoint.body)}`);
  receiver.secret = endpoint.body.secret as string;
  const clock = Date.now();
  injector = createInjector({ stack, merchantId: merchant.id, sandboxKey, startedAt: clock, print, receiver });
  const drivers = createDrivers({ http, merchant: { merchantId: merchant.id, secretKey, adminKey, sandboxKey }, paymentWindowMs: SETTINGS.paymentWindowSeconds * 1000, log: print, fault: injector.fault });
  // createMerchant's keys are test keys: every order of the run is a test order (a check says so at the end).
  print(`[chaos] stack ready in ${((clock - startedAt) / 1000).toFixed(1)}s; merchant ${merchant.id}, test mode`);

  injector.supervise();
  await injector.setGatewayPlan(injector.drawGatewayPlan(root.fork('initial-gateway-plan'), false));

  const runs = Array.from({ length: ORDERS }, (_, i) => drivers.newRun(i + 1, root.fork(`order-${i + 1}`), SEED));
  let next = 0;
  let driversDone = false;
  const driving = Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < runs.length) {
        const run = runs[next++]!;
        try {
          await drivers.drive(run, root.fork(`order-${run.index}`).fork('drive'));
        } catch (error) {
          run.problems.push(`driver failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        injector!.say(`order #${run.index} ${run.scenario} -> ${run.lastStatus ?? 'no order'}${run.notes.length ? ` (${run.notes.join('; ')})` : ''}`);
      }
    }),
  ).finally(() => {
    driversDone = true;
  });
  const faulting = injector.run(root.fork('faults'), () => driversDone, FAULT_GAP, FAULT_SECONDS);
  const outages = injector.runOutages(root.fork('outages'), () => driversDone, FAULT_SECONDS);
  await Promise.all([driving, faulting, outages]);

  injector.say('all drivers done; healing (Postgres thawed, API and worker up, gateway faults off)');
  await injector.heal();
  const settled = await waitUntilSettled(db, merchant.id, SETTLE_TIMEOUT_S * 1000, injector.say);
  const delivered = settled && (await waitUntilDelivered(db, merchant.id, SETTLE_TIMEOUT_S * 1000, injector.say));
  injector.say(delivered ? 'every order settled, every e-mail and webhook delivered; checking' : `not everything settled within ${SETTLE_TIMEOUT_S}s; checking anyway`);

  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    const findings = await deliveryFindings(db, merchant.id, receiver, { webUrl: stack.mail.webUrl, from: stack.env.MAIL_FROM ?? 'orders@localhost' });
    const client = new Client({ connection });
    const report = await checkInvariants(db, client, merchant.id, runs, findings);
    // Last: reconciliation plants dashboard refunds, which the checks above would not expect.
    const reconciled = await checkReconciliation({ db, http, client, say: injector.say }, { merchantId: merchant.id, secretKey, adminKey, sandboxKey }, clock);
    injector.say(`reconciliation: ${reconciled.summary}`);
    report.results.set('reconciliation', { passed: reconciled.passed, failed: reconciled.failed });
    report.violations.push(...reconciled.violations);
    return { faults: injector.total(), report, runs };
  } finally {
    await connection.close();
    injector.say(`HTTP: ${http.stats.requests} requests, ${http.stats.retries} retries, ${http.stats.networkErrors} network errors, ${http.stats.serverErrors} 5xx`);
  }
}

let exitCode = 1;
try {
  const { faults, report, runs } = await main();
  const byScenario = new Map<string, string[]>();
  for (const run of runs) byScenario.set(run.scenario, [...(byScenario.get(run.scenario) ?? []), run.lastStatus ?? 'none']);
  print('');
  print('scenarios:');
  for (const [scenario, statuses] of byScenario) print(`  ${scenario.padEnd(8)} ${statuses.length}: ${statuses.join(', ')}`);
  print('faults injected by kind:');
  for (const [kind, count] of [...injector!.counts.entries()].sort()) print(`  ${kind.padEnd(34)} ${count}`);
  print('checks:');
  for (const [name, { passed, failed }] of report.results) print(`  ${failed ? 'FAIL' : 'ok  '} ${name.padEnd(28)} ${passed} passed, ${failed} failed`);
  for (const violation of report.violations) print(`VIOLATION ${violation}`);
  print(`run took ${((Date.now() - startedAt) / 1000).toFixed(0)}s`);
  await cleanUp();
  print(`faults injected: ${faults}, orders: ${ORDERS}, violations: ${report.violations.length}`);
  exitCode = report.violations.length === 0 ? 0 : 1;
} catch (error) {
  print(`[chaos] the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await cleanUp();
  print(`faults injected: ${injector?.total() ?? 0}, orders: ${ORDERS}, violations: 1`);
}
process.exit(exitCode);
