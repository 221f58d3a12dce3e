// Gateway notifications: `POST /webhooks/{gateway}/{merchantId}` in live mode, `…/test` in test mode, answered with the exact body the gateway
// expects (services/notification-intake.ts verifies, stores and hands them over).
import type { Handler } from 'hono';
import { createNotificationDispatcher } from '../../services/notification-dispatch.js';
import { receiveNotification } from '../../services/notification-intake.js';
import type { AppEnv, AppOpenAPI, RouteDeps } from '../context.js';

export function registerWebhookRoutes(app: AppOpenAPI, deps: RouteDeps) {
  const dispatcher = createNotificationDispatcher(deps);

  const receive = (mode: 'live' | 'test'): Handler<AppEnv> => async (c) => {
    const { gateway = '', merchantId = '' } = c.req.param();
    const ack = await receiveNotification(c.var.deps, dispatcher, gateway, merchantId, mode, async () => ({
      headers: Object.fromEntries([...c.req.raw.headers.entries()].map(([k, v]) => [k.toLowerCase(), v])),
      body: await c.req.text(),
    }));
    return c.body(ack.body, ack.status as 200, { 'content-type': ack.contentType });
  };

  app.post('/webhooks/:gateway/:merchantId', receive('live'));
  app.post('/webhooks/:gateway/:merchantId/test', receive('test'));
}
