// Every metric Paystead records, in one place, each with its labels and their vocabularies. Recorded where
// the work happens (the API's requests, the services, the activities), never in workflow code; served as
// Prometheus text at `/metrics` by the API and the worker (with the Temporal SDK's own metrics beside).
// Labels are low in cardinality: route patterns, gateways, modes and outcomes, never an order's id.
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Mode } from './modes.js';

/** What a checkout call came to: `refused` a 4xx, `gateway_error` a 502, `busy` a 503/504, `error` anything else. */
export const CHECKOUT_OUTCOMES = ['created', 'replayed', 'refused', 'gateway_error', 'busy', 'error'] as const;
/** What became of a payment, read off the order's timeline as it is projected. */
export const PAYMENT_OUTCOMES = ['created', 'creation_failed', 'succeeded', 'failed', 'mismatch', 'accepted', 'refused', 'expired', 'cancelled', 'late'] as const;
export const REFUND_OUTCOMES = ['requested', 'started', 'approved', 'rejected', 'succeeded', 'failed'] as const;
/** `rejected`: forged or stale; `unverifiable`: could not be checked (credentials missing or unusable, say). */
export const NOTIFICATION_OUTCOMES = ['verified', 'rejected', 'unverifiable'] as const;
export const DELIVERY_CHANNELS = ['webhook', 'email'] as const;
/** One attempt `delivered` or `failed`; `abandoned` after the whole retry window failed. */
export const DELIVERY_OUTCOMES = ['delivered', 'failed', 'abandoned'] as const;

export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];
export type RefundOutcome = (typeof REFUND_OUTCOMES)[number];
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** The process's one registry: what `/metrics` serves. */
export const metricsRegistry = new Registry();
const registers = [metricsRegistry];

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const httpRequestDuration = new Histogram({
  name: 'paystead_http_request_duration_seconds',
  help: 'API requests by method, route pattern and status: time until the response began',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS_BUCKETS,
  registers,
});
const checkouts = new Counter({
  name: 'paystead_checkouts_total',
  help: 'Checkout calls by gateway, mode and outcome',
  labelNames: ['gateway', 'mode', 'outcome'] as const,
  registers,
});
const payments = new Counter({
  name: 'paystead_payments_total',
  help: 'Payment events by gateway, mode and outcome, counted once as the order is projected',
  labelNames: ['gateway', 'mode', 'outcome'] as const,
  registers,
});
const refunds = new Counter({
  name: 'paystead_refunds_total',
  help: 'Refund events by gateway, mode and outcome, counted once as the order is projected',
  labelNames: ['gateway', 'mode', 'outcome'] as const,
  registers,
});
const notifications = new Counter({
  name: 'paystead_gateway_notifications_total',
  help: 'Gateway notifications received, by gateway, mode and verification outcome',
  labelNames: ['gateway', 'mode', 'outcome'] as const,
  registers,
});
const projectionLag = new Histogram({
  name: 'paystead_projection_lag_seconds',
  help: "Time from an order's change in its workflow to the projection of that change written to Postgres",
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers,
});
const deliveries = new Counter({
  name: 'paystead_deliveries_total',
  help: 'Merchant webhook and customer e-mail delivery attempts by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  registers,
});
const openDiscrepancies = new Gauge({
  name: 'paystead_reconciliation_open_discrepancies',
  help: 'Reconciliation discrepancies waiting for a person, by gateway and mode (read from Postgres at each scrape of the API)',
  labelNames: ['gateway', 'mode'] as const,
  registers,
});

/** The recorders; labels typed by the vocabularies above (gateways as `GatewayName` strings). */
export const metrics = {
  httpRequest(labels: { method: string; route: string; status: number }, seconds: number): void {
    httpRequestDuration.observe(labels, seconds);
  },
  checkout(gateway: string, mode: Mode, outcome: CheckoutOutcome): void {
    checkouts.inc({ gateway, mode, outcome });
  },
  payment(gateway: string, mode: Mode, outcome: PaymentOutcome): void {
    payments.inc({ gateway, mode, outcome });
  },
  refund(gateway: string, mode: Mode, outcome: RefundOutcome): void {
    refunds.inc({ gateway, mode, outcome });
  },
  notification(gateway: string, mode: Mode, outcome: NotificationOutcome): void {
    notifications.inc({ gateway, mode, outcome });
  },
  projectionLag(seconds: number): void {
    projectionLag.observe(Math.max(0, seconds));
  },
  delivery(channel: DeliveryChannel, outcome: DeliveryOutcome): void {
    deliveries.inc({ channel, outcome });
  },
  /** The whole set of open discrepancy counts: pairs no longer listed drop out. */
  openDiscrepancies(counts: ReadonlyArray<{ gateway: string; mode: Mode; open: number }>): void {
    openDiscrepancies.reset();
    for (const { gateway, mode, open } of counts) openDiscrepancies.set({ gateway, mode }, open);
  },
};

/** Node's own process metrics (CPU, memory, event loop lag, GC) beside ours: once, from a process's entry point. */
export function collectProcessMetrics(): void {
  collectDefaultMetrics({ register: metricsRegistry });
}

/** The registry as Prometheus text, and its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether a scrape may read `/metrics`: always without a configured token, else only with `Bearer <token>`. */
export function scrapeAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${token}`));
}
