import { ApplicationFailure, Context } from '@temporalio/activity';
import { getMerchant } from '../db/merchants.js';
import type { Mode } from '../core/modes.js';
import type { GatewayName } from '../domain/gateways.js';
import { loadGatewayContext } from '../gateways/context.js';
import { GatewayError, type CreatePaymentRequest, type GatewayAdapter, type PaymentRef, type RefundRef, type RefundRequest } from '../gateways/types.js';
import type { ActivityDeps } from './deps.js';

interface GatewayTarget {
  merchantId: string;
  gateway: GatewayName;
  /** The order's mode: which of the merchant's credentials (and which gateway environment) to use. */
  mode: Mode;
}

const paymentRef = ({ paymentId, createdAt, gatewayReference }: PaymentRef): PaymentRef => ({ paymentId, createdAt, gatewayReference });

/** Well within the gateway activities' heartbeat timeout (workflows/activity-proxies.ts). */
const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * Runs `fn` beating every second while it lasts (a quick call sends no beat at all): if this worker dies
 * mid-call, Temporal retries the call elsewhere once the beats stop, not after the whole start-to-close
 * timeout. Local activities (checkout's) cannot beat; they die with the workflow task that runs them.
 */
async function heartbeating<T>(fn: () => Promise<T>): Promise<T> {
  const context = Context.current();
  if (context.info.isLocal) return fn();
  const beat = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await fn();
  } finally {
    clearInterval(beat);
  }
}

export function createGatewayActivities(deps: ActivityDeps) {
  /** The gateway's adapter for the order's mode: a test order never reaches a gateway's live endpoint. */
  function adapterFor({ gateway, mode }: GatewayTarget): GatewayAdapter {
    const adapter = deps.gateways.get(gateway, mode);
    if (!adapter) throw ApplicationFailure.nonRetryable(`The ${gateway} gateway is not available in ${mode} mode.`, 'GatewayRejected');
    return adapter;
  }

  /**
   * Runs one gateway call with the merchant's context. Rejections (invalid parameters, authentication)
   * become non-retryable failures with the gateway's message; everything else is retried by Temporal.
   */
  async function call<T>(target: GatewayTarget, fn: (adapter: GatewayAdapter, ctx: Awaited<ReturnType<typeof loadGatewayContext>>) => Promise<T>): Promise<T> {
    const adapter = adapterFor(target);
    const ctx = await loadGatewayContext(deps, target.merchantId, target.gateway, target.mode);
    try {
      return await heartbeating(() => fn(adapter, ctx));
    } catch (error) {
      if (error instanceof GatewayError && !error.retryable) {
        throw ApplicationFailure.nonRetryable(`${target.gateway}: ${error.message}`, 'GatewayRejected');
      }
      throw error;
    }
  }

  return {
    /** Idempotent at the gateway: our payment id is its idempotency key / out-trade-number. */
    async createGatewayPayment(input: GatewayTarget & { request: CreatePaymentRequest }) {
      const adapter = adapterFor(input);
      if (adapter.requiresVerifiedMerchant) {
        const merchant = await getMerchant(deps.db, input.merchantId);
        if (!merchant) throw new Error(`Merchant ${input.merchantId} does not exist.`);
        if (merchant.status !== 'active') {
          throw ApplicationFailure.nonRetryable(`${input.gateway} accepts payments only for verified merchants.`, 'GatewayRejected');
        }
      }
      return call(input, (a, ctx) => a.createPayment(ctx, input.request));
    },

    async queryGatewayPayment(input: GatewayTarget & PaymentRef) {
      return call(input, (a, ctx) => a.queryPayment(ctx, paymentRef(input)));
    },

    async closeGatewayPayment(input: GatewayTarget & PaymentRef) {
      return call(input, (a, ctx) => a.closePayment(ctx, paymentRef(input)));
    },

    /**
     * Our refund id is the gateway's idempotency key. A retry whose earlier attempt may have reached the
     * gateway (a timeout, say) asks first whether that refund exists, rather than repeating it blindly.
     */
    async refundGatewayPayment(input: GatewayTarget & { request: RefundRequest }) {
      return call(input, async (a, ctx) => {
        if (Context.current().info.attempt > 1) {
          const { refundId, paymentId, createdAt } = input.request;
          const existing = await a.queryRefund(ctx, { refundId, paymentId, createdAt });
          if (existing.status !== 'not_found') return existing;
        }
        return a.refund(ctx, input.request);
      });
    },

    async queryGatewayRefund(input: GatewayTarget & RefundRef) {
      const { refundId, paymentId, createdAt, refundReference } = input;
      return call(input, (a, ctx) => a.queryRefund(ctx, { refundId, paymentId, createdAt, refundReference }));
    },
  };
}
