// What Paystead needs of Stripe without loading its client library (see gateways/lazy-adapter.ts).
import type { GatewayProfile } from '../types.js';

export const STRIPE_PROFILE: GatewayProfile = {
  name: 'stripe',
  requiresVerifiedMerchant: true,
  acknowledge(accepted) {
    return { status: accepted ? 200 : 500, contentType: 'application/json', body: accepted ? '{"received":true}' : '{"received":false}' };
  },
};
