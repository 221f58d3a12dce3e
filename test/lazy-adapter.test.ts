import { describe, expect, it } from 'vitest';
import { lazyAdapter } from '../gateways/lazy-adapter.js';
import { STRIPE_PROFILE } from '../gateways/stripe/profile.js';
import type { GatewayAdapter } from '../gateways/types.js';

describe('a gateway loaded on first use', () => {
  it('answers from its profile without loading, and loads once when called', async () => {
    let loads = 0;
    const calls: string[] = [];
    const adapter = lazyAdapter(STRIPE_PROFILE, () => {
      loads += 1;
      return Promise.resolve({
        ...STRIPE_PROFILE,
        queryPayment: (_ctx, { paymentId }) => {
          calls.push(paymentId);
          return Promise.resolve({ status: 'pending' });
        },
      } as GatewayAdapter);
    });
    expect(adapter.name).toBe('stripe');
    expect(adapter.requiresVerifiedMerchant).toBe(true);
    expect(adapter.acknowledge(true).body).toBe('{"received":true}');
    expect(loads).toBe(0);
    const ctx = { merchantId: 'mch_1', mode: 'live' as const, credentials: {}, notifyUrl: 'http://localhost/webhooks/stripe/mch_1' };
    const results = await Promise.all(['pay_a', 'pay_b'].map((paymentId) => adapter.queryPayment(ctx, { paymentId, createdAt: new Date().toISOString() })));
    expect(results).toEqual([{ status: 'pending' }, { status: 'pending' }]);
    expect(calls).toEqual(['pay_a', 'pay_b']);
    expect(loads).toBe(1);
  });
});
