// What the request limits (services/throttle.ts) keep in Postgres: counters, through rate-limiter-flexible's
// Postgres store, and leases on things held open.
import { CompiledQuery, sql } from 'kysely';
import type { Db } from './database.js';

/** The table the counters live in; created by a migration, so the library is told not to create it. */
export const COUNTERS_TABLE = 'throttle_counters';

/**
 * A `pg` client look-alike over the app's own pool for rate-limiter-flexible's Postgres store: its queries
 * share the app's connections (in dev, the one PGlite session) instead of opening their own.
 */
export function counterStoreClient(db: Db) {
  return {
    async query(query: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(query.text, query.values ?? []));
      return { rows: result.rows, rowCount: result.numAffectedRows === undefined ? result.rows.length : Number(result.numAffectedRows) };
    },
  };
}

export type LeaseTaken = { taken: true } | { taken: false; freeAt: Date };

/**
 * Takes a lease under `key` for `ttlMs` unless `cap` leases are already live there. Takers of one key are
 * serialised by an advisory lock, so several instances never overshoot the cap together. When refused,
 * says when the earliest live lease ends at the latest.
 */
export async function takeLease(db: Db, key: string, id: string, cap: number, ttlMs: number): Promise<LeaseTaken> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
    await tx.deleteFrom('throttleLeases').where('key', '=', key).where('expiresAt', '<=', sql<Date>`now()`).execute();
    const live = await tx
      .selectFrom('throttleLeases')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('expiresAt').as('freeAt')])
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (live.count >= cap && live.freeAt) return { taken: false, freeAt: live.freeAt };
    await tx.insertInto('throttleLeases').values({ key, id, expiresAt: sql<Date>`now() + ${ttlMs} * interval '1 millisecond'` }).execute();
    return { taken: true };
  });
}

export async function releaseLease(db: Db, key: string, id: string): Promise<void> {
  await db.deleteFrom('throttleLeases').where('key', '=', key).where('id', '=', id).execute();
}
