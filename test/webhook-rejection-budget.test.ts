import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SIGNATURE_HEADER, signNotification } from '../gateways/sandbox/signature.js';
import { REJECTED_NOTIFICATION_BUDGET as BUDGET } from '../services/notification-intake.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

describe('rejected notifications', () => {
  let stack: Stack;
  let merchant: Merchant;
  beforeAll(async () => {
    stack = await startStack();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const forge = (i: number, padding = 0) =>
    fetch(`${stack.baseUrl}/webhooks/sandbox/${merchant.merchantId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signNotification('not-the-secret', '{}', Math.floor(Date.now() / 1000)) },
      body: JSON.stringify({ id: `evt_forged_${i}`, type: 'payment.succeeded', padding: 'x'.repeat(padding) }),
    });

  it('are stored only within the budget per merchant and gateway; the rest are counted', async () => {
    // Large ones first (each under the 64 KiB an edge limit allows): the byte cap holds before the count cap.
    const large = 60 * 1024;
    const total = BUDGET.maxStored + BUDGET.maxSampled + 40;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await forge(i, large)).status);
    for (let batch = 6; batch < total; batch += 10) {
      const responses = await Promise.all(Array.from({ length: Math.min(10, total - batch) }, (_, j) => forge(batch + j)));
      statuses.push(...responses.map((response) => response.status));
    }
    expect(new Set(statuses)).toEqual(new Set([401]));

    const rows = await stack.db.selectFrom('webhookEvents').select(['body', 'headers', 'verificationError']).where('merchantId', '=', merchant.merchantId).where('verified', '=', false).execute();
    const sampled = rows.filter((row) => row.verificationError?.includes('over the storage budget'));
    const full = rows.filter((row) => !sampled.includes(row));
    expect(full.length).toBeLessThanOrEqual(BUDGET.maxStored);
    expect(full.reduce((sum, row) => sum + Buffer.byteLength(row.body) + Buffer.byteLength(JSON.stringify(row.headers)), 0)).toBeLessThanOrEqual(BUDGET.maxStoredBytes);
    expect(sampled).toHaveLength(BUDGET.maxSampled);
    for (const row of sampled) expect(Buffer.byteLength(row.body)).toBeLessThanOrEqual(BUDGET.sampleBytes);

    // The operators' counter: every one received is counted, stored or not.
    const windows = await stack.db.selectFrom('webhookRejectionWindows').selectAll().where('merchantId', '=', merchant.merchantId).execute();
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ gateway: 'sandbox', received: total, stored: full.length, sampled: BUDGET.maxSampled });
    expect(windows[0]!.storedBytes).toBeLessThanOrEqual(BUDGET.maxStoredBytes);
  });
});
