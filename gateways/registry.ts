import type { Config } from '../core/config.js';
import type { GatewayName } from '../domain/order.js';
import { createSandboxAdapter } from './sandbox/adapter.js';
import type { GatewayAdapter, GatewayRegistry } from './types.js';

/** The gateways this deployment offers, built once from configuration. */
export function createGatewayRegistry(config: Pick<Config, 'masterKey' | 'sandboxBaseUrl'>): GatewayRegistry {
  const adapters: GatewayAdapter[] = [createSandboxAdapter({ baseUrl: config.sandboxBaseUrl, masterKey: config.masterKey })];
  return new Map<GatewayName, GatewayAdapter>(adapters.map((adapter) => [adapter.name, adapter]));
}
