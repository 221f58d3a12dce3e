// Gateway clients and parsed keys, built once per set of credentials instead of on every call and webhook:
// reading PEM keys and certificates, and building an SDK client, costs milliseconds each time. Keyed by a
// digest of the credentials, so new credentials are used at once; a build that fails is not remembered.
import { createHash } from 'node:crypto';

/**
 * Merchants' credential sets kept per adapter; the least recently used goes first. Keys from replaced
 * credentials stay in this process's memory until pushed out, as they would in any client cache.
 */
const MAX_ENTRIES = 1000;

export function memoByCredentials<T>(build: (credentials: Record<string, string>) => T, maxEntries = MAX_ENTRIES): (credentials: Record<string, string>) => T {
  const built = new Map<string, T>();
  return (credentials) => {
    const fields = Object.entries(credentials).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = createHash('sha256').update(JSON.stringify(fields)).digest('base64');
    const found = built.get(key);
    built.delete(key);
    const value = found ?? build(credentials);
    built.set(key, value);
    if (built.size > maxEntries) built.delete(built.keys().next().value!);
    return value;
  };
}
