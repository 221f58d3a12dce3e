// Timeline entries and reasons in a reader's words, from their codes and parameters (domain/timeline.ts):
// the pages render them in the reader's language, the API and the merchant's webhooks in English. Entries
// and reasons stored before codes have no parameters and keep the sentence they were stored with. Pure.
import type { MessageKey, Words } from '../core/i18n/messages.js';
import type { OrderStatus } from './order.js';
import type { GatewayCall, Reason, ReasonCode, RefundCodes, TimelineEvent, TimelineParams } from './timeline.js';

/** A stored timeline entry, as read back: `params` absent or null in entries written before codes. */
export interface StoredEntry {
  event: string;
  params?: Record<string, unknown> | null;
  message?: string | null;
}

/** A stored reason: a code with its parameters; both null in rows written before codes. */
export interface StoredReason {
  code: string | null;
  params?: Record<string, unknown> | null;
}

type Render<P> = (params: P, w: Words) => string | undefined;

/** An amount the gateway reported, or `?` when it did not say. */
const reported = (amount: number | undefined, currency: string | undefined, w: Words) => (amount === undefined || currency === undefined ? '?' : w.money(amount, currency));
const statusWords = (status: OrderStatus, w: Words) => w.t(`status.${status}` satisfies MessageKey);
const gatewayWords = (gateway: string, w: Words) => {
  const key = `gateway.${gateway}`;
  return w.has(key) ? w.t(key as MessageKey & `gateway.${string}`) : gateway;
};

const REASONS: { [C in ReasonCode]: Render<Extract<Reason, { code: C }>['params']> } = {
  stated: (p) => p.text,
  cancelled_before_payment: (_, w) => w.t('reason.cancelled_before_payment'),
  cancelled_by_customer: (_, w) => w.t('reason.cancelled_by_customer'),
  payment_window_expired: (_, w) => w.t('reason.expired'),
  payment_failed: (_, w) => w.t('reason.payment_failed'),
  gateway_rejected: (p, w) => w.t('reason.gateway_rejected', { detail: p.detail }),
  refund_refused: (_, w) => w.t('reason.refund_refused'),
  gateway_unreachable: (p, w) => w.t('reason.gateway_unreachable', { gateway: gatewayWords(p.gateway, w), seconds: p.seconds, detail: p.detail }),
  failed: (p, w) => w.t('reason.failed', { detail: p.detail }),
  amount_mismatch: (p, w) => w.t('reason.amount_mismatch', { captured: reported(p.amount, p.currency, w), total: w.money(p.total, p.orderCurrency) }),
  late_payment_refund: (p, w) => w.t('reason.late_payment_refund', { status: statusWords(p.status, w) }),
  declined_refund: (p, w) => w.t('reason.declined_refund', { text: p.text }),
  capture_refund: (p, w) => w.t('reason.capture_refund', { text: p.text }),
  approved_by_decline: (_, w) => w.t('reason.approved_by_decline'),
  approved_by_capture_refund: (_, w) => w.t('reason.approved_by_capture_refund'),
};

/** A reason in words; undefined for a code this version does not know. */
export function reasonWords(reason: { code: string; params?: Record<string, unknown> | null }, w: Words): string | undefined {
  if (!Object.hasOwn(REASONS, reason.code)) return undefined;
  const render = REASONS[reason.code as ReasonCode] as Render<Record<string, unknown>>;
  return render(reason.params ?? {}, w);
}

/** How the captured amount differs from the order's total. */
function difference(p: TimelineParams['payment_accepted'], w: Words): string {
  const total = w.money(p.total, p.orderCurrency);
  if (p.currency !== p.orderCurrency) return w.t('timeline.difference.currency', { currency: p.currency, total });
  const delta = w.money(Math.abs(p.amount - p.total), p.currency);
  return w.t(p.amount < p.total ? 'timeline.difference.less' : 'timeline.difference.more', { delta, total });
}

const CALLS: Record<GatewayCall, MessageKey> = {
  payment_query: 'timeline.call.payment_query',
  close: 'timeline.call.close',
  refund_query: 'timeline.call.refund_query',
};

/** A customer e-mail's kind (`payment_receipt`), named in the reader's words where the catalog has it. */
const emailKindWords = (kind: string, w: Words) => {
  const key = `email.kind.${kind}`;
  return w.has(key) ? w.t(key as MessageKey & `email.kind.${string}`) : kind.replaceAll('_', ' ');
};

const nested = (reason: Reason | undefined, w: Words) => (reason === undefined ? undefined : reasonWords(reason, w));

/** Each event's details; undefined where the event's name says it all. */
const DETAILS: { [E in TimelineEvent]: Render<TimelineParams[E]> } = {
  order_created: () => undefined,
  payment_created: (p, w) => gatewayWords(p.gateway, w),
  payment_creation_failed: (p, w) => nested(p.reason, w),
  payment_succeeded: (p, w) => w.money(p.amount, p.currency),
  payment_failed: () => undefined,
  payment_mismatch: (p, w) => w.t('timeline.payment_mismatch', { captured: reported(p.amount, p.currency, w) }),
  payment_accepted: (p, w) => {
    const text = w.t('timeline.payment_accepted', { captured: w.money(p.amount, p.currency), difference: difference(p, w) });
    return p.note ? w.t('timeline.with_note', { text, note: p.note }) : text;
  },
  payment_refused: (p, w) => w.t('timeline.payment_refused', { captured: w.money(p.amount, p.currency), reason: p.reason }),
  late_payment: (p, w) => w.t('timeline.late_payment', { amount: reported(p.amount, p.currency, w), status: statusWords(p.status, w) }),
  confirmed: (p, w) => (p.automatic ? w.t('timeline.confirmed_automatically') : undefined),
  declined: (p) => p.reason,
  shipped: (p, w) => w.t('timeline.shipped', { carrier: p.carrier, trackingNumber: p.trackingNumber }),
  delivered: () => undefined,
  completed: () => undefined,
  cancelled: () => undefined,
  expired: () => undefined,
  refund_requested: (p, w) => w.t('timeline.refund', { amount: w.money(p.amount, p.currency), reason: nested(p.reason, w) ?? '' }),
  refund_started: (p, w) => w.t('timeline.refund', { amount: w.money(p.amount, p.currency), reason: nested(p.reason, w) ?? '' }),
  refund_approved: (p, w) => nested(p.note, w),
  refund_rejected: (p) => p.note,
  refund_succeeded: (p, w) => w.money(p.amount, p.currency),
  refund_failed: (p, w) => nested(p.reason, w),
  gateway_refused: (p, w) => w.t('timeline.gateway_refused', { call: w.t(CALLS[p.call] as 'timeline.call.close'), detail: p.detail }),
  projection_failed: (p, w) => w.t('timeline.projection_failed', { detail: p.detail }),
  email_sent: (p, w) => w.t('email.timeline.sent', { kind: emailKindWords(p.kind, w) }),
  email_failed: (p, w) => w.t('email.timeline.failed', { kind: emailKindWords(p.kind, w), reason: p.reason ?? '' }),
};

/**
 * What a timeline entry says beyond its event's name, in the reader's words: rendered from its parameters,
 * or, for an entry stored before parameters (or an event this version does not know), its stored message.
 */
export function timelineDetail(entry: StoredEntry, w: Words): string | undefined {
  if (entry.params == null || !Object.hasOwn(DETAILS, entry.event)) return entry.message ?? undefined;
  const render = DETAILS[entry.event as TimelineEvent] as Render<Record<string, unknown>>;
  return render(entry.params, w);
}

/** A refund's reason, note or failure in the reader's words: from its code, else the text stored before codes. */
export function refundText(refund: { reason: string; note?: string | null; failureReason?: string | null; codes?: RefundCodes | null }, field: keyof RefundCodes, w: Words): string | undefined {
  const code = refund.codes?.[field];
  const stored = { reason: refund.reason, note: refund.note, failure: refund.failureReason }[field];
  return (code && reasonWords(code, w)) ?? stored ?? undefined;
}
