// The API's key check: which kinds of key a route admits, and the merchant a merchant-scoped route acts for.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../core/errors.js';
import { isStoppedKey, type KeyResolver, type MerchantKey, type Principal } from '../services/api-keys.js';
import type { AppEnv } from './context.js';

/**
 * Admits only the given kinds of key; everything downstream is scoped to `principal.merchantId`. Wrong or
 * missing keys are counted per client address: past the limit they are answered 429 instead of 401.
 */
export function requireKey(keys: KeyResolver, ...kinds: Array<Principal['kind']>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await keys.resolve(c.req.header('authorization'));
    if (!principal) {
      const { throttle } = c.get('deps');
      const refused = await throttle.authFailures.hit(throttle.clientAddress(c));
      if (refused) {
        const message = `Too many requests with a missing or invalid API key from this address; try again in ${refused.retryAfterSeconds} s.`;
        return c.json({ error: { code: 'rate_limited', message } }, 429, { 'Retry-After': String(refused.retryAfterSeconds) });
      }
      throw new ApiError(401, 'unauthorized', 'Missing or invalid API key.');
    }
    if (!kinds.includes(principal.kind)) throw new ApiError(403, 'forbidden', `A ${principal.kind} key cannot use this route.`);
    if (principal.kind !== 'platform' && isStoppedKey(principal)) {
      throw new ApiError(403, 'merchant_suspended', 'This merchant account is suspended.');
    }
    c.set('principal', principal);
    await next();
  };
}

/** The merchant a merchant-scoped route acts for (the auth middleware has already admitted the key). */
export function merchantIdOf(principal: Principal): string {
  return merchantScopeOf(principal).merchantId;
}

/** The merchant and the mode a merchant-scoped route acts in: a key sees only its own mode's objects. */
export function merchantScopeOf(principal: Principal): MerchantKey {
  if (principal.kind === 'platform') throw new ApiError(403, 'forbidden', 'This route needs a merchant key.');
  return principal;
}
