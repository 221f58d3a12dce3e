import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { CREDENTIAL_FIELD_NAMES, GATEWAY_PROFILES, GATEWAYS } from '../domain/gateways.js';

/** A value as a merchant would paste it, with a marker that must never reach the log. */
function realLooking(kind: 'text' | 'pem', marker: string): string {
  return kind === 'pem' ? `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${marker}\n-----END PRIVATE KEY-----\n` : `sk_live_${marker}`;
}

describe('log redaction', () => {
  it('writes no gateway credential, key or token, wherever a request or webhook log line carries them', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) });
    const logger = createLogger('info', 'test', { secretFields: CREDENTIAL_FIELD_NAMES, destination });
    const secrets: string[] = [];
    const secret = () => {
      const marker = randomBytes(12).toString('hex');
      secrets.push(marker);
      return marker;
    };

    const merchantId = 'mch_visible';
    for (const gateway of GATEWAYS) {
      const credentials = Object.fromEntries(GATEWAY_PROFILES[gateway].credentials.map((field) => [field.name, realLooking(field.kind, secret())]));
      const headers = { authorization: `Bearer sk_${secret()}`, cookie: `paystead_admin=${secret()}`, 'content-type': 'application/json' };
      const path = `/webhooks/${gateway}/${merchantId}`;
      logger.info({ req: { method: 'PUT', url: `/v1/admin/gateways/${gateway}/credentials`, headers, body: credentials } }, 'request');
      logger.info({ method: 'POST', path, headers, body: { credentials } }, 'webhook');
      logger.info({ gateway, merchantId, credentials }, 'credentials saved');
      logger.warn(credentials, 'credentials at the top level');
    }
    logger.info({ secretKey: secret(), adminKey: secret(), masterKey: secret(), config: { platformApiKey: secret() }, order: { viewToken: secret() }, session: { token: secret(), csrfToken: secret() } }, 'keys and tokens');

    const output = lines.join('');
    expect(lines).toHaveLength(GATEWAYS.length * 4 + 1);
    expect(output).toContain(`/webhooks/stripe/${merchantId}`);
    expect(output).toContain('[redacted]');
    for (const marker of secrets) expect(output).not.toContain(marker);
    for (const name of ['apiV3Key', 'signPrivateKey', 'webhookSecret']) expect(CREDENTIAL_FIELD_NAMES).toContain(name);
  });
});
