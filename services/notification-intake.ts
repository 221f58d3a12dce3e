// Gateway notifications coming in. Order of work matters: verify the signature first (forged or stale:
// rejected, stored and logged, never signalled); store the raw event before acknowledging; signal the
// order's workflow once per provider event; acknowledge with the exact body the gateway expects.
import { ApiError } from '../core/errors.js';
import { BODY_TEXT, findTextIssue, type TextIssue } from '../core/text.js';
import { getMerchant } from '../db/merchants.js';
import { insertRejectedEvent, insertVerifiedEvent } from '../db/webhook-events.js';
import { GATEWAYS, type GatewayName } from '../domain/gateways.js';
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

/** Verifies, stores and hands over one notification; a forged or stale one is stored and refused. */
async function handleNotification(deps: AppDeps, dispatcher: NotificationDispatcher, adapter: GatewayAdapter, merchantId: string, raw: RawNotification): Promise<DispatchStatus> {
  const { db, config, logger } = deps;
  const gateway = adapter.name;
  const ctx = await loadGatewayContext({ db, masterKey: config.masterKey, publicBaseUrl: config.http.publicBaseUrl }, merchantId, gateway);
  let notification: GatewayNotification;
  try {
    notification = await adapter.verifyNotification(ctx, raw);
  } catch (error) {
    if (!(error instanceof NotificationRejected)) throw error;
    await insertRejectedEvent(db, { gateway, merchantId, raw, reason: error.message });
    logger.warn({ gateway, merchantId, reason: error.message }, 'webhook rejected');
    throw new ApiError(error.httpStatus, 'invalid_notification', error.message);
  }
  // Signed, yet unstorable (NUL, lone surrogates): kept out like a forged one, but not stored raw either.
  const issue = findTextIssue(notification, BODY_TEXT, 'notification');
  if (issue) throw unstorable(gateway, merchantId, issue, deps);
  const eventId = await insertVerifiedEvent(db, { gateway, merchantId, raw, notification });
  return dispatcher.dispatch({ id: eventId, gateway, merchantId }, notification);
}

function unstorable(gateway: string, merchantId: string, issue: TextIssue, { logger }: Pick<AppDeps, 'logger'>): ApiError {
  logger.warn({ gateway, merchantId, field: issue.path, reason: issue.message }, 'webhook refused: text that cannot be stored');
  return new ApiError(400, 'invalid_text', `The notification contains text that cannot be accepted: ${issue.path} ${issue.message}.`);
}

/**
 * Takes a notification posted to `/webhooks/{gateway}/{merchantId}` and answers what the gateway expects.
 * An unknown gateway or merchant, or a forged notification, is an `ApiError`; a notification that could not
 * be handed over is acknowledged as not accepted, so the gateway sends it again.
 */
export async function receiveNotification(deps: AppDeps, dispatcher: NotificationDispatcher, gateway: string, merchantId: string, raw: () => Promise<RawNotification>): Promise<Acknowledgement> {
  const adapter = (GATEWAYS as readonly string[]).includes(gateway) ? deps.gateways.get(gateway as GatewayName) : undefined;
  if (!adapter) throw new ApiError(404, 'not_found', 'No such gateway.');
  if (!(await getMerchant(deps.db, merchantId))) throw new ApiError(404, 'not_found', 'No such merchant.');
  const notification = await raw();
  const issue = findTextIssue(notification, BODY_TEXT);
  if (issue) throw unstorable(gateway, merchantId, issue, deps);
  let accepted = true;
  try {
    await handleNotification(deps, dispatcher, adapter, merchantId, notification);
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
