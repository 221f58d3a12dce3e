import type { Config } from '../core/config.js';
import type { GatewayName } from '../domain/order.js';
import { ALIPAY_PROFILE } from './alipay/profile.js';
import { lazyAdapter } from './lazy-adapter.js';
import { createSandboxAdapter } from './sandbox/adapter.js';
import { STRIPE_PROFILE } from './stripe/profile.js';
import type { GatewayAdapter, GatewayRegistry } from './types.js';
import { createUnionPayAdapter } from './unionpay/adapter.js';
import { WECHATPAY_PROFILE } from './wechatpay/profile.js';

/** The gateways this deployment offers, built once from configuration. */
export function createGatewayRegistry(config: Pick<Config, 'masterKey' | 'sandboxBaseUrl' | 'gatewayUrls'>): GatewayRegistry {
  const { gatewayUrls } = config;
  const adapters: GatewayAdapter[] = [
    createSandboxAdapter({ baseUrl: config.sandboxBaseUrl, masterKey: config.masterKey }),
    lazyAdapter(ALIPAY_PROFILE, async () => (await import('./alipay/adapter.js')).createAlipayAdapter({ gatewayUrl: gatewayUrls.alipay })),
    lazyAdapter(WECHATPAY_PROFILE, async () => (await import('./wechatpay/adapter.js')).createWechatPayAdapter({ baseUrl: gatewayUrls.wechatpay })),
    // ACP needs only node:crypto: nothing to defer.
    createUnionPayAdapter({ baseUrl: gatewayUrls.unionpay }),
    lazyAdapter(STRIPE_PROFILE, async () => (await import('./stripe/adapter.js')).createStripeAdapter({ apiUrl: gatewayUrls.stripe })),
  ];
  return new Map<GatewayName, GatewayAdapter>(adapters.map((adapter) => [adapter.name, adapter]));
}
