// Every signal, update and query of the order workflow, typed, in one place: the workflow handles them,
// the API and the webhook route send them, the tests use them. Nobody refers to them by string.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, OrderState, PaymentAction, Refund } from '../domain/order.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';

export interface CheckoutResult {
  order: OrderState;
  viewToken: string;
  payment: { id: string; gateway: string; status: string; action: PaymentAction; expiresAt: string };
}

/** Verified gateway notifications, normalised by the adapter; deduplicated in the workflow by `eventId`. */
export type PaymentSignal = Omit<Extract<GatewayNotification, { kind: 'payment' }>, 'kind'>;
export type RefundSignal = Omit<Extract<GatewayNotification, { kind: 'refund' }>, 'kind' | 'paymentId'>;

export interface RefundRequest {
  amount?: number;
  reason: string;
  actor: Extract<Actor, 'customer' | 'merchant'>;
  /** The client's Idempotency-Key: a retry with the same key and request gets the refund made the first time. */
  idempotencyKey?: string;
}

/** Storefront checkout: returns the payment action once the gateway has created the payment. */
export const checkoutUpdate = defineUpdate<CheckoutResult, [{ requestHash: string }]>('checkout');
export const cancelUpdate = defineUpdate<OrderState, [{ actor: Actor; reason?: string }]>('cancel');
export const confirmUpdate = defineUpdate<OrderState, []>('confirm');
export const declineUpdate = defineUpdate<OrderState, [{ reason: string }]>('decline');
export const shipUpdate = defineUpdate<OrderState, [{ carrier: string; trackingNumber: string }]>('ship');
export const deliverUpdate = defineUpdate<OrderState, []>('deliver');
/** The merchant keeps a payment captured with another amount or currency (`needs_review`): the order is paid. */
export const acceptPaymentUpdate = defineUpdate<OrderState, [{ note?: string }]>('acceptPayment');
/** The merchant gives back a payment captured with another amount or currency, and the order is cancelled. */
export const refundPaymentUpdate = defineUpdate<OrderState, [{ reason: string }]>('refundPayment');
export const requestRefundUpdate = defineUpdate<Refund, [RefundRequest]>('requestRefund');
export const approveRefundUpdate = defineUpdate<Refund, [{ refundId: string; note?: string }]>('approveRefund');
export const rejectRefundUpdate = defineUpdate<Refund, [{ refundId: string; note: string }]>('rejectRefund');

/** A refund made at the gateway (its dashboard) that reconciliation found on the statement. */
export interface ExternalRefund {
  /** The gateway's refund number, or one made from its reference: the refund's id on the order. */
  refundId: string;
  amount: number;
  currency: string;
  gatewayReference?: string;
  occurredAt: string;
}

/** Records an external refund on the order (timeline, refunded amount, customer and merchant told); once per refund. */
export const recordExternalRefundUpdate = defineUpdate<Refund, [ExternalRefund], 'recordExternalRefund'>('recordExternalRefund');

// The name is part of the type, so code that may import this module only as types can name it, checked.
export const paymentNotificationSignal = defineSignal<[PaymentSignal], 'paymentNotification'>('paymentNotification');
export const refundNotificationSignal = defineSignal<[RefundSignal]>('refundNotification');

export const stateQuery = defineQuery<OrderState>('state');

/** The Temporal header an API call's updates and signals carry its `X-Request-Id` in (workflows/request-ids.ts). */
export const REQUEST_ID_HEADER = 'paystead-request-id';

/** Failure types the API maps to HTTP statuses. */
export const REJECTION = {
  conflict: 'OrderConflict', // 409: the order is not in a state that allows this
  idempotencyMismatch: 'IdempotencyKeyReused', // 422: same key, other request
  notFound: 'NotFound', // 404: e.g. unknown refund id
  invalid: 'InvalidRequest', // 422: e.g. refund above the refundable amount
  projectionFailed: 'ProjectionFailed', // 500: the change was made but could not be written for the API (alert raised)
  gatewayUnavailable: 'GatewayUnavailable', // 502: the gateway could not be reached in time (the order is cancelled)
} as const;

/** Alerts an order can carry for people: in the order read (`alerts`) and the `PaysteadAlert` search attribute. */
export const ORDER_ALERT = { projectionFailed: 'projection_failed' } as const;
