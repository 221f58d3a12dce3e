import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { hashApiKey } from '../core/api-keys.js';
import type { Db } from '../db/database.js';
import { ApiError } from './errors.js';

export type Principal =
  | { kind: 'platform' }
  | { kind: 'secret' | 'admin'; merchantId: string; merchantStatus: 'pending_verification' | 'active' | 'suspended' };

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
  const row = await db
    .selectFrom('apiKeys')
    .innerJoin('merchants', 'merchants.id', 'apiKeys.merchantId')
    .select(['apiKeys.kind', 'apiKeys.merchantId', 'merchants.status'])
    .where('apiKeys.keyHash', '=', hashApiKey(key))
    .where('apiKeys.revokedAt', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return { kind: row.kind, merchantId: row.merchantId, merchantStatus: row.status };
}

/** Admits only the given kinds of key; everything downstream is scoped to `principal.merchantId`. */
export function requireKey(
  deps: { db: Db; platformApiKey: string },
  ...kinds: Array<Principal['kind']>
): MiddlewareHandler<{ Variables: { principal: Principal } }> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps.db, deps.platformApiKey, c.req.header('authorization'));
    if (!principal) throw new ApiError(401, 'unauthorized', 'Missing or invalid API key.');
    if (!kinds.includes(principal.kind)) throw new ApiError(403, 'forbidden', `A ${principal.kind} key cannot use this route.`);
    if (principal.kind !== 'platform' && principal.merchantStatus === 'suspended') {
      throw new ApiError(403, 'merchant_suspended', 'This merchant account is suspended.');
    }
    c.set('principal', principal);
    await next();
  };
}

/** The merchant a merchant-scoped route acts for (the auth middleware has already admitted the key). */
export function merchantIdOf(principal: Principal): string {
  if (principal.kind === 'platform') throw new ApiError(403, 'forbidden', 'This route needs a merchant key.');
  return principal.merchantId;
}
