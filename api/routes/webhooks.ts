// Gateway notifications. Order of work matters: verify the signature first (forged or stale: rejected,
// stored and logged, never signalled); store the raw event before acknowledging; signal the order's
// workflow once per provider event; acknowledge with the exact body the gateway expects.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { newId } from '../../core/ids.js';
import { GATEWAYS, type GatewayName } from '../../domain/order.js';
import { loadGatewayContext } from '../../gateways/context.js';
import type { GatewayNotification } from '../../domain/gateway-reports.js';
import { GatewayError, NotificationRejected, type GatewayAdapter } from '../../gateways/types.js';
import type { AppDeps, AppEnv } from '../app.js';
import { ApiError } from '../../core/errors.js';
import { createNotificationDispatcher, type DispatchStatus } from '../notification-dispatch.js';

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { db, gateways, logger, config } = deps;
  const dispatcher = createNotificationDispatcher(deps);

  async function handleNotification(adapter: GatewayAdapter, merchantId: string, raw: { headers: Record<string, string>; body: string }): Promise<DispatchStatus> {
    const gateway = adapter.name;
    const ctx = await loadGatewayContext({ db, masterKey: config.masterKey, publicBaseUrl: config.http.publicBaseUrl }, merchantId, gateway);
    let notification: GatewayNotification;
    try {
      notification = await adapter.verifyNotification(ctx, raw);
    } catch (error) {
      if (!(error instanceof NotificationRejected)) throw error;
      await db.insertInto('webhookEvents').values({ id: newId('evt'), gateway, merchantId, headers: JSON.stringify(raw.headers), body: raw.body, verified: false, verificationError: error.message, status: 'rejected' }).execute();
      logger.warn({ gateway, merchantId, reason: error.message }, 'webhook rejected');
      throw new ApiError(error.httpStatus, 'invalid_notification', error.message);
    }

    const event = await db
      .insertInto('webhookEvents')
      .values({
        id: newId('evt'),
        gateway,
        merchantId,
        providerEventId: notification.eventId,
        headers: JSON.stringify(raw.headers),
        body: raw.body,
        verified: true,
        kind: notification.kind,
        paymentId: notification.kind === 'payment' ? notification.paymentId : (notification.paymentId ?? null),
        refundId: notification.kind === 'refund' ? notification.refundId : null,
        status: 'received',
        notification: JSON.stringify(notification),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return dispatcher.dispatch({ id: event.id, gateway, merchantId }, notification);
  }

  app.post('/webhooks/:gateway/:merchantId', async (c) => {
    const { gateway, merchantId } = c.req.param();
    const adapter = (GATEWAYS as readonly string[]).includes(gateway) ? gateways.get(gateway as GatewayName) : undefined;
    if (!adapter) throw new ApiError(404, 'not_found', 'No such gateway.');
    const merchant = await db.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst();
    if (!merchant) throw new ApiError(404, 'not_found', 'No such merchant.');
    const headers = Object.fromEntries([...c.req.raw.headers.entries()].map(([k, v]) => [k.toLowerCase(), v]));
    const body = await c.req.text();
    let accepted = true;
    try {
      await handleNotification(adapter, merchantId, { headers, body });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Stored (or not) but not handed over: tell the gateway to try again later. Credentials that cannot
      // verify (missing, unreadable) come here too, not to the forged ones: the notification may be
      // genuine, and a retry after the merchant has mended them goes through.
      logger.error({ err: error, gateway, merchantId }, error instanceof GatewayError && error.kind === 'auth' ? 'webhook not verified: gateway credentials unusable' : 'webhook processing failed');
      accepted = false;
    }
    const ack = adapter.acknowledge(accepted);
    return c.body(ack.body, ack.status as 200, { 'content-type': ack.contentType });
  });
}
