// A worker started while Temporal is not up yet (or its namespace not registered yet) waits it out: each
// failed start is retried with backoff, and the reason kept for `/readyz`, instead of the process exiting.
import { setTimeout as sleep } from 'node:timers/promises';
import { firstLine } from '../core/probe.js';

export interface Waiting {
  since: string;
  attempts: number;
  reason: string;
}

export interface RetryOptions {
  /** Aborted: stop trying (the process is stopping); resolves undefined. */
  signal: AbortSignal;
  onFailure(waiting: Waiting): void;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** `start()`'s result once it succeeds; every failure is waited out, from `firstDelayMs` doubling up to `maxDelayMs`. */
export async function untilStarted<T>(start: () => Promise<T>, { signal, onFailure, firstDelayMs = 500, maxDelayMs = 5000 }: RetryOptions): Promise<T | undefined> {
  const since = new Date().toISOString();
  let delay = firstDelayMs;
  for (let attempts = 1; !signal.aborted; attempts += 1) {
    try {
      return await start();
    } catch (error) {
      onFailure({ since, attempts, reason: firstLine(error) });
    }
    await sleep(delay, undefined, { signal }).catch(() => undefined);
    delay = Math.min(delay * 2, maxDelayMs);
  }
  return undefined;
}
