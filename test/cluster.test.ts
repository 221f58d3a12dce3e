// The production topology for real: a Temporal server on Postgres (deploy/temporal/config.yaml, 4 history
// shards), two APIs and one worker, each its own process, started by `startCluster` as `npm run cluster` does.
// One sandbox order goes to paid through it, its checkout on one API and the rest on the other.
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTE_NAMES } from '../core/search-attributes.js';
import { createDb } from '../db/database.js';
import { createMerchant, verifyMerchant } from '../db/merchants.js';
import { insertProduct } from '../db/products.js';
import { apiRequest } from '../devstack/api-request.js';
import { startCluster, type Cluster } from '../devstack/cluster.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the cluster topology', () => {
  let cluster: Cluster | undefined;
  let connection: Connection | undefined;

  beforeAll(async () => {
    cluster = await startCluster({ apis: 2, workers: 1, env: { LOG_LEVEL: 'warn' } });
    connection = await Connection.connect({ address: cluster.temporalAddress });
  }, 240_000);

  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  }, 60_000);

  async function newMerchant(n: number): Promise<{ merchantId: string; secretKey: string }> {
    const db = createDb(cluster!.databaseUrl, 1);
    try {
      const created = await createMerchant(db, { name: `Cluster Store ${n}`, contactEmail: `cluster${n}@paystead.test`, businessLicenceNo: `BL-CLUSTER-${n}`, taxRegistrationNo: `TX-CLUSTER-${n}` });
      await verifyMerchant(db, created.merchant.id);
      await insertProduct(db, { merchantId: created.merchant.id, sku: 'TEA', name: 'Oolong tea', unitAmount: 12_800, currency: 'CNY', active: true });
      return { merchantId: created.merchant.id, secretKey: created.secretKey };
    } finally {
      await db.destroy();
    }
  }

  const sandboxKey = (merchantId: string) => sandboxSecret(Buffer.from(cluster!.env.MASTER_KEY!, 'base64'), merchantId);

  it('runs Temporal with the configured 4 history shards and Paystead\'s search attributes', async () => {
    const info = await connection!.workflowService.getClusterInfo({});
    expect(info.historyShardCount).toBe(4);
    const { customAttributes } = await connection!.operatorService.listSearchAttributes({ namespace: cluster!.namespace });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTE_NAMES));
  });

  it('takes a sandbox order to paid across both APIs', async () => {
    const [first, second] = cluster!.apiUrls as [string, string];
    const { merchantId, secretKey } = await newMerchant(1);

    const body = {
      items: [{ sku: 'TEA', quantity: 1 }],
      customer: { name: 'Cluster Customer', email: 'customer@cluster.test', phone: '+86 138 0000 0000' },
      shippingAddress: { line1: '1 Cluster Road', city: 'Hangzhou', postalCode: '310000', country: 'CN' },
      paymentMethod: 'sandbox',
    };
    const headers = { 'idempotency-key': 'cluster-test-1' };
    const checkout = await apiRequest(first, 'POST', '/v1/checkouts', { key: secretKey, headers, body });
    expect(checkout.status, checkout.text).toBe(201);
    const orderId = checkout.body.order.id as string;
    // The same checkout replayed on the other API answers with the same order.
    const replay = await apiRequest(second, 'POST', '/v1/checkouts', { key: secretKey, headers, body });
    expect(replay.body.order?.id, replay.text).toBe(orderId);

    const paid = await apiRequest(second, 'POST', `/sandbox/api/merchants/${merchantId}/control/payments/${checkout.body.payment.id}/complete`, {
      key: sandboxKey(merchantId),
      body: { outcome: 'succeeded' },
    });
    expect(paid.status, paid.text).toBe(200);

    let status: string | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
      const order = await apiRequest(second, 'GET', `/v1/orders/${orderId}`, { key: secretKey });
      status = order.body.status;
      if (status === 'paid') break;
    }
    expect(status).toBe('paid');
  });

  it('keeps the sandbox\'s switches on every API: set through one, they hold on the other', async () => {
    const [first, second] = cluster!.apiUrls as [string, string];
    const { merchantId } = await newMerchant(2);
    const today = new Date().toISOString().slice(0, 10);
    const statement = `/sandbox/api/merchants/${merchantId}/statements/${today}?timeZone=UTC`;
    const before = await apiRequest(second, 'GET', statement, { key: sandboxKey(merchantId) });
    expect(before.status, before.text).toBe(409);
    const set = await apiRequest(first, 'PUT', `/sandbox/api/merchants/${merchantId}/control/behaviour`, { key: sandboxKey(merchantId), body: { openDayStatements: true } });
    expect(set.status, set.text).toBe(200);
    const after = await apiRequest(second, 'GET', statement, { key: sandboxKey(merchantId) });
    expect(after.status, after.text).toBe(200);
  });
});
