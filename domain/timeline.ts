// What the workflow records on the order's timeline and why an order ended as it did, as codes with
// parameters: the words are rendered where people read them (domain/timeline-words.ts). Text a person
// typed (a reason, a note, a carrier) and text a gateway sent travel as parameters, unchanged. Pure.
import type { GatewayName } from './gateways.js';
import type { OrderStatus } from './order.js';

/** Why: a code, with what its words need. */
export type Reason =
  /** A person's own words (a cancel, decline or refusal reason). */
  | { code: 'stated'; params: { text: string } }
  | { code: 'cancelled_before_payment'; params: Empty }
  | { code: 'cancelled_by_customer'; params: Empty }
  | { code: 'payment_window_expired'; params: Empty }
  | { code: 'payment_failed'; params: Empty }
  /** The gateway refused, in its own words. */
  | { code: 'gateway_rejected'; params: { detail: string } }
  /** The gateway refused a refund without saying why. */
  | { code: 'refund_refused'; params: Empty }
  | { code: 'gateway_unreachable'; params: { gateway: GatewayName; seconds: number; detail: string } }
  /** Failed for good on our side (the failure's message). */
  | { code: 'failed'; params: { detail: string } }
  | { code: 'amount_mismatch'; params: Reported & { total: number; orderCurrency: string } }
  /** Refunds the workflow starts itself. */
  | { code: 'late_payment_refund'; params: { status: OrderStatus } }
  | { code: 'declined_refund'; params: { text: string } }
  | { code: 'capture_refund'; params: { text: string } }
  /** Approvals the merchant gives by giving the order up. */
  | { code: 'approved_by_decline'; params: Empty }
  | { code: 'approved_by_capture_refund'; params: Empty };

export type ReasonCode = Reason['code'];

/**
 * A refund's reason, note and failure as codes. The refund's text fields keep the words the gateway and the
 * API get (English for what the system wrote); these give the pages the reader's words.
 */
export type RefundCodes = { reason: Reason; note?: Reason; failure?: Reason };
type Empty = Record<string, never>;
type Money = { amount: number; currency: string };
/** A capture the gateway reported may lack amount or currency. */
type Reported = { amount?: number; currency?: string };

/** Which call to the gateway a `gateway_refused` entry is about. */
export type GatewayCall = 'payment_query' | 'close' | 'refund_query';

/** Each event's parameters. */
export interface TimelineParams {
  order_created: Empty;
  payment_created: { gateway: GatewayName };
  payment_creation_failed: { reason: Reason };
  payment_succeeded: Money;
  payment_failed: Empty;
  payment_mismatch: Reported;
  payment_accepted: Money & { total: number; orderCurrency: string; note?: string };
  payment_refused: Money & { reason: string };
  late_payment: Reported & { status: OrderStatus };
  confirmed: { automatic?: true };
  declined: { reason: string };
  shipped: { carrier: string; trackingNumber: string };
  delivered: Empty;
  completed: Empty;
  cancelled: Empty;
  expired: Empty;
  refund_requested: Money & { reason: Reason };
  refund_started: Money & { reason: Reason };
  refund_approved: { note?: Reason };
  refund_rejected: { note?: string };
  refund_succeeded: Money;
  refund_failed: { reason: Reason };
  gateway_refused: { call: GatewayCall; detail: string };
  projection_failed: { detail: string };
  /** A customer e-mail's send status, read from the outbox when the order is read (db/email-timeline.ts), not recorded by the workflow. */
  email_sent: { kind: string };
  email_failed: { kind: string; reason?: string };
}

export type TimelineEvent = keyof TimelineParams;

export const reason = <C extends ReasonCode>(code: C, ...params: Extract<Reason, { code: C }>['params'] extends Empty ? [] : [Extract<Reason, { code: C }>['params']]): Reason =>
  ({ code, params: params[0] ?? {} }) as Reason;

/** A person's words as a reason. */
export const stated = (text: string): Reason => ({ code: 'stated', params: { text } });
