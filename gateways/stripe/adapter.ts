// Placeholder: replaced by the real Stripe adapter.
import { GatewayError, type GatewayAdapter } from '../types.js';

export interface StripeAdapterDeps {
  apiUrl: string;
}

export function createStripeAdapter(_deps: StripeAdapterDeps): GatewayAdapter {
  const unavailable = () => Promise.reject(new GatewayError('invalid_request', 'stripe is not available yet'));
  return {
    name: 'stripe',
    requiresVerifiedMerchant: true,
    createPayment: unavailable,
    queryPayment: unavailable,
    closePayment: unavailable,
    refund: unavailable,
    queryRefund: unavailable,
    verifyNotification: unavailable,
    acknowledge: (accepted) => ({ status: accepted ? 200 : 500, contentType: 'text/plain', body: '' }),
  };
}
