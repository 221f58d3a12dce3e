// Request limits shared by every API instance through Postgres. Attempts are counted per key in fixed
// windows by rate-limiter-flexible (wrong API keys and failed admin sign-ins per client address, refund posts
// per order); live-update streams are leases, at most so many held open per order link. A refusal says how
// long to wait: the `Retry-After` of the 429 each face answers with.
import { randomUUID } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, ThrottleConfig } from '../core/config.js';
import type { Db } from '../db/database.js';
import { COUNTERS_TABLE, counterStoreClient, releaseLease, takeLease } from '../db/throttle.js';
import { createClientAddress, type ClientAddress } from './client-address.js';

export interface Refusal {
  retryAfterSeconds: number;
}

export interface AttemptLimit {
  /** A refusal while `key` has used up its allowance in the current window; counts nothing. */
  check(key: string): Promise<Refusal | undefined>;
  /** Counts one attempt; a refusal when it is beyond the allowance. */
  hit(key: string): Promise<Refusal | undefined>;
}

export interface OpenLimit {
  /** Holds one of `key`'s places for at most `ttlMs` (until released), or a refusal while all are held. */
  open(key: string, ttlMs: number): Promise<{ release(): Promise<void> } | Refusal>;
}

export interface Throttle {
  /** The address limits per address count by. */
  clientAddress: ClientAddress;
  authFailures: AttemptLimit;
  adminSignIns: AttemptLimit;
  refundPosts: AttemptLimit;
  streams: OpenLimit;
}

const secondsUntil = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function attemptLimit(db: Db, name: string, limit: RateLimit): AttemptLimit {
  const limiter = new RateLimiterPostgres({
    storeClient: counterStoreClient(db),
    storeType: 'client',
    tableName: COUNTERS_TABLE,
    tableCreated: true,
    keyPrefix: name,
    points: limit.points,
    duration: limit.seconds,
    // Past the allowance this process refuses the key from memory until the window ends: a flood costs no queries.
    inMemoryBlockOnConsumed: limit.points + 1,
  });
  return {
    async check(key) {
      const counted = await limiter.get(key);
      return counted && counted.consumedPoints >= limit.points ? { retryAfterSeconds: secondsUntil(counted.msBeforeNext) } : undefined;
    },
    async hit(key) {
      try {
        await limiter.consume(key);
        return undefined;
      } catch (error) {
        if (error instanceof RateLimiterRes) return { retryAfterSeconds: secondsUntil(error.msBeforeNext) };
        throw error;
      }
    },
  };
}

function openLimit(db: Db, name: string, cap: number): OpenLimit {
  return {
    async open(key, ttlMs) {
      const id = randomUUID();
      const lease = await takeLease(db, `${name}:${key}`, id, cap, ttlMs);
      if (!lease.taken) return { retryAfterSeconds: secondsUntil(lease.freeAt.getTime() - Date.now()) };
      return { release: () => releaseLease(db, `${name}:${key}`, id) };
    },
  };
}

export function createThrottle(db: Db, limits: ThrottleConfig): Throttle {
  return {
    clientAddress: createClientAddress(limits.trustedProxies),
    authFailures: attemptLimit(db, 'auth', limits.authFailures),
    adminSignIns: attemptLimit(db, 'admin-sign-in', limits.adminSignIns),
    refundPosts: attemptLimit(db, 'refund-post', limits.refundPosts),
    streams: openLimit(db, 'stream', limits.streamsPerLink),
  };
}
