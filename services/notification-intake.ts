// Gateway notifications coming in. Order of work matters: verify the signature first (forged or stale:
// rejected, stored and logged, never signalled); store the raw event before acknowledging; signal the
// order's workflow once per provider event; acknowledge with the exact body the gateway expects.
import { ApiError } from '../core/errors.js';
import { metrics } from '../core/metrics.js';
import type { Mode } from '../core/modes.js';
import { BODY_TEXT, findTextIssue, type TextIssue } from '../core/text.js';
import type { Logger } from '../core/logger.js';
import { getMerchant } from '../db/merchants.js';
import { insertRejectedEvent, insertVerifiedEvent, type RejectionBudget, type RejectionCount } from '../db/webhook-events.js';
import { GATEWAY_PROFILES, GATEWAYS, type GatewayName } from '../domain/gateways.js';
import { loadGatewayContext } from '../gateways/context.js';
import type { GatewayNotification } from '../domain/gateway-reports.js';
import { GatewayError, NotificationRejected, type Acknowledgement, type GatewayAdapter } from '../gateways/types.js';
import type { AppDeps } from './deps.js';
import type { DispatchStatus, NotificationDispatcher } from './notification-dispatch.js';

export interface RawNotification {
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Unverifiable notifications kept per merchant, gateway and hour: anyone who knows a merchant id (it is in
 * every notify URL) can post them, so storage is bounded; the counts stay in `webhook_rejection_windows`.
 */
export const REJECTED_NOTIFICATION_BUDGET: RejectionBudget = { windowMs: 3_600_000, maxStored: 50, maxStoredBytes: 256 * 1024, maxSampled: 10, sampleBytes: 1024 };

/** One line per stored rejection; past the budget, lines at the 1st, 10th, 100th... notification only counted. */
function logRejection(logger: Logger, fields: { gateway: string; merchantId: string; reason: string }, count: RejectionCount): void {
  if (count.outcome === 'stored') return void logger.warn(fields, 'webhook rejected');
  const overBudget = count.received - count.stored;
  if (!Number.isInteger(Math.log10(overBudget))) return;
  logger.warn({ ...fields, windowStart: count.windowStart, received: count.received, stored: count.stored, sampled: count.sampled }, 'webhook rejected over the storage budget: counted, not stored in full');
}

/** Verifies, stores and hands over one notification; a forged or stale one is stored and refused. */
async function handleNotification(deps: AppDeps, dispatcher: NotificationDispatcher, adapter: GatewayAdapter, merchantId: string, mode: Mode, raw: RawNotification): Promise<DispatchStatus> {
  const { db, config, logger } = deps;
  const gateway = adapter.name;
  let notification: GatewayNotification;
  try {
    const ctx = await loadGatewayContext({ db, masterKey: config.masterKey, publicBaseUrl: config.http.publicBaseUrl }, merchantId, gateway, mode);
    notification = await adapter.verifyNotification(ctx, raw);
    metrics.notification(gateway, mode, 'verified');
  } catch (error) {
    metrics.notification(gateway, mode, error instanceof NotificationRejected ? 'rejected' : 'unverifiable');
    if (!(error instanceof NotificationRejected)) throw error;
    const count = await insertRejectedEvent(db, { gateway, merchantId, mode, raw, reason: error.message }, REJECTED_NOTIFICATION_BUDGET);
    logRejection(logger, { gateway, merchantId, reason: error.message }, count);
    throw new ApiError(error.httpStatus, 'invalid_notification', error.message);
  }
  // Signed, yet unstorable (NUL, lone surrogates): kept out like a forged one, but not stored raw either.
  const issue = findTextIssue(notification, BODY_TEXT, 'notification');
  if (issue) throw unstorable(gateway, merchantId, issue, deps);
  const eventId = await insertVerifiedEvent(db, { gateway, merchantId, mode, raw, notification });
  const status = await dispatcher.dispatch({ id: eventId, gateway, merchantId, mode }, notification);
  // Signed, but for an order of the other mode (a test notification naming a live payment, say): refused.
  if (status === 'rejected') throw new ApiError(409, 'notification_mode_mismatch', `This ${mode}-mode notification names an order of the other mode; it was stored and rejected.`);
  return status;
}

function unstorable(gateway: string, merchantId: string, issue: TextIssue, { logger }: Pick<AppDeps, 'logger'>): ApiError {
  logger.warn({ gateway, merchantId, field: issue.path, reason: issue.message }, 'webhook refused: text that cannot be stored');
  return new ApiError(400, 'invalid_text', `The notification contains text that cannot be accepted: ${issue.path} ${issue.message}.`);
}

/**
 * Takes a notification posted to `/webhooks/{gateway}/{merchantId}` (live) or `…/test` and answers what the gateway expects.
 * An unknown gateway or merchant, or a forged notification, is an `ApiError`; a notification that could not
 * be handed over is acknowledged as not accepted, so the gateway sends it again.
 */
export async function receiveNotification(deps: AppDeps, dispatcher: NotificationDispatcher, gateway: string, merchantId: string, path: 'live' | 'test', raw: () => Promise<RawNotification>): Promise<Acknowledgement> {
  const name = (GATEWAYS as readonly string[]).includes(gateway) ? (gateway as GatewayName) : undefined;
  // A gateway that runs in test mode only (the sandbox) hears its notifications at either address: they are test notifications.
  const mode: Mode = name && GATEWAY_PROFILES[name].modes.includes('live') ? path : 'test';
  const adapter = name && deps.gateways.get(name, mode);
  if (!adapter) throw new ApiError(404, 'not_found', `No such gateway${name ? ` in ${mode} mode` : ''}.`);
  if (!(await getMerchant(deps.db, merchantId))) throw new ApiError(404, 'not_found', 'No such merchant.');
  const notification = await raw();
  const issue = findTextIssue(notification, BODY_TEXT);
  if (issue) throw unstorable(gateway, merchantId, issue, deps);
  let accepted = true;
  try {
    await handleNotification(deps, dispatcher, adapter, merchantId, mode, notification);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // Stored (or not) but not handed over: tell the gateway to try again later. Credentials that cannot
    // verify (missing, unreadable) come here too, not to the forged ones: the notification may be
    // genuine, and a retry after the merchant has mended them goes through.
    deps.logger.error({ err: error, gateway, merchantId }, error instanceof GatewayError && error.kind === 'auth' ? 'webhook not verified: gateway credentials unusable' : 'webhook processing failed');
    accepted = false;
  }
  return adapter.acknowledge(accepted);
}
