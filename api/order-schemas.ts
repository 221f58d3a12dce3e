import { z } from '@hono/zod-openapi';
import { GATEWAYS } from '../domain/gateways.js';
import { ORDER_STATUSES, REFUND_STATUSES } from '../domain/order.js';
import { Currency, CustomerSchema, MinorUnits, ShippingAddressSchema } from '../services/schemas.js';
import { PricedItemSchema, TaxIncluded } from './schemas.js';

const Timestamp = z.string().openapi({ format: 'date-time' });

export const PaymentActionSchema = z
  .union([
    z.object({ type: z.literal('redirect'), url: z.string() }),
    z.object({ type: z.literal('qr_code'), code: z.string(), url: z.string().optional() }),
    z.object({ type: z.literal('form_post'), url: z.string(), fields: z.record(z.string(), z.string()) }),
    z.object({
      type: z.literal('wechat_jsapi'),
      payRequest: z
        .object({ appId: z.string(), timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() })
        .openapi({ description: "The parameters of `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, signed with the merchant's API key." }),
    }),
  ])
  .openapi('PaymentAction');

const OrderStatusSchema = z.enum(ORDER_STATUSES).openapi('OrderStatus');

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    livemode: z.boolean().openapi({ description: 'True for a live order (real money), false for a test order. Fixed at checkout by the key’s mode; keys of the other mode never see the order.' }),
    status: OrderStatusSchema,
    currency: Currency,
    subtotal: MinorUnits,
    shippingFee: MinorUnits,
    tax: MinorUnits,
    taxIncluded: TaxIncluded,
    total: MinorUnits,
    items: z.array(PricedItemSchema),
  })
  .openapi('OrderSummary');

export const CheckoutResponseSchema = z
  .object({
    order: OrderSummarySchema,
    payment: z.object({
      id: z.string(),
      gateway: z.enum(GATEWAYS),
      status: z.string(),
      action: PaymentActionSchema,
      expiresAt: Timestamp,
    }),
    orderUrl: z.string().openapi({ description: 'The customer order page; usable as the gateway return URL.' }),
  })
  .openapi('Checkout');

export const RefundSchema = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    amount: MinorUnits,
    currency: Currency,
    reason: z.string(),
    status: z.enum(REFUND_STATUSES),
    initiatedBy: z.string(),
    note: z.string().nullable().optional(),
    gatewayReference: z.string().nullable().optional(),
    failureReason: z.string().nullable().optional(),
    createdAt: Timestamp.nullable(),
    updatedAt: Timestamp.nullable(),
  })
  .openapi('Refund');

export const OrderSchema = OrderSummarySchema.extend({
  statusReason: z.string().nullable(),
  paidAmount: MinorUnits,
  refundedAmount: MinorUnits,
  customer: CustomerSchema,
  shippingAddress: ShippingAddressSchema,
  paymentMethod: z.enum(GATEWAYS),
  payments: z.array(
    z.object({
      id: z.string(),
      gateway: z.enum(GATEWAYS),
      status: z.string(),
      amount: MinorUnits,
      currency: Currency,
      capturedAmount: MinorUnits.nullable(),
      capturedCurrency: z.string().nullable(),
      gatewayReference: z.string().nullable(),
      action: PaymentActionSchema.nullable(),
      expiresAt: Timestamp.nullable(),
      paidAt: Timestamp.nullable(),
      createdAt: Timestamp.nullable(),
    }),
  ),
  refunds: z.array(RefundSchema),
  alerts: z.array(z.string()).openapi({ description: 'Alerts for people, e.g. `projection_failed`: the order changed but this view could not be updated (the order\'s run holds the truth).' }),
  shipment: z
    .object({ carrier: z.string(), trackingNumber: z.string(), shippedAt: Timestamp, deliveredAt: Timestamp.optional() })
    .nullable(),
  timeline: z.array(
    z.object({ seq: z.number().int(), at: Timestamp.nullable(), status: OrderStatusSchema, event: z.string(), actor: z.string(), message: z.string().nullable(), requestId: z.string().nullable().openapi({ description: 'The `X-Request-Id` of the API call that caused the entry (checkout, an action, a gateway notification); null for the order\'s own steps.' }) }),
  ),
  viewToken: z.string(),
  createdAt: Timestamp.nullable(),
  updatedAt: Timestamp.nullable(),
}).openapi('Order');

export const OrderIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const RefundRequestHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Unique per refund request; a retry with the same key and body gets the refund made the first time.' }),
});
