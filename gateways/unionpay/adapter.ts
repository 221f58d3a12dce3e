// Placeholder: replaced by the real UnionPay adapter.
import { GatewayError, type GatewayAdapter } from '../types.js';

export interface UnionPayAdapterDeps {
  baseUrl: string;
}

export function createUnionPayAdapter(_deps: UnionPayAdapterDeps): GatewayAdapter {
  const unavailable = () => Promise.reject(new GatewayError('invalid_request', 'unionpay is not available yet'));
  return {
    name: 'unionpay',
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
