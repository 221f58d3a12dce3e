// Placeholder: replaced by the real Alipay adapter.
import { GatewayError, type GatewayAdapter } from '../types.js';

export interface AlipayAdapterDeps {
  gatewayUrl: string;
}

export function createAlipayAdapter(_deps: AlipayAdapterDeps): GatewayAdapter {
  const unavailable = () => Promise.reject(new GatewayError('invalid_request', 'alipay is not available yet'));
  return {
    name: 'alipay',
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
