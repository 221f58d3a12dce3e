// Who an API key belongs to: the platform operator or one merchant's secret or admin key. Used by the JSON
// API's authentication and by the admin pages' sign-in.
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '../core/api-keys.js';
import type { MerchantScope } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { findLiveApiKey } from '../db/merchants.js';

export type { MerchantScope } from '../core/modes.js';

export type Principal = { kind: 'platform' } | MerchantKey;

/** A merchant's secret or admin key, as resolved: whose, which mode, and the merchant's status now. */
export interface MerchantKey extends MerchantScope {
  kind: 'secret' | 'admin';
  merchantStatus: 'pending_verification' | 'active' | 'suspended';
}

/** Suspension stops a merchant's live keys; its test keys keep working, since no money moves in test mode. */
export function isStoppedKey(key: MerchantKey): boolean {
  return key.mode === 'live' && key.merchantStatus === 'suspended';
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Resolves `Authorization: Bearer <key>` to the platform operator or to one merchant's secret/admin key. */
export async function resolvePrincipal(db: Db, platformApiKey: string, header: string | undefined): Promise<Principal | undefined> {
  const key = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!key) return undefined;
  if (sameSecret(key, platformApiKey)) return { kind: 'platform' };
  const row = await findLiveApiKey(db, hashApiKey(key));
  if (!row) return undefined;
  return { kind: row.kind, merchantId: row.merchantId, mode: row.mode, merchantStatus: row.status };
}

const MAX_REMEMBERED_KEYS = 10_000;

export interface KeyResolver {
  resolve(header: string | undefined): Promise<Principal | undefined>;
  /** Drops every remembered key: called when a key is revoked or a merchant's status changes. */
  forget(): void;
}

/**
 * Remembers resolved keys (and refusals) for `ttlMs`, keyed by the header's hash, so a storefront polling an
 * order does not pay a database round trip per request for its key. Revocation and status changes made
 * through this process take effect at once; made through another API instance, within `ttlMs`.
 */
export function createKeyResolver(db: Db, platformApiKey: string, ttlMs: number): KeyResolver {
  const remembered = new Map<string, { principal: Principal | undefined; until: number }>();
  return {
    async resolve(header) {
      if (!header) return undefined;
      const id = hashApiKey(header);
      const hit = remembered.get(id);
      if (hit && hit.until > performance.now()) return hit.principal;
      const principal = await resolvePrincipal(db, platformApiKey, header);
      // Bounded: a flood of made-up keys empties the memory rather than filling it.
      if (remembered.size >= MAX_REMEMBERED_KEYS) remembered.clear();
      remembered.set(id, { principal, until: performance.now() + ttlMs });
      return principal;
    },
    forget: () => remembered.clear(),
  };
}
