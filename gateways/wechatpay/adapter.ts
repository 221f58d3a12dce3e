// Placeholder: replaced by the real WechatPay adapter.
import { GatewayError, type GatewayAdapter } from '../types.js';

export interface WechatPayAdapterDeps {
  baseUrl: string;
}

export function createWechatPayAdapter(_deps: WechatPayAdapterDeps): GatewayAdapter {
  const unavailable = () => Promise.reject(new GatewayError('invalid_request', 'wechatpay is not available yet'));
  return {
    name: 'wechatpay',
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
