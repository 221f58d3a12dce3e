// Fault injection against a running local stack: kills and restarts the worker and the API, restarts the
// Temporal dev server, freezes Postgres, stops the mail server and the merchant's webhook receiver for a
// while, and sets the sandbox gateway's fault plan. Every fault is logged
// (`[chaos] t+12.3s worker SIGKILL`) and counted. A supervisor restarts anything that dies on its own, as
// systemd or Kubernetes would.
import type { FaultPlanInput } from '../../gateways/sandbox/faults.js';
import type { LocalStack } from '../local-stack.js';
import { processTree } from '../proc-stats.js';
import type { Http } from './http.js';
import { inflight } from './orders.js';
import type { Random } from './random.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const FAULT_KINDS = [
  'worker-kill',
  'worker-kill-in-gateway-call',
  'worker-kill-in-db-call',
  'temporal-restart',
  'postgres-freeze',
  'api-kill-in-checkout',
  'api-kill-in-payment',
  'gateway-plan',
] as const;
export type ScheduledFault = (typeof FAULT_KINDS)[number];

export interface InjectorDeps {
  stack: LocalStack;
  http: Http;
  merchantId: string;
  sandboxKey: string;
  startedAt: number;
  print: (line: string) => void;
  /** The merchant's server that webhooks go to. */
  receiver: WebhookReceiver;
}

export function createInjector(deps: InjectorDeps) {
  const { stack, http } = deps;
  const counts = new Map<string, number>();
  const down = { api: false, worker: false, temporal: false };
  let frozenPostgres: number[] = [];
  let gatewayPlan: FaultPlanInput | undefined;
  let onGatewayFault: (() => void) | undefined;
  let supervisor: NodeJS.Timeout | undefined;

  const stamp = () => `t+${((Date.now() - deps.startedAt) / 1000).toFixed(1)}s`;
  const say = (message: string) => deps.print(`[chaos] ${stamp()} ${message}`);

  /** Counts one injected fault of `kind` and logs it. */
  function fault(kind: string, message: string): void {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    say(message);
  }

  /** Output of the API and worker: the sandbox logs each fault it injects. */
  function onServiceLine(line: string): void {
    if (line.startsWith('[worker]') && line.includes("state: 'RUNNING'")) workerRunningAt = Date.now();
    if (!line.includes('sandbox fault injected')) return;
    try {
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as { fault?: string; operation?: string };
      fault(`gateway ${entry.fault}`, `gateway ${entry.fault} on ${entry.operation}`);
    } catch {
      fault('gateway fault', 'gateway fault');
    }
    const trigger = onGatewayFault;
    onGatewayFault = undefined;
    trigger?.();
  }

  async function putGatewayPlan(plan: FaultPlanInput | undefined): Promise<void> {
    const path = `/sandbox/api/merchants/${deps.merchantId}/control/faults`;
    const result = plan ? await http.retrying('PUT', path, { key: deps.sandboxKey, body: plan }) : await http.retrying('DELETE', path, { key: deps.sandboxKey });
    if (result.status !== 200) throw new Error(`setting the sandbox fault plan: HTTP ${result.status} ${JSON.stringify(result.body)}`);
  }

  function describePlan(plan: FaultPlanInput | undefined): string {
    if (!plan) return 'none';
    const p = (n: number | undefined) => (n ?? 0).toFixed(2);
    return `500 p=${p(plan.error500?.probability)}, 429 p=${p(plan.error429?.probability)}, slow p=${p(plan.slow?.probability)} (${plan.slow?.delayMs ?? 0} ms), no answer after success p=${p(plan.timeoutAfterSuccess?.probability)} (hang ${plan.timeoutAfterSuccess?.hangMs ?? 0} ms)`;
  }

  async function setGatewayPlan(plan: FaultPlanInput | undefined): Promise<void> {
    gatewayPlan = plan;
    await putGatewayPlan(plan);
    say(`gateway fault plan: ${describePlan(plan)}`);
  }

  let workerRunningAt = 0;

  /** Starts the worker and waits until it polls (it bundles the workflow code first, which takes a while). */
  async function startWorker(): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const since = Date.now();
      stack.worker.start();
      const pid = stack.worker.pid;
      while (workerRunningAt < since && alive(pid) && Date.now() < deadline) await sleep(100);
      if (workerRunningAt >= since) break;
      if (Date.now() > deadline) throw new Error('the worker did not start polling within 2 minutes');
      // It exits when Temporal cannot be reached at start-up (e.g. while the server restarts).
      say('worker exited while starting; starting it again');
      await sleep(1000);
    }
    down.worker = false;
  }

  async function startApi(): Promise<void> {
    stack.api.start();
    await stack.apiReady();
    down.api = false;
    // The plan lives in the API's memory: a new API process starts without one.
    if (gatewayPlan) await putGatewayPlan(gatewayPlan);
  }

  async function killWorker(downMs: number, where: string): Promise<void> {
    down.worker = true;
    await stack.worker.stop('SIGKILL');
    fault('worker SIGKILL', `worker SIGKILL${where}; restart in ${(downMs / 1000).toFixed(1)}s`);
    await sleep(downMs);
    await startWorker();
  }

  /**
   * SIGSTOP on the whole Postgres process tree rather than stopping the cluster: the cluster's stop()
   * deletes its directory, and a frozen server is the nastier failure anyway. Connections stay open and
   * queries hang instead of failing fast, so only timeouts (activity start-to-close, client timeouts) get
   * the system moving again, and every in-flight transaction survives the freeze.
   */
  function freezePostgres(): void {
    const root = stack.postgres.process.child.pid!;
    frozenPostgres = processTree(root);
    for (const pid of frozenPostgres) process.kill(pid, 'SIGSTOP');
  }

  function thawPostgres(): void {
    if (frozenPostgres.length === 0) return;
    const pids = new Set([...frozenPostgres, ...processTree(stack.postgres.process.child.pid!)]);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    frozenPostgres = [];
  }

  async function restartTemporal(downMs: number): Promise<void> {
    const before = stack.temporal.address;
    down.temporal = true;
    fault('temporal restart', `Temporal dev server stopped; restart after ${(downMs / 1000).toFixed(1)}s`);
    const started = Date.now();
    await stack.restartTemporal(downMs);
    down.temporal = false;
    say(`Temporal dev server back after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    if (stack.temporal.address !== before) {
      // The old port was taken meanwhile: point the API and worker at the new one.
      say(`Temporal moved from ${before} to ${stack.temporal.address}; restarting API and worker`);
      stack.env.TEMPORAL_ADDRESS = stack.temporal.address;
      down.api = down.worker = true;
      await Promise.all([stack.api.stop(), stack.worker.stop()]);
      await startWorker();
      await startApi();
    }
  }

  /** Runs one scheduled fault to its end (the broken part is back when it resolves). */
  async function inject(kind: ScheduledFault, rnd: Random): Promise<void> {
    // Every parameter is drawn before anything waits, so the stream never depends on timing.
    const downMs = rnd.int(300, 3000);
    const freezeMs = rnd.int(2000, 8000);
    const killAfterMs = rnd.int(300, 1500);
    const slowMs = rnd.int(2000, 5000);
    const offsetMs = rnd.int(0, 150);
    const plan = drawGatewayPlan(rnd);
    switch (kind) {
      case 'worker-kill':
        await killWorker(downMs, '');
        break;
      case 'worker-kill-in-gateway-call': {
        // The next gateway call is made slow, and the worker dies while it waits for the answer; the
        // gateway still does the work, so the retry on the new worker must not do it twice.
        const hit = new Promise<boolean>((resolve) => {
          onGatewayFault = () => resolve(true);
          setTimeout(() => resolve(false), 15_000);
        });
        await putGatewayPlan({ ...gatewayPlan, slow: { probability: gatewayPlan?.slow?.probability ?? 0, delayMs: slowMs, count: 1 } });
        const during = await hit;
        onGatewayFault = undefined;
        await killWorker(downMs, during ? ' during a gateway call' : ' (no gateway call came)');
        break;
      }
      case 'worker-kill-in-db-call':
        freezePostgres();
        fault('postgres freeze', `Postgres frozen (SIGSTOP) for ${(freezeMs / 1000).toFixed(1)}s, worker killed inside`);
        await sleep(killAfterMs);
        down.worker = true;
        await stack.worker.stop('SIGKILL');
        fault('worker SIGKILL', 'worker SIGKILL while database activities hang');
        await sleep(Math.max(0, freezeMs - killAfterMs));
        thawPostgres();
        say('Postgres resumed (SIGCONT)');
        await sleep(downMs);
        await startWorker();
        break;
      case 'temporal-restart':
        await restartTemporal(downMs);
        break;
      case 'postgres-freeze':
        freezePostgres();
        fault('postgres freeze', `Postgres frozen (SIGSTOP) for ${(freezeMs / 1000).toFixed(1)}s`);
        await sleep(freezeMs);
        thawPostgres();
        say('Postgres resumed (SIGCONT)');
        break;
      case 'api-kill-in-checkout': {
        const deadline = Date.now() + 10_000;
        while (inflight.checkouts === 0 && Date.now() < deadline) await sleep(10);
        const during = inflight.checkouts > 0;
        await sleep(offsetMs);
        down.api = true;
        await stack.api.stop('SIGKILL');
        fault('api SIGKILL', `API SIGKILL${during ? ` with ${inflight.checkouts} checkout(s) in flight` : ' (no checkout in flight)'}; restart in ${(downMs / 1000).toFixed(1)}s`);
        await sleep(downMs);
        await startApi();
        say('API back');
        break;
      }
      case 'api-kill-in-payment': {
        // The sandbox delivers the payment's notification to the API's own webhook route while the
        // customer's payment request waits: killing the API there cuts a notification mid-way.
        const deadline = Date.now() + 10_000;
        while (inflight.payments === 0 && Date.now() < deadline) await sleep(5);
        const during = inflight.payments > 0;
        await sleep(offsetMs / 5);
        down.api = true;
        await stack.api.stop('SIGKILL');
        fault('api SIGKILL', `API SIGKILL${during ? ' with a payment and its notification in flight' : ' (no payment in flight)'}; restart in ${(downMs / 1000).toFixed(1)}s`);
        await sleep(downMs);
        await startApi();
        say('API back');
        break;
      }
      case 'gateway-plan':
        await setGatewayPlan(plan);
        break;
    }
  }

  function drawGatewayPlan(rnd: Random, mayClear = true): FaultPlanInput | undefined {
    const clear = mayClear && rnd.chance(0.2);
    const plan: FaultPlanInput = {
      seed: rnd.int(1, 2 ** 31),
      error500: { probability: rnd.between(0, 0.2) },
      error429: { probability: rnd.between(0, 0.15) },
      // Now and then slower than the adapter's 10 s timeout: the work happens after the caller gave up.
      slow: { probability: rnd.between(0, 0.15), delayMs: rnd.chance(0.3) ? rnd.int(10_500, 13_000) : rnd.int(500, 4000) },
      // 12 s holds past the adapter's 10 s timeout; 0 drops the connection at once.
      timeoutAfterSuccess: { probability: rnd.between(0, 0.12), hangMs: rnd.chance(0.7) ? 12_000 : 0 },
    };
    return clear ? undefined : plan;
  }

  /**
   * Injects faults one after another until `done()` or the budget is spent (the orders then finish on a
   * healthy stack): the first ones run through every kind once (in a seeded order), so even a short run
   * meets each; then seeded picks, at seeded gaps.
   */
  async function run(rnd: Random, done: () => boolean, gapSeconds: [number, number], budgetSeconds: number): Promise<void> {
    const stopAt = Date.now() + budgetSeconds * 1000;
    const over = () => done() || Date.now() > stopAt;
    const firstRound = [...FAULT_KINDS];
    for (let i = firstRound.length - 1; i > 0; i -= 1) {
      const j = rnd.int(0, i);
      [firstRound[i], firstRound[j]] = [firstRound[j]!, firstRound[i]!];
    }
    for (let n = 0; ; n += 1) {
      const gapMs = rnd.between(gapSeconds[0], gapSeconds[1]) * 1000;
      const kind: ScheduledFault =
        n < firstRound.length
          ? firstRound[n]!
          : rnd.weighted([
              ['worker-kill', 3],
              ['worker-kill-in-gateway-call', 2],
              ['worker-kill-in-db-call', 1],
              ['temporal-restart', 1.5],
              ['postgres-freeze', 2],
              ['api-kill-in-checkout', 2],
              ['api-kill-in-payment', 1.5],
              ['gateway-plan', 2],
            ] as const);
      const faultRnd = rnd.fork(`fault-${n}`);
      const until = Date.now() + gapMs;
      while (Date.now() < until && !over()) await sleep(100);
      if (over()) {
        if (!done()) {
          say(`fault budget of ${budgetSeconds}s spent; no more faults`);
          if (gatewayPlan) await setGatewayPlan(undefined);
        }
        return;
      }
      await inject(kind, faultRnd);
    }
  }

  /**
   * Outages of what Paystead sends to, in a lane of their own beside the other faults (so every run has
   * both, overlapping whatever else is broken): the mail server and the merchant's webhook receiver take
   * turns being down for a few seconds, until `done()` or the budget is spent.
   */
  async function runOutages(rnd: Random, done: () => boolean, budgetSeconds: number): Promise<void> {
    const stopAt = Date.now() + budgetSeconds * 1000;
    const over = () => done() || Date.now() > stopAt;
    for (let n = rnd.int(0, 1); ; n += 1) {
      const gapMs = rnd.int(2000, 6000);
      const outageMs = rnd.int(2000, 8000);
      const until = Date.now() + gapMs;
      while (Date.now() < until && !over()) await sleep(100);
      if (over()) return;
      if (n % 2 === 0) {
        await stack.mail!.stop();
        fault('mail server down', `mail server stopped for ${(outageMs / 1000).toFixed(1)}s`);
        await sleep(outageMs);
        await stack.mail!.start();
        say('mail server back');
      } else {
        await deps.receiver.stop();
        fault('webhook receiver down', `merchant's webhook receiver down for ${(outageMs / 1000).toFixed(1)}s`);
        await sleep(outageMs);
        await deps.receiver.start();
        say("merchant's webhook receiver back");
      }
    }
  }

  /** Restarts whatever died on its own (not counted as an injected fault). */
  function supervise(): void {
    let busy = false;
    supervisor = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        try {
          if (!down.worker && !alive(stack.worker.pid)) {
            say('worker exited on its own; restarting it');
            down.worker = true;
            await startWorker();
          }
          if (!down.api && !alive(stack.api.pid)) {
            say('API exited on its own; restarting it');
            down.api = true;
            await startApi();
          }
          if (!down.temporal && stack.temporal.process.child.exitCode !== null) {
            say('Temporal exited on its own; restarting it');
            await restartTemporal(0);
          }
        } catch (error) {
          say(`supervisor: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          busy = false;
        }
      })();
    }, 1000);
  }

  /** Everything back: Postgres thawed, API and worker running (the supervisor restarts them), no gateway faults. */
  async function heal(): Promise<void> {
    thawPostgres();
    await Promise.all([stack.mail?.start(), deps.receiver.start()]);
    const deadline = Date.now() + 120_000;
    while (!(alive(stack.worker.pid) && alive(stack.api.pid) && !down.api && !down.worker && !down.temporal)) {
      if (Date.now() > deadline) throw new Error('the stack did not come back within 2 minutes');
      await sleep(200);
    }
    await stack.apiReady();
    await setGatewayPlan(undefined);
  }

  function stop(): void {
    if (supervisor) clearInterval(supervisor);
    thawPostgres();
  }

  const total = () => [...counts.values()].reduce((a, b) => a + b, 0);
  return { fault, onServiceLine, setGatewayPlan, drawGatewayPlan, run, runOutages, supervise, heal, stop, counts, total, say, thawPostgres };
}

export type Injector = ReturnType<typeof createInjector>;
