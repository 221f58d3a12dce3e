// One webhook to one endpoint, delivered durably: tried at once, then again after waits that double (from
// the configured first wait up to an hour) for up to 3 days. A 2xx answer ends it; 410 Gone disables the
// endpoint; after 3 days the delivery is abandoned and an endpoint that failed all that time disabled.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { WEBHOOK_RETRY_MS } from '../domain/merchant-events.js';

const MAX_WAIT_MS = 60 * 60 * 1000;

const { deliverWebhook, abandonWebhookDelivery } = proxyActivities<Activities>({
  // One attempt is bounded by its own timeout (activities/webhook-post.ts); these retries cover our side
  // failing (the database), not the receiver's.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface WebhookDeliveryInput {
  deliveryId: string;
  firstRetrySeconds: number;
}

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<string> {
  const deadline = Date.now() + WEBHOOK_RETRY_MS;
  for (let wait = input.firstRetrySeconds * 1000; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
    const outcome = await deliverWebhook(input.deliveryId);
    if (outcome !== 'retry') return outcome;
    if (Date.now() + wait > deadline) break;
    await sleep(wait);
  }
  await abandonWebhookDelivery(input.deliveryId);
  return 'abandoned';
}
