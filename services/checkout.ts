// Checkout: prices the cart from the catalog, starts the order's workflow and returns the payment action,
// in one call (update-with-start). The workflow id derives from the merchant and the Idempotency-Key, so a
// retried request can never make a second order.
import { createHash, randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApiError } from '../core/errors.js';
import { LOCALES } from '../core/i18n/locales.js';
import { metrics, type CheckoutOutcome } from '../core/metrics.js';
import { newId } from '../core/ids.js';
import { isLive, type Mode } from '../core/modes.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import { hasGatewayCredentials } from '../db/gateway-credentials.js';
import type { MerchantSettings } from '../db/merchants.js';
import { findOrderByIdempotencyKey } from '../db/order-reads.js';
import { GATEWAY_PROFILES, GATEWAYS, hasCredentialFields, PAYMENT_FLOWS, type GatewayName, type PaymentFlow } from '../domain/gateways.js';
import { deviceOf, flowForDevice, missingPayerFacts } from '../domain/payment-flows.js';
import type { GatewayAdapter, GatewayRegistry } from '../gateways/types.js';
import type { OrderInput, OrderState } from '../domain/order.js';
import type { Quote } from '../domain/pricing.js';
import { checkoutUpdate, type CheckoutResult } from '../workflows/messages.js';
import type { orderWorkflow } from '../workflows/order.js';
import type { MerchantKey, MerchantScope } from './api-keys.js';
import type { AppDeps } from './deps.js';
import { loadOrderView, type OrderView } from './order-reads.js';
import { withinBound } from './call-bounds.js';
import { toApiError } from './order-updates.js';
import { quoteCart } from './quotes.js';
import { CartItems, CustomerSchema, ShippingAddressSchema } from './schemas.js';

export const CheckoutRequestSchema = z
  .object({
    items: CartItems,
    customer: CustomerSchema,
    shippingAddress: ShippingAddressSchema,
    paymentMethod: z.enum(GATEWAYS),
    paymentFlow: z.enum(PAYMENT_FLOWS).optional().openapi({
      description:
        "How the shopper pays: `redirect` to the gateway's desktop page, `qr_code` to scan in its app, `mobile_web` to its page for phone browsers (Alipay WAP, WeChat Pay H5, UnionPay's phone channel), `in_app` in WeChat's browser (JSAPI). Absent: chosen from `payer.userAgent` when given, else the gateway's first flow. A flow the gateway lacks is 422 `payment_flow_not_supported`.",
    }),
    payer: z
      .object({
        openid: z.string().min(1).max(128).optional().openapi({ description: "The shopper's openid under the merchant's WeChat app id: WeChat Pay's `in_app` (JSAPI) flow needs it." }),
        clientIp: z.union([z.ipv4(), z.ipv6()]).optional().openapi({ description: "The shopper's IP address as the storefront saw it: WeChat Pay's `mobile_web` (H5) flow needs it." }),
        userAgent: z.string().min(1).max(1000).optional().openapi({ description: "The shopper's User-Agent, to choose the flow when `paymentFlow` is absent." }),
      })
      .strict()
      .optional(),
    returnUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    locale: z.enum(LOCALES).optional().openapi({ description: "The shopper's language (`en` or `zh-CN`): the customer's e-mail about this order is written in it. Absent: the merchant's default language." }),
  })
  .strict()
  .openapi('CheckoutRequest');
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Key order does not change a request's meaning, so the hash is over a canonical form. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `PS` + UTC date + 8 random characters: readable on the phone, unique in practice (and by constraint). */
function newOrderNo(now: Date): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `PS${date}${randomBytes(5).toString('hex').slice(0, 8).toUpperCase()}`;
}

/** Per merchant, mode and key: the same Idempotency-Key in test and live mode makes two orders. Live keeps the form it had before modes. */
function orderWorkflowIdFor({ merchantId, mode }: MerchantScope, idempotencyKey: string): string {
  return `order-${merchantId}-${mode === 'test' ? 'test-' : ''}${sha256(idempotencyKey).slice(0, 32)}`;
}

/** The order part of a checkout answer, from the workflow's state or from the projection alike. */
function orderSummary(o: Pick<OrderState, 'orderId' | 'orderNo' | 'livemode' | 'status' | 'currency' | 'subtotal' | 'shippingFee' | 'tax' | 'taxIncluded' | 'total' | 'items'>) {
  return { id: o.orderId, orderNo: o.orderNo, livemode: o.livemode, status: o.status, currency: o.currency, subtotal: o.subtotal, shippingFee: o.shippingFee, tax: o.tax, taxIncluded: o.taxIncluded, total: o.total, items: o.items };
}

const orderUrl = (deps: Pick<AppDeps, 'config'>, viewToken: string) => `${deps.config.http.publicBaseUrl}/o/${viewToken}`;

/** A checkout answered from the projection: the order an earlier request with the same key made. */
function storedCheckout(deps: Pick<AppDeps, 'config'>, order: OrderView) {
  const payment = order.payments[0]!;
  return {
    order: orderSummary({ ...order, orderId: order.id }),
    payment: { id: payment.id, gateway: payment.gateway, status: payment.status, action: payment.action!, expiresAt: payment.expiresAt! },
    orderUrl: orderUrl(deps, order.viewToken),
  };
}

/** A checkout answered by the workflow. */
function startedCheckout(deps: Pick<AppDeps, 'config'>, { order, payment, viewToken }: CheckoutResult) {
  return {
    order: orderSummary(order),
    payment: { ...payment, gateway: order.paymentMethod },
    // From the workflow: a concurrent retry that joined the running order gets that order's link.
    orderUrl: orderUrl(deps, viewToken),
  };
}

export type Checkout = ReturnType<typeof storedCheckout> | ReturnType<typeof startedCheckout>;

/** A replay of an earlier checkout: the same body gets the same order; another body is a 422. */
async function replay(deps: AppDeps, scope: MerchantScope, idempotencyKey: string, requestHash: string) {
  const existing = await findOrderByIdempotencyKey(deps.db, scope, idempotencyKey);
  if (!existing) return undefined;
  if (existing.requestHash !== requestHash) {
    throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different checkout request.');
  }
  const order = await loadOrderView(deps.db, scope, existing.id);
  if (order?.payments[0]?.action) return storedCheckout(deps, order);
  // Payment creation failed for good (refused, or the gateway unreachable within its bound): the order is
  // cancelled, and every retry of this checkout hears so, instead of a retry-later that never comes true.
  if (order?.status === 'cancelled') {
    throw new ApiError(409, 'checkout_failed', `This checkout ended without a payment: ${order.statusReason ?? 'the gateway did not create it'}. Start a new checkout with a new Idempotency-Key.`);
  }
  return undefined;
}

/**
 * The gateway's adapter in the key's mode. Refuses a gateway this deployment does not offer (the sandbox
 * with `SANDBOX_ENABLED=false`) or does not offer in that mode: the sandbox never takes a live order; WeChat
 * Pay has no test environment unless one is configured.
 */
function offeredAdapter(gateways: GatewayRegistry, gateway: GatewayName, mode: Mode): GatewayAdapter {
  const adapter = gateways.get(gateway, mode);
  if (adapter) return adapter;
  if (gateways.modesOf(gateway).length === 0) throw new ApiError(422, 'gateway_unavailable', `The ${gateway} gateway is not available on this deployment.`);
  throw new ApiError(422, `gateway_not_available_in_${mode}_mode`, `The ${gateway} gateway is not available in ${mode} mode.`);
}

/** Refuses a payment method this merchant cannot use for this quote. */
async function assertPaymentMethod(deps: AppDeps, key: MerchantKey, request: CheckoutRequest, pricing: Promise<{ quote: Quote; settings: MerchantSettings }>) {
  const { merchantId, mode } = key;
  // The seed's legality rule: real money moves only for merchants whose licence and tax registration
  // were verified; until then, the sandbox.
  if (request.paymentMethod !== 'sandbox' && key.merchantStatus !== 'active') {
    throw new ApiError(403, 'merchant_not_verified', 'Only the sandbox gateway is available until the merchant’s licence and tax registration are verified.');
  }
  const adapter = offeredAdapter(deps.gateways, request.paymentMethod, mode);
  if (hasCredentialFields(request.paymentMethod) && !(await hasGatewayCredentials(deps.db, merchantId, request.paymentMethod, mode))) {
    throw new ApiError(422, 'gateway_not_configured', `The merchant has not configured ${request.paymentMethod} yet.`);
  }
  paymentFlowOf(request);
  const { quote } = await pricing;
  if (adapter.currencies && !adapter.currencies.includes(quote.currency)) {
    throw new ApiError(422, 'currency_not_supported', `${request.paymentMethod} accepts only ${adapter.currencies.join(', ')}; this store charges in ${quote.currency}.`);
  }
}

/** The flow to create the payment in: the one asked for, checked, or the one for the shopper's device; undefined for the gateway's default. */
function paymentFlowOf({ paymentMethod, paymentFlow, payer }: CheckoutRequest): PaymentFlow | undefined {
  const { flows } = GATEWAY_PROFILES[paymentMethod];
  const flow = paymentFlow ?? (payer?.userAgent === undefined ? undefined : flowForDevice(paymentMethod, deviceOf(payer.userAgent), payer));
  if (flow === undefined) return undefined;
  if (!flows.includes(flow)) {
    throw new ApiError(422, 'payment_flow_not_supported', `${paymentMethod} has no ${flow} payment flow; it supports ${flows.join(', ')}.`);
  }
  const missing = missingPayerFacts(paymentMethod, flow, payer);
  if (missing.length > 0) {
    throw new ApiError(422, 'payer_details_required', `${paymentMethod}'s ${flow} payment flow needs ${missing.map((fact) => `payer.${fact}`).join(' and ')}.`);
  }
  return flow;
}

function payerFacts({ openid, clientIp }: NonNullable<CheckoutRequest['payer']>) {
  return { ...(openid && { openid }), ...(clientIp && { clientIp }) };
}

/** The workflow's input: the priced cart, fresh ids, and the merchant's policy as it is now. */
function orderInput(deps: AppDeps, { merchantId, mode }: MerchantScope, request: CheckoutRequest, idempotencyKey: string, requestHash: string, { quote, settings }: { quote: Quote; settings: MerchantSettings }): OrderInput {
  const now = new Date();
  const flow = paymentFlowOf(request);
  // Only what the flow uses goes into the order.
  const payer = request.payer && flow && GATEWAY_PROFILES[request.paymentMethod].flowNeeds?.[flow] ? payerFacts(request.payer) : undefined;
  const input: OrderInput = {
    orderId: newId('ord'),
    orderNo: newOrderNo(now),
    merchantId,
    paymentId: newId('pay'),
    idempotencyKey,
    requestHash,
    ...quote,
    customer: request.customer,
    shippingAddress: request.shippingAddress,
    paymentMethod: request.paymentMethod,
    ...(flow && { paymentFlow: flow }),
    ...(payer && { payer }),
    returnUrl: request.returnUrl,
    livemode: isLive(mode),
    viewToken: randomBytes(24).toString('base64url'),
    locale: request.locale ?? settings.locale,
    paymentCreationSeconds: deps.config.bounds.paymentCreationSeconds,
    policy: {
      paymentWindowSeconds: settings.paymentWindowSeconds,
      paymentCheckIntervalSeconds: settings.paymentCheckIntervalSeconds,
      latePaymentGraceSeconds: settings.latePaymentGraceSeconds,
      autoConfirm: settings.autoConfirm,
      refundWindowSeconds: settings.refundWindowSeconds,
      refundApprovalThreshold: settings.refundApprovalThreshold,
    },
    createdAt: now.toISOString(),
  };
  // The order page is the natural place to come back to after paying.
  input.returnUrl ??= orderUrl(deps, input.viewToken);
  return input;
}

/** A failed checkout's outcome for the metrics, by the status it is answered with. */
function failedCheckoutOutcome(error: unknown): CheckoutOutcome {
  if (!(error instanceof ApiError)) return 'error';
  if (error.status === 502) return 'gateway_error';
  if (error.status === 503 || error.status === 504) return 'busy';
  return error.status < 500 ? 'refused' : 'error';
}

/**
 * Checks out a cart: the order it makes, with the payment action. `replayed` when the answer is an earlier
 * request's order found before starting anything (a concurrent retry that joined the running order is not).
 */
export async function checkout(deps: AppDeps, key: MerchantKey, request: CheckoutRequest, idempotencyKey: string): Promise<{ checkout: Checkout; replayed: boolean }> {
  try {
    const answer = await checkoutOrder(deps, key, request, idempotencyKey);
    metrics.checkout(request.paymentMethod, key.mode, answer.replayed ? 'replayed' : 'created');
    return answer;
  } catch (error) {
    metrics.checkout(request.paymentMethod, key.mode, failedCheckoutOutcome(error));
    throw error;
  }
}

async function checkoutOrder(deps: AppDeps, key: MerchantKey, request: CheckoutRequest, idempotencyKey: string): Promise<{ checkout: Checkout; replayed: boolean }> {
  const { merchantId } = key;
  const requestHash = sha256(canonicalJson(request));

  // Pricing reads do not depend on the replay lookup, so they run beside it. A replay answers with the
  // order it made, whatever the catalog says now, so a pricing error counts only when there is none.
  const pricing = quoteCart(deps.db, merchantId, request.items);
  pricing.catch(() => undefined);
  const replayed = await replay(deps, key, idempotencyKey, requestHash);
  if (replayed) return { checkout: replayed, replayed: true };

  await assertPaymentMethod(deps, key, request, pricing);
  const input = orderInput(deps, key, request, idempotencyKey, requestHash, await pricing);
  try {
    const result = await withinBound(deps.temporal, deps.config.bounds.checkoutSeconds, () => deps.temporal.workflow.executeUpdateWithStart(checkoutUpdate, {
      args: [{ requestHash }],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof orderWorkflow>('orderWorkflow', {
        workflowId: orderWorkflowIdFor(key, idempotencyKey),
        taskQueue: deps.config.temporal.taskQueue,
        args: [input],
        // A concurrent retry joins the running order; a finished order is never started again.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: ORDER_SEARCH_KEYS.orderNo, value: input.orderNo },
          { key: ORDER_SEARCH_KEYS.merchantId, value: merchantId },
          { key: ORDER_SEARCH_KEYS.orderStatus, value: 'awaiting_payment' },
          { key: ORDER_SEARCH_KEYS.paymentMethod, value: request.paymentMethod },
          { key: ORDER_SEARCH_KEYS.livemode, value: isLive(key.mode) },
        ],
      }),
    }));
    return { checkout: startedCheckout(deps, result), replayed: false };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const again = await replay(deps, key, idempotencyKey, requestHash);
      if (again) return { checkout: again, replayed: false };
    }
    throw toApiError(error);
  }
}
