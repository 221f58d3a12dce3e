import { createHash, randomBytes } from 'node:crypto';
import type { Mode } from './modes.js';

export type ApiKeyKind = 'secret' | 'admin';

const PREFIX: Record<ApiKeyKind, string> = { secret: 'sk', admin: 'ak' };

/**
 * Keys carry 256 random bits, so a plain SHA-256 is enough to store them: there is nothing to brute-force
 * that a slow hash would protect. The prefix is kept in clear to tell keys apart in listings.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * `sk_test_…`, `sk_live_…`, `ak_test_…`, `ak_live_…`: kind and mode readable at a glance. The stored prefix
 * (for listings) keeps both and six characters of the random part. Keys issued before modes existed
 * (`sk_…`) keep working; their mode is stored with them.
 */
export function generateApiKey(kind: ApiKeyKind, mode: Mode): { key: string; keyHash: string; prefix: string } {
  const head = `${PREFIX[kind]}_${mode}_`;
  const key = `${head}${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, head.length + 6) };
}
