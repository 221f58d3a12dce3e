// Nothing wedges an order: a projection the database refuses for good raises an alert and answers the
// waiting call; checkout against a gateway that cannot be reached answers within its bound and the order
// ends cancelled; an action that cannot finish within its bound answers 504 order_busy.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import { sandboxSecret } from '../gateways/sandbox/signature.js';
import { stateQuery } from '../workflows/messages.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';

const BOUNDS = { CHECKOUT_TIMEOUT_SECONDS: '8', ORDER_ACTION_TIMEOUT_SECONDS: '3', PAYMENT_CREATION_TIMEOUT_SECONDS: '2' };

describe('bounded calls and final failures', () => {
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    stack = await startStack(BOUNDS);
    await stack.startWorker();
    merchant = await stack.createMerchant();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A paid order of `merchant`. */
  async function paidOrder(): Promise<string> {
    const { status, body } = await stack.checkout(merchant);
    expect(status, JSON.stringify(body)).toBe(201);
    await stack.pay(merchant, body.payment.id);
    await stack.waitForOrder(merchant, body.order.id, (o) => o.status === 'paid');
    return body.order.id;
  }

  /** Makes the database act on one order's move to `confirmed`: refuse it (a 23514) or take `seconds` over it. */
  async function onConfirm(orderId: string, action: { refuse: true } | { sleepSeconds: number }) {
    const name = `on_confirm_${orderId.replace(/\W/g, '_')}`;
    const body = 'refuse' in action ? `raise exception 'refused for the test' using errcode = '23514';` : `perform pg_sleep(${action.sleepSeconds});`;
    await sql
      .raw(
        `create function ${name}() returns trigger language plpgsql as $$ begin
           if new.id = '${orderId}' and new.status = 'confirmed' and old.status <> 'confirmed' then ${body} end if;
           return new; end $$;
         create trigger ${name} before update on orders for each row execute function ${name}();`,
      )
      .execute(stack.db);
  }

  it('marks an order projection_failed when the database refuses its projection, and answers the waiting call', async () => {
    const orderId = await paidOrder();
    await onConfirm(orderId, { refuse: true });
    const started = Date.now();
    const confirm = await stack.request('POST', `/v1/admin/orders/${orderId}/confirm`, { key: merchant.adminKey });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(500);
    expect(confirm.body.error.code).toBe('projection_failed');
    expect(confirm.body.error.message).toContain('projection_failed');
    expect(Date.now() - started).toBeLessThan(3_000);

    // The order read carries the alert; the workflow's own state holds the truth and the timeline entry.
    const read = await stack.waitForOrder(merchant, orderId, (o) => o.alerts?.includes('projection_failed'), 5_000);
    expect(read.status).toBe('paid');
    const handle = stack.client.workflow.getHandle(await stack.workflowId(orderId));
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('confirmed');
    expect(state.timeline.map((e) => e.event)).toContain('projection_failed');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(ORDER_SEARCH_KEYS.alert)).toBe('projection_failed');
    await stack.recordHistory(orderId, 'projection-failed');
  });

  it('answers an action that cannot finish within its bound with 504 order_busy, and finishes it in the background', async () => {
    const orderId = await paidOrder();
    await onConfirm(orderId, { sleepSeconds: 6 });
    const started = Date.now();
    const confirm = await stack.request('POST', `/v1/admin/orders/${orderId}/confirm`, { key: merchant.adminKey });
    const took = Date.now() - started;
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(504);
    expect(confirm.body.error.code).toBe('order_busy');
    expect(Number(confirm.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(took).toBeLessThan(5_000);
    await stack.waitForOrder(merchant, orderId, (o) => o.status === 'confirmed', 15_000);
  });

  it('answers a checkout whose gateway cannot be reached within its bound, and cancels the order with the reason', async () => {
    const down = await stack.createMerchant();
    const faults = await stack.request('PUT', `/sandbox/api/merchants/${down.merchantId}/control/faults`, {
      key: sandboxSecret(stack.config.masterKey, down.merchantId),
      body: { operations: ['createPayment'], error500: { probability: 1 } },
    });
    expect(faults.status).toBe(200);
    const started = Date.now();
    const idempotencyKey = `unreachable-${Date.now()}`;
    const { status, body, headers } = await stack.checkout(down, { idempotencyKey });
    expect(Date.now() - started).toBeLessThan(8_000 + 1_000);
    expect([502, 504], JSON.stringify(body)).toContain(status);
    expect(body.error.code).toBe(status === 502 ? 'gateway_unavailable' : 'order_busy');
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);

    // The merchant finds the order cancelled, with the gateway's reason; so does the storefront.
    const deadline = Date.now() + 15_000;
    let listed: { id: string; status: string } | undefined;
    while (Date.now() < deadline && listed?.status !== 'cancelled') {
      listed = (await stack.request('GET', '/v1/admin/orders', { key: down.adminKey })).body.orders?.[0];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed?.status).toBe('cancelled');
    const forMerchant = await stack.order(down, listed!.id, down.adminKey);
    expect(forMerchant.body.statusReason).toMatch(/could not be reached.*HTTP 500/);
    expect(forMerchant.body.timeline.map((e: { event: string }) => e.event)).toContain('payment_creation_failed');
    const forStorefront = await stack.order(down, listed!.id);
    expect(forStorefront.body.status).toBe('cancelled');
    // The storefront retrying the same checkout hears that it failed for good, with the reason.
    const retried = await stack.checkout(down, { idempotencyKey });
    expect(retried.status, JSON.stringify(retried.body)).toBe(409);
    expect(retried.body.error.code).toBe('checkout_failed');
    expect(retried.body.error.message).toMatch(/could not be reached/);
    await stack.recordHistory(listed!.id, 'gateway-unreachable');
  });
});
