// Checkout: prices the cart from the catalog, starts the order's workflow and returns the payment action,
// in one call (update-with-start). The workflow id derives from the merchant and the Idempotency-Key, so a
// retried request can never make a second order.
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { newId } from '../../core/ids.js';
import { ORDER_SEARCH_KEYS } from '../../core/search-attributes.js';
import type { OrderInput, OrderState } from '../../domain/order.js';
import { hasGatewayCredentials } from '../../db/gateway-credentials.js';
import { hasCredentialFields } from '../../gateways/credentials.js';
import { checkoutUpdate, type CheckoutResult } from '../../workflows/messages.js';
import type { orderWorkflow } from '../../workflows/order.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { ApiError } from '../../core/errors.js';
import { CheckoutRequestSchema, CheckoutResponseSchema } from '../order-schemas.js';
import { toApiError } from '../../services/order-updates.js';
import { loadOrderView, type OrderView } from '../../services/order-reads.js';
import { bearerAuth, errorResponses } from '../schemas.js';
import { quoteCart } from './quotes.js';

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

/** The order part of a checkout answer, from the workflow's state or from the projection alike. */
function orderSummary(o: Pick<OrderState, 'orderId' | 'orderNo' | 'status' | 'currency' | 'subtotal' | 'shippingFee' | 'tax' | 'total' | 'items'>) {
  return { id: o.orderId, orderNo: o.orderNo, status: o.status, currency: o.currency, subtotal: o.subtotal, shippingFee: o.shippingFee, tax: o.tax, total: o.total, items: o.items };
}

function orderWorkflowIdFor(merchantId: string, idempotencyKey: string): string {
  return `order-${merchantId}-${sha256(idempotencyKey).slice(0, 32)}`;
}

export function registerCheckoutRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps) {
  const { db, config, temporal, gateways, keys } = deps;
  app.use('/v1/checkouts', requireKey(keys, 'secret'));

  const checkoutBody = (order: OrderView) => {
    const payment = order.payments[0]!;
    return {
      order: orderSummary({ ...order, orderId: order.id }),
      payment: { id: payment.id, gateway: payment.gateway, status: payment.status, action: payment.action!, expiresAt: payment.expiresAt! },
      orderUrl: `${config.http.publicBaseUrl}/o/${order.viewToken}`,
    };
  };

  /** A replay of an earlier checkout: the same body gets the same order; another body is a 422. */
  async function replay(merchantId: string, idempotencyKey: string, requestHash: string) {
    const existing = await db
      .selectFrom('orders')
      .select(['id', 'requestHash'])
      .where('merchantId', '=', merchantId)
      .where('idempotencyKey', '=', idempotencyKey)
      .executeTakeFirst();
    if (!existing) return undefined;
    if (existing.requestHash !== requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different checkout request.');
    }
    const order = await loadOrderView(db, merchantId, existing.id);
    return order?.payments[0]?.action ? checkoutBody(order) : undefined;
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/checkouts',
      tags: ['checkout'],
      summary: 'Start a checkout: creates the order and the payment, returns what the customer must do to pay',
      security: bearerAuth,
      request: {
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).openapi({ description: 'Unique per checkout attempt; retries reuse it.' }) }),
        body: { required: true, content: { 'application/json': { schema: CheckoutRequestSchema } } },
      },
      responses: {
        201: { description: 'The order and its payment action', content: { 'application/json': { schema: CheckoutResponseSchema } } },
        ...errorResponses(400, 401, 403, 409, 422, 503),
        502: { description: 'The gateway refused to create the payment', content: { 'application/json': { schema: CheckoutResponseSchema } } },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const merchantId = merchantIdOf(principal);
      const body = c.req.valid('json');
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      const requestHash = sha256(canonicalJson(body));

      // Pricing reads do not depend on the replay lookup, so they run beside it. A replay answers with the
      // order it made, whatever the catalog says now, so a pricing error counts only when there is none.
      const pricing = quoteCart(db, merchantId, body.items);
      pricing.catch(() => undefined);
      const replayed = await replay(merchantId, idempotencyKey, requestHash);
      if (replayed) {
        c.header('Idempotent-Replayed', 'true');
        return c.json(replayed, 201);
      }

      // The seed's legality rule: real money moves only for merchants whose licence and tax registration
      // were verified; until then, the sandbox.
      if (body.paymentMethod !== 'sandbox' && principal.kind !== 'platform' && principal.merchantStatus !== 'active') {
        throw new ApiError(403, 'merchant_not_verified', 'Only the sandbox gateway is available until the merchant’s licence and tax registration are verified.');
      }
      const adapter = gateways.get(body.paymentMethod);
      if (!adapter) throw new ApiError(422, 'gateway_unavailable', `The ${body.paymentMethod} gateway is not available on this deployment.`);
      if (hasCredentialFields(body.paymentMethod) && !(await hasGatewayCredentials(db, merchantId, body.paymentMethod))) {
        throw new ApiError(422, 'gateway_not_configured', `The merchant has not configured ${body.paymentMethod} yet.`);
      }
      const { quote, settings } = await pricing;
      if (adapter.currencies && !adapter.currencies.includes(quote.currency)) {
        throw new ApiError(422, 'currency_not_supported', `${body.paymentMethod} accepts only ${adapter.currencies.join(', ')}; this store charges in ${quote.currency}.`);
      }

      const now = new Date();
      const input: OrderInput = {
        orderId: newId('ord'),
        orderNo: newOrderNo(now),
        merchantId,
        paymentId: newId('pay'),
        idempotencyKey,
        requestHash,
        ...quote,
        customer: body.customer,
        shippingAddress: body.shippingAddress,
        paymentMethod: body.paymentMethod,
        ...(body.paymentFlow && { paymentFlow: body.paymentFlow }),
        returnUrl: body.returnUrl,
        viewToken: randomBytes(24).toString('base64url'),
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
      input.returnUrl ??= `${config.http.publicBaseUrl}/o/${input.viewToken}`;

      let result: CheckoutResult;
      try {
        result = await temporal.workflow.executeUpdateWithStart(checkoutUpdate, {
          args: [{ requestHash }],
          startWorkflowOperation: new WithStartWorkflowOperation<typeof orderWorkflow>('orderWorkflow', {
            workflowId: orderWorkflowIdFor(merchantId, idempotencyKey),
            taskQueue: config.temporal.taskQueue,
            args: [input],
            // A concurrent retry joins the running order; a finished order is never started again.
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [
              { key: ORDER_SEARCH_KEYS.orderNo, value: input.orderNo },
              { key: ORDER_SEARCH_KEYS.merchantId, value: merchantId },
              { key: ORDER_SEARCH_KEYS.orderStatus, value: 'awaiting_payment' },
              { key: ORDER_SEARCH_KEYS.paymentMethod, value: body.paymentMethod },
            ],
          }),
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          const again = await replay(merchantId, idempotencyKey, requestHash);
          if (again) return c.json(again, 201);
        }
        throw toApiError(error);
      }
      const { order, payment } = result;
      return c.json(
        {
          order: orderSummary(order),
          payment: { ...payment, gateway: order.paymentMethod },
          // From the workflow: a concurrent retry that joined the running order gets that order's link.
          orderUrl: `${config.http.publicBaseUrl}/o/${result.viewToken}`,
        },
        201,
      );
    },
  );
}
