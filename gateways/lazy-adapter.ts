// A gateway whose client library loads on first use. The SDKs of Alipay, WeChat Pay and Stripe add about
// 65 MiB to every API and worker process; a deployment loads only those its merchants actually use.
import { GatewayError, type AdapterProfile, type GatewayAdapter } from './types.js';

export function lazyAdapter(profile: AdapterProfile, load: () => Promise<GatewayAdapter>): GatewayAdapter {
  let adapter: Promise<GatewayAdapter> | undefined;
  const loaded = () => (adapter ??= load());
  return {
    ...profile,
    createPayment: async (ctx, request) => (await loaded()).createPayment(ctx, request),
    queryPayment: async (ctx, payment) => (await loaded()).queryPayment(ctx, payment),
    closePayment: async (ctx, payment) => (await loaded()).closePayment(ctx, payment),
    refund: async (ctx, request) => (await loaded()).refund(ctx, request),
    queryRefund: async (ctx, refund) => (await loaded()).queryRefund(ctx, refund),
    verifyNotification: async (ctx, raw) => (await loaded()).verifyNotification(ctx, raw),
    fetchStatement: async (ctx, day) => {
      const adapter = await loaded();
      if (!adapter.fetchStatement) throw new GatewayError('invalid_request', `${profile.name} statements cannot be fetched yet.`);
      return adapter.fetchStatement(ctx, day);
    },
  };
}
