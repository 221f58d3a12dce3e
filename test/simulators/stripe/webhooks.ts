// Stripe's webhook delivery: every event of an account goes to each of its endpoints subscribed to the
// type, as pretty-printed JSON signed `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
// signed afresh on each try, retried while the answer is not 2xx (Stripe looks at the status only; the
// answers are recorded so tests can check their exact bytes). Test controls bend single deliveries.
import { createHmac, randomBytes } from 'node:crypto';
import { createDeliveries, type Fault } from '../delivery.js';

export type DeliveryMode = Fault | 'stale' | 'foreign-secret';

/**
 * `reorder` holds the event back until the next event has been delivered; `corrupt` changes the
 * amount in the body after signing; `stale` signs with a timestamp ten minutes old; `foreign-secret` signs
 * with a secret that is not the endpoint's. Those last three model a forgery, not Stripe, so are not retried.
 */
export interface Delivery {
  mode?: DeliveryMode;
  delayMs?: number;
}

export interface Endpoint {
  url: string;
  secret: string;
  events: readonly string[];
}

interface Webhook {
  endpoint: Endpoint;
  event: { id: string; type: string };
  payload: string;
  mode: DeliveryMode;
}

const FORGED = new Set<DeliveryMode>(['corrupt', 'stale', 'foreign-secret']);

export function signature(secret: string, payload: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

/** A changed amount, as an attacker would try; any single changed byte breaks the signature alike. */
function tamper(payload: string): string {
  const tampered = payload.replace(/"amount(_total)?": (\d+)/, (_all, suffix: string | undefined, amount: string) => `"amount${suffix ?? ''}": ${Number(amount) + 1}`);
  return tampered === payload ? payload.replace('"id"', '"Id"') : tampered;
}

function request({ endpoint, payload, mode }: Webhook) {
  const timestamp = Math.floor(Date.now() / 1000) - (mode === 'stale' ? 600 : 0);
  const secret = mode === 'foreign-secret' ? `whsec_${randomBytes(24).toString('base64')}` : endpoint.secret;
  return {
    url: endpoint.url,
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': signature(secret, payload, timestamp) },
    body: payload,
  };
}

export function createWebhookSender() {
  const deliveries = createDeliveries({
    request,
    tamper,
    label: ({ event, endpoint, mode }: Webhook) => ({ eventId: event.id, type: event.type, url: endpoint.url, mode }),
    settles: (answer, { mode }) => FORGED.has(mode) || (answer.status >= 200 && answer.status < 300),
    // Stripe's schedule (hours apart, for three days) shrunk: doubling pauses, four attempts.
    retryPausesMs: [100, 200, 400],
  });

  return {
    attempts: deliveries.attempts,

    send(endpoints: readonly Endpoint[], event: { id: string; type: string }, delivery: Delivery = {}): void {
      const mode = delivery.mode ?? 'deliver';
      const payload = JSON.stringify(event, null, 2);
      const fault = mode === 'stale' || mode === 'foreign-secret' ? 'deliver' : mode;
      for (const endpoint of endpoints) {
        if (endpoint.events.includes(event.type) || endpoint.events.includes('*')) void deliveries.send({ endpoint, event, payload, mode }, { fault, delayMs: delivery.delayMs });
      }
    },

    /** Resolves once every delivery under way (retries included) has finished. */
    idle: deliveries.idle,
  };
}
