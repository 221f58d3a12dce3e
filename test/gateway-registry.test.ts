// The registry against the gateway profiles (domain/gateways.ts). That every gateway has a registry entry,
// credential fields, an admin label and customer words, and that every status has a tone and words, the
// compiler checks (`Record<GatewayName, …>`, `Record<OrderStatus | …, …>`, exhaustive switches); what it
// cannot see is an entry wired to another gateway's adapter, or an adapter that overrides its profile.
import { describe, expect, it } from 'vitest';
import { GATEWAYS, profileOf } from '../domain/gateways.js';
import { createGatewayRegistry } from '../gateways/registry.js';

describe('the gateway registry', () => {
  it('holds each gateway under its own name, presenting its profile', () => {
    const registry = createGatewayRegistry({
      masterKey: Buffer.alloc(32),
      sandboxBaseUrl: 'http://localhost:3000',
      gatewayUrls: { alipay: 'http://alipay.test/gateway.do', wechatpay: 'http://wechatpay.test/', unionpay: 'http://unionpay.test', stripe: 'http://stripe.test' },
    });
    for (const gateway of GATEWAYS) expect(registry.get(gateway)).toMatchObject(profileOf(gateway));
  });
});
