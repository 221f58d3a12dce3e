import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/database.js';
import { getMerchant } from '../db/merchants.js';
import { migrateToLatest } from '../db/migrate.js';
import { listProducts } from '../db/products.js';
import { findSandboxPayment, insertSandboxPayment } from '../db/sandbox-ledger.js';
import { startDevDatabase, type DevDatabase } from '../devstack/dev-database.js';
import { ensureDemoMerchant } from '../devstack/demo-data.js';
import { createSimulator } from '../gateways/sandbox/simulator.js';

describe("npm run dev's embedded database (PGlite)", () => {
  const devDir = mkdtempSync(path.join(tmpdir(), 'paystead-dev-db-'));
  let database: DevDatabase;
  const pools: Db[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.destroy()));
    await database?.stop();
    rmSync(devDir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    database = await startDevDatabase(devDir, { kind: 'pglite' });
    const setup = createDb(database.url, 1);
    await migrateToLatest(setup);
    await setup.destroy();
  }, 60_000);

  it('gives every one of 50 concurrent reads, catalog lists and refunds from several pools its right answer', async () => {
    // Two pools of several connections each, as an API and a worker would open: the server must not let
    // their statements cross whatever the pool sizes.
    pools.push(createDb(database.url, 8), createDb(database.url, 8));
    const [api, worker] = pools as [Db, Db];
    const { merchantId } = await ensureDemoMerchant(api);
    const payment = await insertSandboxPayment(api, {
      id: 'sbp_devdb',
      merchantId,
      orderNo: 'DEV-1',
      amount: 1_000,
      currency: 'CNY',
      description: 'tea',
      status: 'succeeded',
      capturedAmount: 1_000,
      capturedCurrency: 'CNY',
      notifyUrl: 'http://127.0.0.1:9/unused',
      returnUrl: 'http://127.0.0.1:9/unused',
      expiresAt: new Date(Date.now() + 3_600_000),
      paidAt: new Date(),
    });
    const simulator = createSimulator({ db: worker, masterKey: Buffer.alloc(32, 1), notifier: { deliver: () => Promise.resolve('delivered') }, logger: pino({ level: 'silent' }) });
    await simulator.setBehaviour(merchantId, { refundOutcome: 'succeeded', refundNotification: 'drop', refundDelayMs: 5 });

    const wrong: string[] = [];
    const check = async (label: string, work: () => Promise<boolean>) => {
      try {
        if (!(await work())) wrong.push(label);
      } catch (error) {
        wrong.push(`${label}: ${String(error)}`);
      }
    };
    const refunds: string[] = [];
    const jobs = Array.from({ length: 50 }, (_, i) => {
      const pool = i % 2 === 0 ? api : worker;
      switch (i % 5) {
        case 0:
          return check(`merchant read ${i}`, async () => (await getMerchant(pool, merchantId))?.id === merchantId);
        case 1:
          return check(`catalog ${i}`, async () => (await listProducts(pool, merchantId)).map((p) => p.sku).sort().join() === 'CUP-002,POT-003,TEA-001');
        case 2:
          return check(`payment read ${i}`, async () => (await findSandboxPayment(pool, payment.id, merchantId))?.capturedAmount === 1_000);
        default:
          return check(`refund ${i}`, async () => {
            const outcome = await simulator.refund(merchantId, { id: `sbr_devdb_${i}`, paymentId: payment.id, amount: 100 });
            refunds.push(outcome.kind);
            return outcome.kind === 'created' || (outcome.kind === 'refused' && outcome.message.startsWith('At most 0'));
          });
      }
    });
    await Promise.all(jobs);
    expect(wrong).toEqual([]);
    // 20 refunds of 100 against 1,000 captured: exactly ten fit.
    expect(refunds.filter((kind) => kind === 'created')).toHaveLength(10);
    expect(refunds.filter((kind) => kind === 'refused')).toHaveLength(10);
  }, 60_000);
});
