import type { Migration, MigrationProvider } from 'kysely';
import * as merchants from './2026-11-25T00-00-00-merchants.js';
import * as orders from './2026-11-25T01-00-00-orders.js';
import * as webhookNotification from './2026-11-25T02-00-00-webhook-notification.js';
import * as refundIdempotency from './2026-11-26T00-00-00-refund-idempotency.js';
import * as adminSessions from './2026-11-26T01-00-00-admin-sessions.js';
import * as isoMinorUnits from './2026-11-26T02-00-00-iso-minor-units.js';
import * as orderAlerts from './2026-12-03T00-00-00-order-alerts.js';
import * as throttle from './2026-12-03T01-00-00-throttle.js';
import * as webhookRejectionWindows from './2026-12-03T02-00-00-webhook-rejection-windows.js';
import * as modes from './2026-12-03T03-00-00-modes.js';
import * as webhookEventModes from './2026-12-03T11-00-00-webhook-event-modes.js';
import * as pricesIncludeTax from './2026-12-03T13-00-00-prices-include-tax.js';
import * as customerEmail from './2026-12-03T15-00-00-customer-email.js';
import * as merchantWebhooks from './2026-12-03T16-00-00-merchant-webhooks.js';
import * as locales from './2026-12-03T17-00-00-locales.js';
import * as orderLocale from './2026-12-04T01-00-00-order-locale.js';
import * as emailSendStatus from './2026-12-04T01-30-00-email-send-status.js';
import * as reconciliation from './2026-12-04T04-00-00-reconciliation.js';
import * as requestIds from './2026-12-04T06-00-00-request-ids.js';
import * as codedReasons from './2026-12-04T09-00-00-coded-reasons.js';
import * as webhookAttemptRuns from './2026-12-04T10-00-00-webhook-attempt-runs.js';
import * as sandboxBehaviours from './2026-12-05T01-00-00-sandbox-behaviours.js';

/** Every migration, listed explicitly in order: no directory scanning, so bundles and tests see the same set. */
const migrations: Record<string, Migration> = {
  '2026-11-25T00-00-00-merchants': merchants,
  '2026-11-25T01-00-00-orders': orders,
  '2026-11-25T02-00-00-webhook-notification': webhookNotification,
  '2026-11-26T00-00-00-refund-idempotency': refundIdempotency,
  '2026-11-26T01-00-00-admin-sessions': adminSessions,
  '2026-11-26T02-00-00-iso-minor-units': isoMinorUnits,
  '2026-12-03T00-00-00-order-alerts': orderAlerts,
  '2026-12-03T01-00-00-throttle': throttle,
  '2026-12-03T02-00-00-webhook-rejection-windows': webhookRejectionWindows,
  '2026-12-03T03-00-00-modes': modes,
  '2026-12-03T11-00-00-webhook-event-modes': webhookEventModes,
  '2026-12-03T13-00-00-prices-include-tax': pricesIncludeTax,
  '2026-12-03T15-00-00-customer-email': customerEmail,
  '2026-12-03T16-00-00-merchant-webhooks': merchantWebhooks,
  '2026-12-03T17-00-00-locales': locales,
  '2026-12-04T01-00-00-order-locale': orderLocale,
  '2026-12-04T01-30-00-email-send-status': emailSendStatus,
  '2026-12-04T04-00-00-reconciliation': reconciliation,
  '2026-12-04T06-00-00-request-ids': requestIds,
  '2026-12-04T09-00-00-coded-reasons': codedReasons,
  '2026-12-04T10-00-00-webhook-attempt-runs': webhookAttemptRuns,
  '2026-12-05T01-00-00-sandbox-behaviours': sandboxBehaviours,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
