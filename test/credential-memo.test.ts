import { describe, expect, it } from 'vitest';
import { memoByCredentials } from '../gateways/credential-memo.js';

describe('gateway clients remembered per set of credentials', () => {
  it('builds once for the same credentials, in any field order, and again when any value changes', () => {
    let builds = 0;
    const clientOf = memoByCredentials((credentials) => ({ build: (builds += 1), appId: credentials.appId }));
    const first = clientOf({ appId: 'a', privateKey: 'k1' });
    expect(clientOf({ privateKey: 'k1', appId: 'a' })).toBe(first);
    const rotated = clientOf({ appId: 'a', privateKey: 'k2' });
    expect(rotated).not.toBe(first);
    expect(builds).toBe(2);
  });

  it('does not remember a failed build: mended credentials, or a retry, build again', () => {
    let attempts = 0;
    const clientOf = memoByCredentials((credentials) => {
      attempts += 1;
      if (!credentials.secretKey) throw new Error('secretKey is missing');
      return { secretKey: credentials.secretKey };
    });
    expect(() => clientOf({})).toThrow('secretKey is missing');
    expect(() => clientOf({})).toThrow('secretKey is missing');
    expect(clientOf({ secretKey: 's' })).toEqual({ secretKey: 's' });
    expect(attempts).toBe(3);
  });

  it('keeps at most its limit, dropping the least recently used', () => {
    const built: string[] = [];
    const clientOf = memoByCredentials((credentials) => built.push(credentials.id!), 2);
    clientOf({ id: 'a' });
    clientOf({ id: 'b' });
    clientOf({ id: 'a' }); // a is now the most recent
    clientOf({ id: 'c' }); // b goes
    clientOf({ id: 'a' });
    clientOf({ id: 'b' });
    expect(built).toEqual(['a', 'b', 'c', 'b']);
  });
});
