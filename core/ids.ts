import { randomBytes } from 'node:crypto';

/** Opaque, unguessable ids with a type prefix (`mch_…`, `ord_…`) so a stray id says what it is. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
