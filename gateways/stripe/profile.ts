// What Paystead needs of Stripe without loading its client library (see gateways/lazy-adapter.ts).
import type { GatewayProfile } from '../types.js';

/** The events a merchant's endpoint should be subscribed to, by what they are about. */
export const PAYMENT_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired'] as const;
export const REFUND_EVENTS = ['refund.updated', 'refund.failed'] as const;

export const STRIPE_PROFILE: GatewayProfile = {
  name: 'stripe',
  requiresVerifiedMerchant: true,
  acknowledge(accepted) {
    return { status: accepted ? 200 : 500, contentType: 'application/json', body: accepted ? '{"received":true}' : '{"received":false}' };
  },
};
