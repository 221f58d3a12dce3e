// Webhook endpoints and their deliveries, for the admin API and the admin pages alike: the URL checked
// for the mode (core/webhook-targets.ts), the secret shown once, a delivery sent again on request.
import { z } from '@hono/zod-openapi';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { MerchantScope } from '../core/modes.js';
import { newWebhookSecret } from '../core/webhook-signature.js';
import { allowedNetworks, checkWebhookTarget, WebhookTargetError } from '../core/webhook-targets.js';
import {
  deleteWebhookEndpoint,
  findDelivery,
  insertWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  type WebhookEndpoint,
} from '../db/merchant-webhooks.js';
import { startDeliveryWorkflow } from '../activities/merchant-webhooks.js';
import { MERCHANT_EVENT_TYPES } from '../domain/merchant-events.js';
import type { AppDeps } from './deps.js';

export const WebhookUrl = z.string().trim().min(1).max(2000).openapi({ example: 'https://shop.example/paystead/webhooks' });
export const EventTypes = z.array(z.enum(MERCHANT_EVENT_TYPES)).min(1).max(MERCHANT_EVENT_TYPES.length).openapi({ description: 'The event types sent to this endpoint.' });

export const EndpointCreateSchema = z
  .object({ url: WebhookUrl, eventTypes: EventTypes.default([...MERCHANT_EVENT_TYPES]), enabled: z.boolean().default(true) })
  .strict()
  .openapi('WebhookEndpointCreate');
export const EndpointPatchSchema = z.object({ url: WebhookUrl, eventTypes: EventTypes, enabled: z.boolean() }).partial().strict().openapi('WebhookEndpointPatch');

/** An endpoint as shown: never its secret. */
export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    livemode: endpoint.mode === 'live',
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() ? endpoint.previousSecretExpiresAt.toISOString() : null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}
export type EndpointView = ReturnType<typeof endpointView>;

/** Refuses a URL the scope's mode may not call, naming why (422 `invalid_webhook_url`). */
async function checkUrl({ config }: Pick<AppDeps, 'config'>, scope: MerchantScope, url: string): Promise<void> {
  try {
    await checkWebhookTarget(url, scope.mode, allowedNetworks(config.webhooks.allowedHosts));
  } catch (error) {
    if (error instanceof WebhookTargetError) throw new ApiError(422, 'invalid_webhook_url', `The webhook URL ${error.message}.`, { url: error.message });
    throw error;
  }
}

const notFound = () => new ApiError(404, 'not_found', 'No such webhook endpoint.');

export async function createEndpoint(deps: Pick<AppDeps, 'db' | 'config'>, scope: MerchantScope, input: z.infer<typeof EndpointCreateSchema>) {
  await checkUrl(deps, scope, input.url);
  const secret = newWebhookSecret();
  const endpoint = await insertWebhookEndpoint(deps.db, deps.config.masterKey, { id: newId('whe'), merchantId: scope.merchantId, mode: scope.mode, url: input.url, eventTypes: [...new Set(input.eventTypes)], enabled: input.enabled }, secret);
  return { endpoint: endpointView(endpoint), secret };
}

export async function listEndpoints({ db }: Pick<AppDeps, 'db'>, scope: MerchantScope): Promise<EndpointView[]> {
  return (await listWebhookEndpoints(db, scope)).map(endpointView);
}

export async function changeEndpoint(deps: Pick<AppDeps, 'db' | 'config'>, scope: MerchantScope, id: string, patch: z.infer<typeof EndpointPatchSchema>): Promise<EndpointView> {
  if (patch.url !== undefined) await checkUrl(deps, scope, patch.url);
  const endpoint = await updateWebhookEndpoint(deps.db, scope, id, { ...patch, ...(patch.eventTypes && { eventTypes: [...new Set(patch.eventTypes)] }) });
  if (!endpoint) throw notFound();
  return endpointView(endpoint);
}

export async function removeEndpoint({ db }: Pick<AppDeps, 'db'>, scope: MerchantScope, id: string): Promise<void> {
  if (!(await deleteWebhookEndpoint(db, scope, id))) throw notFound();
}

/** A new secret, shown once; the old one keeps signing for 24 hours beside it. */
export async function rotateSecret({ db, config }: Pick<AppDeps, 'db' | 'config'>, scope: MerchantScope, id: string) {
  const secret = newWebhookSecret();
  const endpoint = await rotateWebhookSecret(db, config.masterKey, scope, id, secret, new Date());
  if (!endpoint) throw notFound();
  return { endpoint: endpointView(endpoint), secret };
}

/** Deliveries with their attempts: of one order, or of one endpoint. */
export async function deliveriesOf({ db }: Pick<AppDeps, 'db'>, scope: MerchantScope, filter: { orderId: string } | { endpointId: string }) {
  const deliveries = await listDeliveries(db, scope, filter);
  return deliveries.map((d) => ({
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    endpointId: d.endpointId,
    url: d.url,
    orderId: d.orderId,
    status: d.status,
    createdAt: new Date(d.eventCreatedAt).toISOString(),
    attempts: d.attempts.map((a) => ({ at: a.at.toISOString(), statusCode: a.statusCode, durationMs: a.durationMs, responseExcerpt: a.responseExcerpt, error: a.error })),
  }));
}
export type DeliveryView = Awaited<ReturnType<typeof deliveriesOf>>[number];

/** Sends a delivery again, in a run of its own (the endpoint must be enabled to receive it). */
export async function resendDelivery({ db, temporal, config }: Pick<AppDeps, 'db' | 'temporal' | 'config'>, scope: MerchantScope, deliveryId: string): Promise<void> {
  const delivery = await findDelivery(db, scope, deliveryId);
  if (!delivery) throw new ApiError(404, 'not_found', 'No such webhook delivery.');
  if (!delivery.enabled) throw new ApiError(409, 'endpoint_disabled', 'The endpoint is disabled: enable it to send it anything.');
  await startDeliveryWorkflow(temporal, config.temporal.taskQueue, delivery, config.webhooks.firstRetrySeconds, String(Date.now()));
}
