import type { Config } from '../core/config.js';
import { GATEWAYS, type GatewayName } from '../domain/gateways.js';
import { ALIPAY_PROFILE } from './alipay/profile.js';
import { lazyAdapter } from './lazy-adapter.js';
import { createSandboxAdapter } from './sandbox/adapter.js';
import { STRIPE_PROFILE } from './stripe/profile.js';
import type { GatewayAdapter, GatewayRegistry } from './types.js';
import { createUnionPayAdapter } from './unionpay/adapter.js';
import { WECHATPAY_PROFILE } from './wechatpay/profile.js';

type RegistryConfig = Pick<Config, 'masterKey' | 'sandboxBaseUrl' | 'gatewayUrls'>;

/** How each gateway in the profile (domain/gateways.ts) gets its adapter. */
const ADAPTERS: Record<GatewayName, (config: RegistryConfig) => GatewayAdapter> = {
  sandbox: (config) => createSandboxAdapter({ baseUrl: config.sandboxBaseUrl, masterKey: config.masterKey }),
  alipay: ({ gatewayUrls }) => lazyAdapter(ALIPAY_PROFILE, async () => (await import('./alipay/adapter.js')).createAlipayAdapter({ gatewayUrl: gatewayUrls.alipay })),
  wechatpay: ({ gatewayUrls }) => lazyAdapter(WECHATPAY_PROFILE, async () => (await import('./wechatpay/adapter.js')).createWechatPayAdapter({ baseUrl: gatewayUrls.wechatpay })),
  // ACP needs only node:crypto: nothing to defer.
  unionpay: ({ gatewayUrls }) => createUnionPayAdapter({ baseUrl: gatewayUrls.unionpay }),
  stripe: ({ gatewayUrls }) => lazyAdapter(STRIPE_PROFILE, async () => (await import('./stripe/adapter.js')).createStripeAdapter({ apiUrl: gatewayUrls.stripe })),
};

/** The gateways this deployment offers, built once from configuration. */
export function createGatewayRegistry(config: RegistryConfig): GatewayRegistry {
  return new Map(GATEWAYS.map((gateway) => [gateway, ADAPTERS[gateway](config)]));
}
