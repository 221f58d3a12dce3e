// The registry against the gateway profiles (domain/gateways.ts). That every gateway has a registry entry,
// credential fields, an admin label and customer words, and that every status has a tone and words, the
// compiler checks (`Record<GatewayName, …>`, `Record<OrderStatus | …, …>`, exhaustive switches); what it
// cannot see is an entry wired to another gateway's adapter, or an adapter that overrides its profile.
import { describe, expect, it } from 'vitest';
import { GATEWAYS, profileOf } from '../domain/gateways.js';
import { createGatewayRegistry } from '../gateways/registry.js';

describe('the gateway registry', () => {
  const urls = { alipay: 'http://alipay.test/gateway.do', wechatpay: 'http://wechatpay.test/', unionpay: 'http://unionpay.test', stripe: 'http://stripe.test' };
  const base = { masterKey: Buffer.alloc(32), sandboxBaseUrl: 'http://localhost:3000', sandboxEnabled: true };

  it('holds each gateway under its own name, presenting its profile, in the modes the profile names', () => {
    const registry = createGatewayRegistry({ ...base, gatewayUrls: { live: urls, test: urls } });
    for (const gateway of GATEWAYS) {
      expect(registry.modesOf(gateway)).toEqual(profileOf(gateway).modes.length === 2 ? ['test', 'live'] : ['test']);
      for (const mode of registry.modesOf(gateway)) expect(registry.get(gateway, mode)).toMatchObject(profileOf(gateway));
    }
    // The sandbox takes no live order.
    expect(registry.get('sandbox', 'live')).toBeUndefined();
  });

  it('offers WeChat Pay in test mode only with a test URL, and no sandbox at all when it is switched off', () => {
    const { wechatpay: _none, ...withoutWechat } = urls;
    const registry = createGatewayRegistry({ ...base, sandboxEnabled: false, gatewayUrls: { live: urls, test: withoutWechat } });
    expect(registry.modesOf('wechatpay')).toEqual(['live']);
    expect(registry.get('wechatpay', 'test')).toBeUndefined();
    expect(registry.modesOf('sandbox')).toEqual([]);
    expect(registry.get('sandbox', 'test')).toBeUndefined();
  });
});
