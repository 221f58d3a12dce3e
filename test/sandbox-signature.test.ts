import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sandboxSecret, signNotification, verifyNotificationSignature } from '../gateways/sandbox/signature.js';
import { NotificationRejected } from '../gateways/types.js';

function rejection(verify: () => void): NotificationRejected {
  try {
    verify();
  } catch (error) {
    if (error instanceof NotificationRejected) return error;
    throw error;
  }
  throw new Error('expected the notification to be rejected');
}

describe('sandbox signatures', () => {
  const masterKey = randomBytes(32);
  const secret = sandboxSecret(masterKey, 'mch_one');
  const body = '{"id":"evt_1","type":"payment.succeeded"}';
  const now = 1_800_000_000;

  it('derives a base64url secret per merchant and master key', () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sandboxSecret(masterKey, 'mch_one')).toBe(secret);
    expect(sandboxSecret(masterKey, 'mch_two')).not.toBe(secret);
    expect(sandboxSecret(randomBytes(32), 'mch_one')).not.toBe(secret);
  });

  it('signs as t=<seconds>,v1=<hex> and verifies its own signature', () => {
    const header = signNotification(secret, body, now);
    expect(header).toMatch(new RegExp(`^t=${now},v1=[0-9a-f]{64}$`));
    expect(() => verifyNotificationSignature(secret, header, body, now)).not.toThrow();
  });

  it('rejects a missing header or wrong signature with 401', () => {
    expect(rejection(() => verifyNotificationSignature(secret, undefined, body, now)).httpStatus).toBe(401);
    const forged = signNotification(sandboxSecret(masterKey, 'mch_two'), body, now);
    expect(rejection(() => verifyNotificationSignature(secret, forged, body, now)).httpStatus).toBe(401);
    const header = signNotification(secret, body, now);
    expect(rejection(() => verifyNotificationSignature(secret, header, body.replace('evt_1', 'evt_2'), now)).httpStatus).toBe(401);
  });

  it('rejects a malformed header with 400', () => {
    const v1 = 'a'.repeat(64);
    for (const header of ['garbage', `v1=${v1}`, `t=${now}`, `t=soon,v1=${v1}`, `t=${now},v1=xyz`, `t=${now},=1,v1=${v1}`]) {
      expect(rejection(() => verifyNotificationSignature(secret, header, body, now)).httpStatus, header).toBe(400);
    }
  });

  it('rejects a timestamp outside the tolerance, past or future, as stale', () => {
    for (const signedAt of [now - 301, now + 301]) {
      const error = rejection(() => verifyNotificationSignature(secret, signNotification(secret, body, signedAt), body, now));
      expect(error.httpStatus).toBe(401);
      expect(error.message).toMatch(/stale/);
    }
    expect(() => verifyNotificationSignature(secret, signNotification(secret, body, now - 300), body, now)).not.toThrow();
    expect(() => verifyNotificationSignature(secret, signNotification(secret, body, now - 30), body, now, 10)).toThrow(/stale/);
  });
});
