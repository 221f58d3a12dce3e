import type { Config } from '../core/config.js';
import type { GatewayName } from '../domain/order.js';
import { createAlipayAdapter } from './alipay/adapter.js';
import { createSandboxAdapter } from './sandbox/adapter.js';
import { createStripeAdapter } from './stripe/adapter.js';
import type { GatewayAdapter, GatewayRegistry } from './types.js';
import { createUnionPayAdapter } from './unionpay/adapter.js';
import { createWechatPayAdapter } from './wechatpay/adapter.js';

/** The gateways this deployment offers, built once from configuration. */
export function createGatewayRegistry(config: Pick<Config, 'masterKey' | 'sandboxBaseUrl' | 'gatewayUrls'>): GatewayRegistry {
  const adapters: GatewayAdapter[] = [
    createSandboxAdapter({ baseUrl: config.sandboxBaseUrl, masterKey: config.masterKey }),
    createAlipayAdapter({ gatewayUrl: config.gatewayUrls.alipay }),
    createWechatPayAdapter({ baseUrl: config.gatewayUrls.wechatpay }),
    createUnionPayAdapter({ baseUrl: config.gatewayUrls.unionpay }),
    createStripeAdapter({ apiUrl: config.gatewayUrls.stripe }),
  ];
  return new Map<GatewayName, GatewayAdapter>(adapters.map((adapter) => [adapter.name, adapter]));
}
