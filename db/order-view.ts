// One order as the API shows it (`GET /v1/orders/{id}`), read from the projection: the same view goes out
// in the merchant's webhooks. Timeline entries and the status reason carry their codes and parameters (the
// pages render them in the reader's language) and, for compatibility, their words in English.
import type { Selectable } from 'kysely';
import { wordsFor } from '../core/i18n/messages.js';
import type { MerchantScope } from '../core/modes.js';
import { reasonWords, timelineDetail } from '../domain/timeline-words.js';
import type { Db, RefundTable } from './database.js';
import { withEmailStatus } from './email-timeline.js';
import { findOrderWithChildren } from './order-reads.js';

const english = wordsFor('en', 'UTC');

const iso = (value: Date | string | null | undefined) => (value == null ? null : new Date(value).toISOString());

/** A refund as the API shows it (also answering a retried refund request once the order's run has ended). */
export function refundView(r: Selectable<RefundTable>) {
  return {
    id: r.id,
    paymentId: r.paymentId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    initiatedBy: r.initiatedBy,
    note: r.note,
    gatewayReference: r.gatewayReference,
    failureReason: r.failureReason,
    codes: r.codes,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/** The order as the API shows it, read from the projection; undefined when the scope has no such order. */
export async function loadOrderView(db: Db, scope: MerchantScope, orderId: string) {
  const order = await findOrderWithChildren(db, scope, orderId);
  if (!order) return undefined;
  return {
    id: order.id,
    orderNo: order.orderNo,
    livemode: order.livemode,
    locale: order.locale,
    status: order.status,
    statusReason: order.statusReasonCode === null ? order.statusReason : (reasonWords({ code: order.statusReasonCode, params: order.statusReasonParams }, english) ?? order.statusReason),
    statusReasonCode: order.statusReasonCode,
    statusReasonParams: order.statusReasonParams,
    currency: order.currency,
    subtotal: order.subtotal,
    shippingFee: order.shippingFee,
    tax: order.tax,
    taxIncluded: order.taxIncluded,
    total: order.total,
    paidAmount: order.paidAmount,
    refundedAmount: order.refundedAmount,
    items: order.items,
    customer: order.customer,
    shippingAddress: order.shippingAddress,
    paymentMethod: order.paymentMethod,
    payments: order.payments.map((p) => ({
      id: p.id,
      gateway: p.gateway,
      status: p.status,
      amount: p.amount,
      currency: p.currency,
      capturedAmount: p.capturedAmount,
      capturedCurrency: p.capturedCurrency,
      gatewayReference: p.gatewayReference,
      action: p.action,
      expiresAt: iso(p.expiresAt),
      paidAt: iso(p.paidAt),
      createdAt: iso(p.createdAt),
    })),
    refunds: order.refunds.map(refundView),
    shipment: order.shipment,
    // The workflow's entries, and each customer e-mail's send status among them (db/email-timeline.ts).
    timeline: withEmailStatus(
      order.orderEvents.map((e) => ({ seq: e.seq, at: iso(e.at), status: e.status, event: e.event, actor: e.actor, message: timelineDetail(e, english) ?? null, params: e.params })),
      order.emailStatus,
    ).map((entry) => (entry.seq === null ? { ...entry, message: timelineDetail(entry, english) ?? null } : entry)),
    alerts: order.alerts,
    viewToken: order.viewToken,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
  };
}

