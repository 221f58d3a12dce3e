// What Paystead needs of Alipay without loading its client library (see gateways/lazy-adapter.ts).
import type { GatewayProfile } from '../types.js';

export const ALIPAY_PROFILE: GatewayProfile = {
  name: 'alipay',
  currencies: ['CNY'],
  requiresVerifiedMerchant: true,
  acknowledge(accepted) {
    // Alipay stops retrying only on exactly `success`; anything else and it tries again later.
    return accepted ? { status: 200, contentType: 'text/plain', body: 'success' } : { status: 500, contentType: 'text/plain', body: 'fail' };
  },
};
