import { sql } from 'kysely';
import { modeOf } from '../core/modes.js';
import type { OrderInput, OrderState } from '../domain/order.js';
import type { Db } from './database.js';

/**
 * Writes the workflow's state as the projection the API reads. Idempotent and ordered: a snapshot whose
 * version is not newer than the stored one changes nothing, so retries and out-of-order writes are safe.
 *
 * One statement, one round trip: the order row is upserted first and the payments, refunds and timeline
 * follow only when it was (data-modifying CTEs share one snapshot and are atomic together; foreign keys are
 * checked at the end of the statement). Child rows travel as JSON read back with the tables' own row types,
 * not a hand-written list of column types.
 *
 * `written`: the snapshot was newer and is now the projection; `newEvents`: the timeline events it added
 * (each event is added once, whatever the retries); `webhookEndpoint`: the merchant has an enabled webhook
 * endpoint in the order's mode (which decides whether merchant events are stored), in the same round trip.
 */
export async function writeOrderProjection(db: Db, meta: Pick<OrderInput, 'idempotencyKey' | 'requestHash' | 'viewToken'> & { workflowId: string }, state: OrderState): Promise<{ written: boolean; newEvents: string[]; webhookEndpoint: boolean }> {
  const payments = state.payments.map((p) => ({
    id: p.id,
    gateway: p.gateway,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    captured_amount: p.capturedAmount ?? null,
    captured_currency: p.capturedCurrency ?? null,
    gateway_reference: p.gatewayReference ?? null,
    action: p.action ?? null,
    expires_at: p.expiresAt,
    paid_at: p.paidAt ?? null,
    created_at: p.createdAt,
  }));
  // Absent from states an activity was given before the fields existed.
  const taxIncluded = state.taxIncluded ?? false;
  const requests = new Map((state.refundRequests ?? []).map((q) => [q.refundId, q]));
  const refunds = state.refunds.map((r) => ({
    id: r.id,
    idempotency_key: requests.get(r.id)?.idempotencyKey ?? null,
    request_fingerprint: requests.get(r.id)?.fingerprint ?? null,
    payment_id: r.paymentId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    initiated_by: r.initiatedBy,
    note: r.note ?? null,
    gateway_reference: r.gatewayReference ?? null,
    failure_reason: r.failureReason ?? null,
    codes: r.codes ?? null,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  }));
  const events = state.timeline.map((e) => ({ seq: e.seq, at: e.at, status: e.status, event: e.event, actor: e.actor, message: e.message ?? null, params: e.params ?? null, request_id: e.requestId ?? null }));
  // States from before coded reasons (an activity retried across the change) carry the sentence.
  const reason = state.statusReason as OrderState['statusReason'] | string | undefined;
  const reasonText = typeof reason === 'string' ? reason : null;
  const reasonCoded = typeof reason === 'object' ? reason : undefined;
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

  const result = await sql<{ written: number; events: string[]; webhookEndpoint: boolean }>`
    with o as (
      insert into orders as cur (
        id, merchant_id, order_no, workflow_id, idempotency_key, request_hash, view_token, livemode, locale, status, status_reason,
        status_reason_code, status_reason_params, currency, subtotal, shipping_fee, tax, tax_included, total, paid_amount, refunded_amount, items, customer, customer_email,
        customer_phone, shipping_address, payment_method, shipment, version, created_at, updated_at
      ) values (
        ${state.orderId}, ${state.merchantId}, ${state.orderNo}, ${meta.workflowId}, ${meta.idempotencyKey}, ${meta.requestHash},
        ${meta.viewToken}, ${state.livemode}, ${state.locale ?? null}, ${state.status}, ${reasonText},
        ${reasonCoded?.code ?? null}, ${reasonCoded ? json(reasonCoded.params) : null}, ${state.currency}, ${state.subtotal}, ${state.shippingFee},
        ${state.tax}, ${taxIncluded}, ${state.total}, ${state.paidAmount}, ${state.refundedAmount}, ${json(state.items)}, ${json(state.customer)},
        ${state.customer.email.toLowerCase()}, ${state.customer.phone}, ${json(state.shippingAddress)}, ${state.paymentMethod},
        ${state.shipment ? json(state.shipment) : null}, ${state.version}, ${state.createdAt}, ${state.updatedAt}
      )
      on conflict (id) do update set
        status = excluded.status, status_reason = excluded.status_reason, status_reason_code = excluded.status_reason_code,
        status_reason_params = excluded.status_reason_params, currency = excluded.currency,
        subtotal = excluded.subtotal, shipping_fee = excluded.shipping_fee, tax = excluded.tax, total = excluded.total,
        paid_amount = excluded.paid_amount, refunded_amount = excluded.refunded_amount, items = excluded.items,
        customer = excluded.customer, customer_email = excluded.customer_email, customer_phone = excluded.customer_phone,
        shipping_address = excluded.shipping_address, payment_method = excluded.payment_method, shipment = excluded.shipment,
        version = excluded.version, updated_at = excluded.updated_at
      where cur.version < excluded.version
      returning id
    ),
    p as (
      insert into payments as cur (
        id, order_id, merchant_id, gateway, status, amount, currency, captured_amount, captured_currency,
        gateway_reference, action, expires_at, paid_at, created_at, updated_at
      )
      select x.id, o.id, ${state.merchantId}, x.gateway, x.status, x.amount, x.currency, x.captured_amount, x.captured_currency,
        x.gateway_reference, x.action, x.expires_at, x.paid_at, x.created_at, ${state.updatedAt}
      from o, jsonb_populate_recordset(null::payments, ${json(payments)}) as x
      on conflict (id) do update set
        status = excluded.status, captured_amount = excluded.captured_amount, captured_currency = excluded.captured_currency,
        gateway_reference = excluded.gateway_reference, action = excluded.action, paid_at = excluded.paid_at,
        updated_at = excluded.updated_at
    ),
    r as (
      insert into refunds as cur (
        id, order_id, merchant_id, payment_id, amount, currency, reason, status, initiated_by, note,
        gateway_reference, failure_reason, codes, idempotency_key, request_fingerprint, created_at, updated_at
      )
      select x.id, o.id, ${state.merchantId}, x.payment_id, x.amount, x.currency, x.reason, x.status, x.initiated_by, x.note,
        x.gateway_reference, x.failure_reason, x.codes, x.idempotency_key, x.request_fingerprint, x.created_at, x.updated_at
      from o, jsonb_populate_recordset(null::refunds, ${json(refunds)}) as x
      on conflict (id) do update set
        status = excluded.status, note = excluded.note, gateway_reference = excluded.gateway_reference,
        failure_reason = excluded.failure_reason, codes = excluded.codes, updated_at = excluded.updated_at
    ),
    e as (
      insert into order_events (order_id, seq, at, status, event, actor, message, params, request_id)
      select o.id, x.seq, x.at, x.status, x.event, x.actor, x.message, x.params, x.request_id
      from o, jsonb_populate_recordset(null::order_events, ${json(events)}) as x
      on conflict (order_id, seq) do nothing
      returning seq, event
    )
    select (select count(*)::int from o) as written, coalesce((select array_agg(event order by seq) from e), '{}') as events,
      exists (select 1 from webhook_endpoints where merchant_id = ${state.merchantId} and mode = ${modeOf(state.livemode)} and enabled) as webhook_endpoint
  `.execute(db);
  const row = result.rows[0];
  return { written: (row?.written ?? 0) > 0, newEvents: row?.events ?? [], webhookEndpoint: row?.webhookEndpoint ?? false };
}

/**
 * Marks an order for people with an alert code, once. Touches nothing but the alerts, so the data that made
 * a projection write fail cannot make this one fail; an order without a row yet is left alone.
 */
export async function raiseOrderAlert(db: Db, orderId: string, alert: string): Promise<void> {
  await sql`update orders set alerts = array_append(alerts, ${alert}) where id = ${orderId} and not (${alert} = any(alerts))`.execute(db);
}
