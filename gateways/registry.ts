import type { Config } from '../core/config.js';
import { MODES, type Mode } from '../core/modes.js';
import { GATEWAY_PROFILES, GATEWAYS, type GatewayName } from '../domain/gateways.js';
import { ALIPAY_PROFILE } from './alipay/profile.js';
import { lazyAdapter } from './lazy-adapter.js';
import { createSandboxAdapter } from './sandbox/adapter.js';
import { STRIPE_PROFILE } from './stripe/profile.js';
import type { GatewayAdapter, GatewayRegistry } from './types.js';
import { createUnionPayAdapter } from './unionpay/adapter.js';
import { WECHATPAY_PROFILE } from './wechatpay/profile.js';

type RegistryConfig = Pick<Config, 'masterKey' | 'sandboxBaseUrl' | 'sandboxEnabled' | 'gatewayUrls'>;

/**
 * How each gateway in the profile (domain/gateways.ts) gets its adapter for one mode, from where it is
 * reached in that mode; undefined where the deployment does not offer it in that mode.
 */
const ADAPTERS: Record<GatewayName, (config: RegistryConfig, mode: Mode) => GatewayAdapter | undefined> = {
  sandbox: (config) => (config.sandboxEnabled ? createSandboxAdapter({ baseUrl: config.sandboxBaseUrl, masterKey: config.masterKey }) : undefined),
  alipay: ({ gatewayUrls }, mode) => {
    const gatewayUrl = gatewayUrls[mode].alipay;
    return lazyAdapter(ALIPAY_PROFILE, async () => (await import('./alipay/adapter.js')).createAlipayAdapter({ gatewayUrl }));
  },
  wechatpay: ({ gatewayUrls }, mode) => {
    const baseUrl = gatewayUrls[mode].wechatpay;
    return baseUrl === undefined ? undefined : lazyAdapter(WECHATPAY_PROFILE, async () => (await import('./wechatpay/adapter.js')).createWechatPayAdapter({ baseUrl }));
  },
  // ACP needs only node:crypto: nothing to defer.
  unionpay: ({ gatewayUrls }, mode) => createUnionPayAdapter({ baseUrl: gatewayUrls[mode].unionpay }),
  // Stripe has one API for both modes: the key (sk_test_… or sk_live_…) says which.
  stripe: ({ gatewayUrls }, mode) => {
    const apiUrl = gatewayUrls[mode].stripe;
    return lazyAdapter(STRIPE_PROFILE, async () => (await import('./stripe/adapter.js')).createStripeAdapter({ apiUrl }));
  },
};

/** The adapters for one mode: the gateways whose profiles name it and that this deployment offers in it. */
function adaptersFor(config: RegistryConfig, mode: Mode): ReadonlyMap<GatewayName, GatewayAdapter> {
  const adapters = new Map<GatewayName, GatewayAdapter>();
  for (const gateway of GATEWAYS) {
    if (!GATEWAY_PROFILES[gateway].modes.includes(mode)) continue;
    const adapter = ADAPTERS[gateway](config, mode);
    if (adapter) adapters.set(gateway, adapter);
  }
  return adapters;
}

/** The gateways this deployment offers, per mode, built once from configuration. */
export function createGatewayRegistry(config: RegistryConfig): GatewayRegistry {
  const byMode: Record<Mode, ReadonlyMap<GatewayName, GatewayAdapter>> = { test: adaptersFor(config, 'test'), live: adaptersFor(config, 'live') };
  return {
    get: (gateway, mode) => byMode[mode].get(gateway),
    modesOf: (gateway) => MODES.filter((mode) => byMode[mode].has(gateway)),
  };
}
