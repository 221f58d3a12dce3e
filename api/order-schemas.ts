import { z } from '@hono/zod-openapi';
import { LOCALES } from '../core/i18n/locales.js';
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

/** Codes and parameters: the words are rendered from them, in the reader's language on the pages. */
const CodeParams = z.record(z.string(), z.unknown());

const ReasonSchema = z
  .object({ code: z.string(), params: CodeParams })
  .openapi('Reason', { description: 'A reason as a code with parameters (codes as listed at `Order.statusReasonCode`, and for refunds `late_payment_refund`, `declined_refund`, `capture_refund`, `approved_by_decline`, `approved_by_capture_refund`, `refund_refused`).' });

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
    codes: z
      .object({ reason: ReasonSchema, note: ReasonSchema.optional(), failure: ReasonSchema.optional() })
      .nullable()
      .optional()
      .openapi({ description: '`reason`, `note` and `failureReason` as codes (those fields keep their English or the person\'s words); null for refunds recorded before codes.' }),
    createdAt: Timestamp.nullable(),
    updatedAt: Timestamp.nullable(),
  })
  .openapi('Refund');

export const TimelineEntrySchema = z
  .object({
    seq: z.number().int().nullable().openapi({ description: "The workflow's sequence number; null for a customer e-mail's send status (`email_sent`, `email_failed`), read from the outbox and placed by time." }),
    at: Timestamp.nullable(),
    status: OrderStatusSchema,
    event: z.string().openapi({ description: 'The event\'s code, e.g. `payment_succeeded`; `email_sent` / `email_failed` carry `params.kind` and, when it failed, `params.reason` (e.g. the mail server’s refusal).' }),
    actor: z.string(),
    message: z.string().nullable().openapi({ description: 'What the entry says beyond its event, in English (rendered from `params`; entries recorded before parameters keep the sentence they were stored with).' }),
    params: CodeParams.nullable().openapi({
      description:
        'The event\'s parameters: amounts in minor units with their currency (`{ "amount": 28136, "currency": "CNY" }`), a person\'s own words as text (`reason`, `note`, `carrier`), a system reason as `{ "code", "params" }` (see `statusReasonCode`). Null for entries recorded before parameters.',
      example: { amount: 28136, currency: 'CNY' },
    }),
  })
  .openapi('TimelineEntry');

export const OrderSchema = OrderSummarySchema.extend({
  locale: z.enum(LOCALES).nullable().openapi({ description: "The customer's language for e-mail, set at checkout; null for orders from before it was kept (their e-mail uses the merchant's default language)." }),
  statusReason: z.string().nullable().openapi({ description: 'Why the order reached its status, in English (rendered from `statusReasonCode`; a person\'s reason as they wrote it).' }),
  statusReasonCode: z.string().nullable().openapi({
    description:
      'The reason\'s code: `stated` (a person\'s words, `params.text`), `cancelled_before_payment`, `cancelled_by_customer`, `payment_window_expired`, `payment_failed`, `gateway_rejected` (`detail`: the gateway\'s words), `gateway_unreachable` (`gateway`, `seconds`, `detail`), `failed` (`detail`), `amount_mismatch` (`amount`, `currency`, `total`, `orderCurrency`). Null for orders whose reason was recorded before codes.',
    example: 'payment_window_expired',
  }),
  statusReasonParams: CodeParams.nullable().openapi({ description: 'The reason\'s parameters.' }),
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
  timeline: z.array(TimelineEntrySchema),
  viewToken: z.string(),
  createdAt: Timestamp.nullable(),
  updatedAt: Timestamp.nullable(),
}).openapi('Order');

export const OrderIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const RefundRequestHeaders = z.object({
  'idempotency-key': z.string().min(1).max(255).optional().openapi({ description: 'Unique per refund request; a retry with the same key and body gets the refund made the first time.' }),
});
