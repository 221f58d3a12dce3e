// What the order model test checks after every step: every call answered within its bound, no activity
// retrying in a loop, the projection equal to the workflow's state, money that adds up, and an order that is
// either final or waiting for someone who can move it on.
import type { WorkflowHandle } from '@temporalio/client';
import { FINAL_STATUSES, type OrderState } from '../../../domain/order.js';
import { stateQuery } from '../../../workflows/messages.js';
import type { Response, Stack } from '../stack.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the order view is JSON read field by field */
export type OrderView = any;

/** Every API call must answer within this (the issue's checkout bound; actions are promised 10 s). */
export const CALL_BOUND_MS = 15_000;
/** How long a step may take to show its effect in both the workflow and the projection. */
export const SETTLE_BOUND_MS = 20_000;
/** More attempts than this on one pending activity is a retry loop, not a blip. */
export const MAX_ACTIVITY_ATTEMPTS = 3;

/** One API call, failing the step when no answer came within the bound. */
export async function answered(what: string, send: (timeoutMs: number) => Promise<Response>): Promise<Response> {
  const started = Date.now();
  try {
    return await send(CALL_BOUND_MS);
  } catch (error) {
    throw new Error(`${what}: no answer within ${CALL_BOUND_MS} ms (gave up after ${Date.now() - started} ms: ${String(error)})`, { cause: error });
  }
}

const n = <T>(value: T | undefined | null): T | null => value ?? null;

/** JSON with object keys sorted: the projection's jsonb columns do not keep key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * The fields both sides hold, in one comparable shape (the projection's nulls are the state's absent keys;
 * reasons and timeline entries as their codes and parameters).
 */
function comparable(o: Pick<OrderState, 'status' | 'paidAmount' | 'refundedAmount' | 'customer' | 'shippingAddress' | 'shipment'> & { statusReason?: unknown; payments: any[]; refunds: any[]; timeline: any[] }) {
  return {
    status: o.status,
    statusReason: n(o.statusReason),
    paidAmount: o.paidAmount,
    refundedAmount: o.refundedAmount,
    customer: o.customer,
    shippingAddress: o.shippingAddress,
    shipment: o.shipment ? { carrier: o.shipment.carrier, trackingNumber: o.shipment.trackingNumber } : null,
    payments: o.payments.map((p) => ({ id: p.id, status: p.status, capturedAmount: n(p.capturedAmount), capturedCurrency: n(p.capturedCurrency), gatewayReference: n(p.gatewayReference) })),
    refunds: [...o.refunds]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((r) => ({ id: r.id, amount: r.amount, status: r.status, reason: r.reason, note: n(r.note), initiatedBy: r.initiatedBy, codes: n(r.codes) })),
    timeline: o.timeline.map((e) => `${e.seq}:${e.event}:${e.status}:${e.actor}:${canonical(n(e.params))}`),
  };
}

/** Where the projection differs from the workflow's own state, field by field. */
export function projectionDiff(view: OrderView, state: OrderState): string[] {
  const a = comparable({ ...view, statusReason: view.statusReasonCode === null ? null : { code: view.statusReasonCode, params: view.statusReasonParams } });
  const b = comparable(state);
  return (Object.keys(a) as Array<keyof typeof a>)
    .filter((key) => canonical(a[key]) !== canonical(b[key]))
    .map((key) => `projection ${key} ${JSON.stringify(a[key])} != workflow ${JSON.stringify(b[key])}`);
}

export interface Observation {
  view: OrderView;
  state: OrderState;
  running: boolean;
}

/** Fails when an activity of the order has been retried past the bound, naming its last failure. */
function retryLoops(description: Awaited<ReturnType<WorkflowHandle['describe']>>): string[] {
  return (description.raw.pendingActivities ?? [])
    .filter((a) => (a.attempt ?? 1) > MAX_ACTIVITY_ATTEMPTS)
    .map((a) => `activity ${a.activityType?.name} in a retry loop: attempt ${a.attempt}, last failure ${JSON.stringify(a.lastFailure?.message ?? null)}`);
}

/**
 * Polls the workflow and the projection until they agree with each other and with what the model expects
 * (`expected` lists the differences from the model; empty when it matches), and no refund is in flight.
 */
export async function settle(stack: Stack, merchantKey: string, orderId: string, handle: WorkflowHandle, expected: (view: OrderView, running: boolean) => string[], boundMs = SETTLE_BOUND_MS): Promise<Observation> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const [response, state, description] = await Promise.all([
      answered('GET /v1/orders/{id}', (timeoutMs) => stack.request('GET', `/v1/orders/${orderId}`, { key: merchantKey, timeoutMs })),
      handle.query(stateQuery),
      handle.describe(),
    ]);
    const loops = retryLoops(description);
    if (loops.length > 0) throw new Error(loops.join('; '));
    const view = response.body;
    const running = description.status.name === 'RUNNING';
    const differences = [...projectionDiff(view, state), ...expected(view, running)];
    const inFlight = view.refunds.filter((r: any) => r.status === 'processing').map((r: any) => `refund ${r.id} still processing`);
    const observation = { view, state, running };
    if (differences.length === 0 && inFlight.length === 0) return observation;
    if (Date.now() > deadline) throw new Error(`not settled within ${boundMs} ms: ${[...differences, ...inFlight].join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Statuses an order may rest in while someone (customer, merchant, gateway) can still move it on. */
const WAITS = new Set(['awaiting_payment', 'paid', 'confirmed', 'shipped', 'delivered']);

/** The rules that hold after any step, whatever came before. */
export function invariantViolations({ view, running }: Observation): string[] {
  const problems: string[] = [];
  const refunds: Array<{ id: string; amount: number; status: string }> = view.refunds;
  const sum = (statuses: string[]) => refunds.filter((r) => statuses.includes(r.status)).reduce((total, r) => total + r.amount, 0);
  if (view.refundedAmount > view.paidAmount) problems.push(`refunded ${view.refundedAmount} above paid ${view.paidAmount}`);
  if (sum(['succeeded']) !== view.refundedAmount) problems.push(`refunds that succeeded add up to ${sum(['succeeded'])}, the order says ${view.refundedAmount}`);
  if (sum(['pending_approval', 'processing', 'succeeded']) > view.paidAmount) problems.push(`refunds commit ${sum(['pending_approval', 'processing', 'succeeded'])} of ${view.paidAmount} paid`);
  for (const r of refunds) if (!(r.amount > 0)) problems.push(`refund ${r.id} of ${r.amount}`);
  const open = refunds.filter((r) => r.status === 'pending_approval' || r.status === 'processing');
  const final = FINAL_STATUSES.has(view.status);
  if (!final && !WAITS.has(view.status)) {
    // needs_review waits for the merchant to accept or refund the capture, which needs to know what was captured.
    const payment = view.payments[0];
    if (view.status !== 'needs_review') problems.push(`unknown status ${view.status}`);
    else if (payment?.capturedAmount == null || payment?.capturedCurrency == null) problems.push(`needs_review without a capture on record (${JSON.stringify(payment)}): no way out`);
  }
  if (!running && (!final || open.length > 0)) problems.push(`the workflow has ended but the order is ${view.status} with ${open.length} open refund(s)`);
  return problems;
}
