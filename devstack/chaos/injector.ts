// Fault injection against a running stack (either topology): kills and restarts workers and APIs, restarts
// the Temporal server, freezes Postgres (on the cluster also stops and restarts it), stops the mail server and
// the merchant's webhook receiver for a while, and sets the sandbox gateway's fault plan. On the cluster a
// plain worker or API kill takes one of the two while the other carries on. Every fault is logged
// (`[chaos] t+12.3s worker SIGKILL`) and counted. A supervisor restarts anything that dies on its own, as
// systemd or Kubernetes would.
import type { FaultPlanInput } from '../../gateways/sandbox/faults.js';
import { processTree } from '../proc-stats.js';
import { createHttp } from './http.js';
import { inflight } from './orders.js';
import type { Random } from './random.js';
import type { ChaosProcess, ChaosStack } from './topology.js';
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
/** Faults only the cluster has: Postgres is its own process there, which can be stopped and started. */
export const CLUSTER_FAULT_KINDS = ['postgres-restart'] as const;
export type ScheduledFault = (typeof FAULT_KINDS)[number] | (typeof CLUSTER_FAULT_KINDS)[number];

export interface InjectorDeps {
  stack: ChaosStack;
  merchantId: string;
  sandboxKey: string;
  startedAt: number;
  print: (line: string) => void;
  /** The merchant's server that webhooks go to. */
  receiver: WebhookReceiver;
}

export function createInjector(deps: InjectorDeps) {
  const { stack } = deps;
  const counts = new Map<string, number>();
  const { apis, workers } = stack;
  const cluster = stack.topology === 'cluster';
  const kinds: readonly ScheduledFault[] = cluster ? [...FAULT_KINDS, ...CLUSTER_FAULT_KINDS] : FAULT_KINDS;
  /** Processes the injector has taken down and not yet brought back (the supervisor leaves them alone). */
  const down = new Set<ChaosProcess | 'temporal' | 'postgres'>();
  // Each API holds its own sandbox fault plan: it is set on every one.
  const perApi = new Map(apis.map((api, i) => [api, createHttp(stack.baseUrls[i]!)]));
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

  /** Output of the APIs and workers, tagged `[name]`: the sandbox logs each fault it injects. */
  function onServiceLine(line: string): void {
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

  async function putGatewayPlan(plan: FaultPlanInput | undefined, only?: ChaosProcess): Promise<void> {
    const path = `/sandbox/api/merchants/${deps.merchantId}/control/faults`;
    for (const api of only ? [only] : apis) {
      // A plan set while an API is down reaches it when it starts again (startApi).
      if (down.has(api)) continue;
      const client = perApi.get(api)!;
      const result = plan ? await client.retrying('PUT', path, { key: deps.sandboxKey, body: plan }) : await client.retrying('DELETE', path, { key: deps.sandboxKey });
      if (result.status !== 200) throw new Error(`setting the sandbox fault plan on ${api.name}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    }
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

  /** Starts a worker and waits until it polls (it bundles the workflow code first, which takes a while). */
  async function startWorker(worker: ChaosProcess): Promise<void> {
    const deadline = Date.now() + 120_000;
    // Ready: its /readyz answers 200, which it does once it polls.
    const running = async () => (await worker.ready?.()) === true;
    for (;;) {
      await worker.start();
      const pid = worker.pid;
      let ready = await running();
      while (!ready && alive(pid) && Date.now() < deadline) {
        await sleep(200);
        ready = await running();
      }
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${worker.name} did not start polling within 2 minutes`);
      // It exits when Temporal cannot be reached at start-up (e.g. while the server restarts).
      say(`${worker.name} exited while starting; starting it again`);
      await worker.stop();
      await sleep(1000);
    }
    down.delete(worker);
  }

  async function startApi(api: ChaosProcess): Promise<void> {
    await api.start();
    down.delete(api);
    // The plan lives in the API's memory: a new API process starts without one.
    if (gatewayPlan) await putGatewayPlan(gatewayPlan, api);
  }

  /** Names the processes for a log line: `worker`, or `worker-1`, or `every worker` on the cluster. */
  const named = (procs: ChaosProcess[], all: ChaosProcess[]) => (procs.length === all.length && all.length > 1 ? `every ${all[0]!.name.replace(/-\d+$/, '')}` : procs.map((p) => p.name).join(', '));

  async function killWorkers(targets: ChaosProcess[], downMs: number, where: string): Promise<void> {
    for (const worker of targets) down.add(worker);
    await Promise.all(targets.map((worker) => worker.stop('SIGKILL')));
    const others = workers.filter((w) => !targets.includes(w));
    fault('worker SIGKILL', `${named(targets, workers)} SIGKILL${where}${others.length ? ` (${named(others, workers)} carries on)` : ''}; restart in ${(downMs / 1000).toFixed(1)}s`);
    await sleep(downMs);
    for (const worker of targets) await startWorker(worker);
  }

  async function killApi(api: ChaosProcess, downMs: number, where: string): Promise<void> {
    down.add(api);
    await api.stop('SIGKILL');
    const others = apis.filter((a) => a !== api);
    fault('api SIGKILL', `${api.name} SIGKILL${where}${others.length ? ` (${named(others, apis)} carries on)` : ''}; restart in ${(downMs / 1000).toFixed(1)}s`);
    await sleep(downMs);
    await startApi(api);
    say(`${api.name} back`);
  }

  /**
   * SIGSTOP on the whole Postgres process tree rather than stopping the cluster: the cluster's stop()
   * deletes its directory, and a frozen server is the nastier failure anyway. Connections stay open and
   * queries hang instead of failing fast, so only timeouts (activity start-to-close, client timeouts) get
   * the system moving again, and every in-flight transaction survives the freeze.
   */
  function freezePostgres(): void {
    const root = stack.postgres.pid!;
    frozenPostgres = processTree(root);
    for (const pid of frozenPostgres) process.kill(pid, 'SIGSTOP');
  }

  function thawPostgres(): void {
    if (frozenPostgres.length === 0) return;
    const root = stack.postgres.pid;
    const pids = new Set([...frozenPostgres, ...(root === undefined ? [] : processTree(root))]);
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
    const server = cluster ? 'Temporal server' : 'Temporal dev server';
    down.add('temporal');
    fault('temporal restart', `${server} stopped; restart after ${(downMs / 1000).toFixed(1)}s`);
    const started = Date.now();
    await stack.temporal.restart(downMs);
    down.delete('temporal');
    say(`${server} back after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    if (stack.temporal.address !== before) {
      // The old port was taken meanwhile: point the APIs and workers at the new one.
      say(`Temporal moved from ${before} to ${stack.temporal.address}; restarting APIs and workers`);
      stack.env.TEMPORAL_ADDRESS = stack.temporal.address;
      for (const proc of [...apis, ...workers]) down.add(proc);
      await Promise.all([...apis, ...workers].map((proc) => proc.stop()));
      for (const worker of workers) await startWorker(worker);
      for (const api of apis) await startApi(api);
    }
  }

  /** Postgres stopped (fast shutdown: every connection cut) and started again on the same data. */
  async function restartPostgres(downMs: number): Promise<void> {
    down.add('postgres');
    fault('postgres restart', `Postgres stopped; restart after ${(downMs / 1000).toFixed(1)}s`);
    const started = Date.now();
    await stack.postgres.restart!(downMs);
    down.delete('postgres');
    say(`Postgres back after ${((Date.now() - started) / 1000).toFixed(1)}s`);
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
    // Drawn last, so the dev topology's stream stays as it was: which API or worker a plain kill takes.
    const api = apis[rnd.int(0, apis.length - 1)]!;
    const worker = workers[rnd.int(0, workers.length - 1)]!;
    switch (kind) {
      case 'worker-kill':
        await killWorkers([worker], downMs, '');
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
        // Every worker: the one making the call is not known.
        await killWorkers(workers, downMs, during ? ' during a gateway call' : ' (no gateway call came)');
        break;
      }
      case 'worker-kill-in-db-call':
        freezePostgres();
        fault('postgres freeze', `Postgres frozen (SIGSTOP) for ${(freezeMs / 1000).toFixed(1)}s, worker killed inside`);
        await sleep(killAfterMs);
        for (const w of workers) down.add(w);
        await Promise.all(workers.map((w) => w.stop('SIGKILL')));
        fault('worker SIGKILL', `${named(workers, workers)} SIGKILL while database activities hang`);
        await sleep(Math.max(0, freezeMs - killAfterMs));
        thawPostgres();
        say('Postgres resumed (SIGCONT)');
        await sleep(downMs);
        for (const w of workers) await startWorker(w);
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
        await killApi(api, downMs, during ? ` with ${inflight.checkouts} checkout(s) in flight` : ' (no checkout in flight)');
        break;
      }
      case 'api-kill-in-payment': {
        // The sandbox delivers the payment's notification to the API's own webhook route while the
        // customer's payment request waits: killing the API there cuts a notification mid-way.
        const deadline = Date.now() + 10_000;
        while (inflight.payments === 0 && Date.now() < deadline) await sleep(5);
        const during = inflight.payments > 0;
        await sleep(offsetMs / 5);
        // The notification goes to the first API (PUBLIC_BASE_URL), where the sandbox sends it.
        await killApi(apis[0]!, downMs, during ? ' with a payment and its notification in flight' : ' (no payment in flight)');
        break;
      }
      case 'gateway-plan':
        await setGatewayPlan(plan);
        break;
      case 'postgres-restart':
        await restartPostgres(downMs);
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
   * healthy stack): the first ones run through every kind once (in a seeded order), so a run long enough
   * meets each; then seeded picks, at seeded gaps.
   */
  async function run(rnd: Random, done: () => boolean, gapSeconds: [number, number], budgetSeconds: number): Promise<void> {
    const stopAt = Date.now() + budgetSeconds * 1000;
    const over = () => done() || Date.now() > stopAt;
    const shuffled = <T>(items: T[]) => {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = rnd.int(0, i);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    };
    // On the cluster, what only it has comes first, so even a quick run meets it.
    const lead: ScheduledFault[] = cluster ? ['postgres-restart', 'worker-kill', 'temporal-restart'] : [];
    const firstRound = [...shuffled(lead), ...shuffled(kinds.filter((kind) => !lead.includes(kind)))];
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
              ...(cluster ? ([['postgres-restart', 1.5]] as const) : []),
            ]);
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
          for (const worker of workers) {
            if (down.has(worker) || alive(worker.pid)) continue;
            say(`${worker.name} exited on its own; restarting it`);
            down.add(worker);
            await startWorker(worker);
          }
          for (const api of apis) {
            if (down.has(api) || alive(api.pid)) continue;
            say(`${api.name} exited on its own; restarting it`);
            down.add(api);
            await startApi(api);
          }
          if (!down.has('temporal') && stack.temporal.exited) {
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
    while (!([...workers, ...apis].every((proc) => alive(proc.pid)) && down.size === 0)) {
      if (Date.now() > deadline) throw new Error('the stack did not come back within 2 minutes');
      await sleep(200);
    }
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
