import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyKind = 'secret' | 'admin';

const PREFIX: Record<ApiKeyKind, string> = { secret: 'sk', admin: 'ak' };

/**
 * Keys carry 256 random bits, so a plain SHA-256 is enough to store them: there is nothing to brute-force
 * that a slow hash would protect. The prefix is kept in clear to tell keys apart in listings.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(kind: ApiKeyKind): { key: string; keyHash: string; prefix: string } {
  const key = `${PREFIX[kind]}_${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, 10) };
}
