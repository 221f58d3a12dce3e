// Webhook endpoints and deliveries on the admin pages, through the same services as the JSON API
// (`/v1/admin/webhook-endpoints`, `/v1/admin/webhook-deliveries`).
import type { Hono } from 'hono';
import { ApiError } from '../../core/errors.js';
import { MERCHANT_EVENT_TYPES } from '../../domain/merchant-events.js';
import { changeEndpoint, createEndpoint, EndpointCreateSchema, removeEndpoint, resendDelivery, rotateSecret, type EndpointView } from '../../services/merchant-webhooks.js';
import { chrome, pageWords, redirectWithFlash, sessionOf, type AdminContext, type AdminEnv, type AdminPagesDeps } from './context.js';
import { field } from './forms.js';
import { refusalWords } from './refusal-words.js';
import { WebhookSecretPage } from './views/webhooks.js';

const BACK = '/admin/settings';
const FRAGMENT = '#webhooks';

export function registerWebhookPages(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  /** Runs a change and goes back to the settings page with its outcome; a refusal is shown there too. */
  async function settle(c: AdminContext, run: () => Promise<string>) {
    try {
      return await redirectWithFlash(c, deps, BACK, { kind: 'success', message: await run() }, FRAGMENT);
    } catch (error) {
      if (error instanceof ApiError && error.status !== 404 && error.status < 500) return redirectWithFlash(c, deps, BACK, { kind: 'error', message: refusalWords(error, pageWords(c)) }, FRAGMENT);
      throw error;
    }
  }

  const secretPage = (c: AdminContext, shown: { endpoint: EndpointView; secret: string }) => c.html(<WebhookSecretPage {...chrome(c)} {...shown} />);

  admin.post('/settings/webhooks', async (c) => {
    const body = await c.req.parseBody();
    const eventTypes = MERCHANT_EVENT_TYPES.filter((type) => field(body, `eventType-${type}`) === 'on');
    const parsed = EndpointCreateSchema.safeParse({ url: field(body, 'url'), eventTypes, enabled: true });
    if (!parsed.success) return redirectWithFlash(c, deps, BACK, { kind: 'error', message: pageWords(c).t('form.webhook') }, FRAGMENT);
    try {
      return secretPage(c, await createEndpoint(deps, sessionOf(c), parsed.data));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) return redirectWithFlash(c, deps, BACK, { kind: 'error', message: refusalWords(error, pageWords(c)) }, FRAGMENT);
      throw error;
    }
  });

  admin.post('/settings/webhooks/:id/enable', (c) => settle(c, async () => pageWords(c).t('admin.webhooks.enabled_flash', { url: (await changeEndpoint(deps, sessionOf(c), c.req.param('id'), { enabled: true })).url })));
  admin.post('/settings/webhooks/:id/disable', (c) => settle(c, async () => pageWords(c).t('admin.webhooks.disabled_flash', { url: (await changeEndpoint(deps, sessionOf(c), c.req.param('id'), { enabled: false })).url })));
  admin.post('/settings/webhooks/:id/delete', (c) =>
    settle(c, async () => {
      await removeEndpoint(deps, sessionOf(c), c.req.param('id'));
      return pageWords(c).t('admin.webhooks.deleted');
    }),
  );
  admin.post('/settings/webhooks/:id/rotate', async (c) => secretPage(c, await rotateSecret(deps, sessionOf(c), c.req.param('id'))));

  admin.post('/orders/:id/webhooks/:deliveryId/resend', async (c) => {
    const back = `/admin/orders/${encodeURIComponent(c.req.param('id'))}`;
    try {
      await resendDelivery(deps, sessionOf(c), c.req.param('deliveryId'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return redirectWithFlash(c, deps, back, { kind: 'error', message: refusalWords(error, pageWords(c)) }, '#deliveries');
      throw error;
    }
    return redirectWithFlash(c, deps, back, { kind: 'success', message: pageWords(c).t('admin.deliveries.resent') }, '#deliveries');
  });
}
