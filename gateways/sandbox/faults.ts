// Injected faults for the sandbox gateway's API, for fault runs (`npm run chaos`) and tests: per merchant,
// in memory (a simulator switch, not a ledger fact), set through an authenticated test control. A merchant
// without a plan sees the sandbox exactly as before.
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { mulberry32 } from '../../core/seeded-random.js';

/** The gateway API calls an adapter makes; the test controls and the hosted page are never faulted. */
export const GATEWAY_OPERATIONS = ['createPayment', 'queryPayment', 'closePayment', 'refund', 'queryRefund'] as const;
export type GatewayOperation = (typeof GATEWAY_OPERATIONS)[number];

/** In the order they are considered for a call: the first that fires is the one injected. */
export const FAULT_KINDS = ['error500', 'error429', 'slow', 'timeoutAfterSuccess'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const ms = z.number().int().min(0).max(120_000);
/** `count`: the next N matching calls get this fault for certain; after that, each call with `probability`. */
const rule = { probability: z.number().min(0).max(1).default(0), count: z.number().int().min(0).max(10_000).default(0) };

export const FaultPlanSchema = z
  .object({
    /** Seeds the plan's own random draws, so a run with the same calls in the same order injects the same faults. */
    seed: z.number().int().optional(),
    /** Which calls the plan applies to; all of them when absent. */
    operations: z.array(z.enum(GATEWAY_OPERATIONS)).optional(),
    /** Answer 500 without doing anything. */
    error500: z.object(rule).strict().optional(),
    /** Answer 429 (rate limited) without doing anything. */
    error429: z.object(rule).strict().optional(),
    /** Wait `delayMs`, then do the work and answer (past the caller's timeout, the work still happens). */
    slow: z.object({ ...rule, delayMs: ms.default(2000) }).strict().optional(),
    /**
     * Do the work (charge, refund, close...), then never answer: hold the connection until the caller gives
     * up or `hangMs` passes, then drop it. `hangMs: 0` drops it at once (a connection reset).
     */
    timeoutAfterSuccess: z.object({ ...rule, hangMs: ms.default(15_000) }).strict().optional(),
  })
  .strict();
export type FaultPlan = z.infer<typeof FaultPlanSchema>;
export type FaultPlanInput = z.input<typeof FaultPlanSchema>;

export type InjectedFault =
  | { kind: 'error500' | 'error429' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'timeoutAfterSuccess'; hangMs: number };

export interface FaultStats {
  calls: number;
  injected: Record<FaultKind, number>;
}


const emptyStats = (): FaultStats => ({ calls: 0, injected: { error500: 0, error429: 0, slow: 0, timeoutAfterSuccess: 0 } });

export function createFaultStore() {
  const plans = new Map<string, { plan: FaultPlan; random: () => number; counts: Record<FaultKind, number> }>();
  const stats = new Map<string, FaultStats>();

  function statsOf(merchantId: string): FaultStats {
    let s = stats.get(merchantId);
    if (!s) stats.set(merchantId, (s = emptyStats()));
    return s;
  }

  return {
    /** Replaces the merchant's plan; the counters of injected faults carry on. */
    set(merchantId: string, plan: FaultPlan): void {
      const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, plan[kind]?.count ?? 0])) as Record<FaultKind, number>;
      plans.set(merchantId, { plan, random: mulberry32(plan.seed ?? Math.floor(Math.random() * 2 ** 32)), counts });
    },

    clear(merchantId: string): void {
      plans.delete(merchantId);
    },

    describe(merchantId: string): { plan: FaultPlan | null; stats: FaultStats } {
      return { plan: plans.get(merchantId)?.plan ?? null, stats: statsOf(merchantId) };
    },

    /** The fault this call gets, if any. One random draw per kind with a probability, in FAULT_KINDS order. */
    draw(merchantId: string, operation: GatewayOperation): InjectedFault | undefined {
      const entry = plans.get(merchantId);
      if (!entry || (entry.plan.operations && !entry.plan.operations.includes(operation))) return undefined;
      const s = statsOf(merchantId);
      s.calls += 1;
      const { plan, counts, random } = entry;
      let chosen: FaultKind | undefined = FAULT_KINDS.find((kind) => counts[kind] > 0);
      if (chosen) counts[chosen] -= 1;
      for (const kind of FAULT_KINDS) {
        if (chosen) break;
        const probability = plan[kind]?.probability ?? 0;
        if (probability > 0 && random() < probability) chosen = kind;
      }
      if (!chosen) return undefined;
      s.injected[chosen] += 1;
      if (chosen === 'slow') return { kind: 'slow', delayMs: plan.slow?.delayMs ?? 2000 };
      if (chosen === 'timeoutAfterSuccess') return { kind: 'timeoutAfterSuccess', hangMs: plan.timeoutAfterSuccess?.hangMs ?? 15_000 };
      return { kind: chosen };
    },
  };
}

export type FaultStore = ReturnType<typeof createFaultStore>;

/** Which gateway API call a request under `/api/merchants/:merchantId` is; undefined for controls. */
export function gatewayOperation(method: string, path: string): GatewayOperation | undefined {
  const rest = /\/api\/merchants\/[^/]+(\/.*)$/.exec(path)?.[1];
  if (rest === undefined) return undefined;
  if (method === 'POST' && rest === '/payments') return 'createPayment';
  if (method === 'GET' && /^\/payments\/[^/]+$/.test(rest)) return 'queryPayment';
  if (method === 'POST' && /^\/payments\/[^/]+\/close$/.test(rest)) return 'closePayment';
  if (method === 'POST' && rest === '/refunds') return 'refund';
  if (method === 'GET' && /^\/refunds\/[^/]+$/.test(rest)) return 'queryRefund';
  return undefined;
}

/**
 * Applies the merchant's fault plan to a gateway API call. Mounted after authentication, so only the
 * merchant's own (authenticated) calls are faulted. Each injected fault is logged as `sandbox fault injected`.
 */
export function faultInjection(faults: FaultStore, logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const merchantId = c.req.param('merchantId');
    const operation = gatewayOperation(c.req.method, c.req.path);
    const fault = merchantId && operation ? faults.draw(merchantId, operation) : undefined;
    if (!fault) return next();
    logger.warn({ merchantId, operation, fault: fault.kind, path: c.req.path }, 'sandbox fault injected');
    switch (fault.kind) {
      case 'error500':
        return c.json({ error: { code: 'injected_fault', message: 'Injected fault: the sandbox failed internally.' } }, 500);
      case 'error429':
        return c.json({ error: { code: 'rate_limited', message: 'Injected fault: too many requests.' } }, 429, { 'retry-after': '1' });
      case 'slow':
        await sleep(fault.delayMs);
        return next();
      case 'timeoutAfterSuccess': {
        await next();
        // The work is done; the answer never leaves. Wait for the caller to give up (or hangMs), then drop.
        await sleep(fault.hangMs, undefined, { signal: c.req.raw.signal }).catch(() => undefined);
        const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
        if (incoming) {
          incoming.socket.destroy();
          return;
        }
        // Not served by Node (e.g. `app.request` in a test): the closest thing is a gateway timeout.
        c.res = c.json({ error: { code: 'injected_fault', message: 'Injected fault: no answer.' } }, 504);
        return;
      }
    }
  };
}
