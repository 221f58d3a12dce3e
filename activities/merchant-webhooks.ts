// Merchant webhooks on the worker's side: the events an order's projection brings (stored, each handed to
// a delivery workflow per endpoint) and the delivery attempts themselves.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { metrics } from '../core/metrics.js';
import { modeOf } from '../core/modes.js';
import { SIGNATURE_HEADER, webhookSignature } from '../core/webhook-signature.js';
import { allowedNetworks, checkWebhookTarget } from '../core/webhook-targets.js';
import { abandonDelivery, disableWebhookEndpoint, loadDelivery, markDeliveriesStarted, recordAttempt, signingSecrets, storedEventIds, storeEventsAndDeliveries, succeededInRun } from '../db/merchant-webhooks.js';
import { loadOrderView } from '../db/order-view.js';
import { merchantEventsOf, WEBHOOK_RETRY_MS } from '../domain/merchant-events.js';
import type { OrderState } from '../domain/order.js';
import type { WebhookDeliveryInput, webhookDeliveryWorkflow } from '../workflows/webhook-delivery.js';
import type { ActivityDeps } from './deps.js';
import { postWebhook } from './webhook-post.js';

export type DeliveryOutcome = 'delivered' | 'retry' | 'gone' | 'skipped';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Starts the delivery workflow of one (event, endpoint): its id comes from both, so it runs once however
 * often this is called; `resend` gives it a run of its own, for a merchant's resend.
 */
export async function startDeliveryWorkflow(
  temporal: Client,
  taskQueue: string,
  delivery: { id: string; eventId: string; endpointId: string },
  firstRetrySeconds: number,
  resend?: string,
): Promise<void> {
  const input: WebhookDeliveryInput = { deliveryId: delivery.id, firstRetrySeconds };
  try {
    await temporal.workflow.start<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
      workflowId: `webhook-${delivery.eventId}-${delivery.endpointId}${resend ? `-resend-${resend}` : ''}`,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * After a projection write: the state's merchant events not stored yet become event rows (with the order
 * as the API shows it now), each gets a delivery per interested endpoint, and every delivery not yet
 * started is. Nothing is read off the state for a merchant without an enabled endpoint in the order's mode
 * (`webhookEndpoint`, as the projection write found it).
 */
export async function recordMerchantEvents({ db, temporal, webhooks }: ActivityDeps, state: OrderState, webhookEndpoint: boolean): Promise<void> {
  const events = merchantEventsOf(state);
  const scope = { merchantId: state.merchantId, mode: modeOf(state.livemode) };
  if (events.length === 0 || !webhookEndpoint) return;
  const stored = await storedEventIds(db, state.orderId);
  const fresh = events.filter((event) => !stored.has(event.id));
  const order = fresh.length > 0 ? await loadOrderView(db, scope, state.orderId) : undefined;
  const rows = order
    ? fresh.map((event) => ({
        id: event.id,
        merchantId: state.merchantId,
        livemode: state.livemode,
        orderId: state.orderId,
        type: event.type,
        seq: event.seq,
        createdAt: event.createdAt,
        body: JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, livemode: state.livemode, data: { order, seq: event.seq } }),
      }))
    : [];
  const unstarted = await storeEventsAndDeliveries(db, state.orderId, rows);
  const { taskQueue } = Context.current().info;
  for (const delivery of unstarted) await startDeliveryWorkflow(temporal, taskQueue, delivery, webhooks.firstRetrySeconds);
  await markDeliveriesStarted(db, unstarted.map((d) => d.id));
}

/**
 * One attempt of a delivery by the delivery workflow `workflowId`: checked target, signed body, the answer
 * stored; what the workflow does next. The one duplicate left is a crash between the receiver's answer and
 * its storing.
 */
export async function deliverWebhookAttempt({ db, masterKey, webhooks }: Pick<ActivityDeps, 'db' | 'masterKey' | 'webhooks'>, deliveryId: string, workflowId: string): Promise<DeliveryOutcome> {
  const allowed = allowedNetworks(webhooks.allowedHosts);
  const found = await loadDelivery(db, deliveryId);
  if (!found || !found.endpoint.enabled) return 'skipped';
  // An activity retried after its success was stored (its completion never reached Temporal) sends nothing.
  if (await succeededInRun(db, deliveryId, workflowId)) return 'delivered';
  const { delivery, endpoint } = found;
  const at = new Date();
  const started = performance.now();
  let statusCode: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    const target = await checkWebhookTarget(endpoint.url, endpoint.mode, allowed);
    const answer = await postWebhook(
      target,
      {
        'content-type': 'application/json',
        'user-agent': 'Paystead-Webhooks/1',
        [SIGNATURE_HEADER]: webhookSignature(signingSecrets(masterKey, endpoint, at), delivery.body, at),
      },
      delivery.body,
    );
    statusCode = answer.statusCode;
    excerpt = answer.excerpt;
  } catch (caught) {
    error = errorText(caught);
  }
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  await recordAttempt(db, delivery.id, endpoint.id, { at, statusCode, durationMs: Math.round(performance.now() - started), responseExcerpt: excerpt, error, workflowId }, succeeded);
  metrics.delivery('webhook', succeeded ? 'delivered' : 'failed');
  if (succeeded) return 'delivered';
  if (statusCode === 410) {
    await disableWebhookEndpoint(db, endpoint.id, 'The endpoint answered 410 Gone.');
    return 'gone';
  }
  return 'retry';
}

export function createMerchantWebhookActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** One attempt (deliverWebhookAttempt), named by the delivery workflow that asks for it. */
    deliverWebhook(deliveryId: string): Promise<DeliveryOutcome> {
      const { workflowExecution } = Context.current().info;
      return deliverWebhookAttempt(deps, deliveryId, workflowExecution?.workflowId ?? '');
    },

    /** The delivery failed for the whole retry window; so did its endpoint, unless another delivery got through since. */
    async abandonWebhookDelivery(deliveryId: string): Promise<void> {
      // A minute's slack: the workflow's 3 days began just before this endpoint's first failure.
      const failingBefore = new Date(Date.now() - WEBHOOK_RETRY_MS + 60_000);
      await abandonDelivery(db, deliveryId, failingBefore, 'Every delivery failed for 3 days.');
      metrics.delivery('webhook', 'abandoned');
    },
  };
}
