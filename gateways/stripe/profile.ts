// What Paystead needs of Stripe without loading its client library (see gateways/lazy-adapter.ts).
import { profileOf } from '../../domain/gateways.js';
import type { AdapterProfile } from '../types.js';

export const STRIPE_PROFILE: AdapterProfile = {
  ...profileOf('stripe'),
  acknowledge(accepted) {
    return { status: accepted ? 200 : 500, contentType: 'application/json', body: accepted ? '{"received":true}' : '{"received":false}' };
  },
};
