// Stripe's webhook delivery: every event of an account goes to each of its endpoints subscribed to the
// type, as pretty-printed JSON signed `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
// signed afresh on each try, retried while the answer is not 2xx (Stripe looks at the status only; the
// answers are recorded so tests can check their exact bytes). Test controls bend single deliveries.
import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export type DeliveryMode = 'deliver' | 'drop' | 'duplicate' | 'reorder' | 'corrupt' | 'stale' | 'foreign-secret';

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

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  url: string;
  mode: DeliveryMode;
  status?: number;
  contentType?: string;
  body?: string;
  error?: string;
}

export function signature(secret: string, payload: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

/** A changed amount, as an attacker would try; any single changed byte breaks the signature alike. */
function tamper(payload: string): string {
  const tampered = payload.replace(/"amount(_total)?": (\d+)/, (_all, suffix: string | undefined, amount: string) => `"amount${suffix ?? ''}": ${Number(amount) + 1}`);
  return tampered === payload ? payload.replace('"id"', '"Id"') : tampered;
}

export function createWebhookSender(options: { attempts: number; retryDelayMs: number }) {
  const attempts: DeliveryAttempt[] = [];
  const inflight = new Set<Promise<void>>();
  let held: Array<() => Promise<void>> = [];

  async function post(endpoint: Endpoint, event: { id: string; type: string }, payload: string, mode: DeliveryMode): Promise<boolean> {
    const forged = mode === 'corrupt' || mode === 'stale' || mode === 'foreign-secret';
    const timestamp = Math.floor(Date.now() / 1000) - (mode === 'stale' ? 600 : 0);
    const secret = mode === 'foreign-secret' ? `whsec_${randomBytes(24).toString('base64')}` : endpoint.secret;
    const header = signature(secret, payload, timestamp);
    const attempt: DeliveryAttempt = { eventId: event.id, type: event.type, url: endpoint.url, mode };
    attempts.push(attempt);
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': header },
        body: mode === 'corrupt' ? tamper(payload) : payload,
        signal: AbortSignal.timeout(10_000),
      });
      Object.assign(attempt, { status: response.status, contentType: response.headers.get('content-type') ?? undefined, body: await response.text() });
      return forged || response.ok;
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
      return forged;
    }
  }

  async function deliver(endpoint: Endpoint, event: { id: string; type: string }, payload: string, mode: DeliveryMode): Promise<void> {
    for (let tryNo = 1; tryNo <= options.attempts; tryNo++) {
      if (await post(endpoint, event, payload, mode)) return;
      await sleep(options.retryDelayMs * 2 ** (tryNo - 1));
    }
  }

  function track(work: Promise<void>): void {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  }

  return {
    attempts,

    send(endpoints: readonly Endpoint[], event: { id: string; type: string }, delivery: Delivery = {}): void {
      const mode = delivery.mode ?? 'deliver';
      const payload = JSON.stringify(event, null, 2);
      const subscribed = endpoints.filter((endpoint) => endpoint.events.includes(event.type) || endpoint.events.includes('*'));
      const run = async () => {
        if (delivery.delayMs) await sleep(delivery.delayMs);
        await Promise.all(
          subscribed.map(async (endpoint) => {
            await deliver(endpoint, event, payload, mode);
            if (mode === 'duplicate') await deliver(endpoint, event, payload, mode);
          }),
        );
      };
      if (mode === 'drop') return;
      if (mode === 'reorder') {
        held.push(run);
        return;
      }
      const released = held;
      held = [];
      track(run().then(async () => void (await Promise.all(released.map((later) => later())))));
    },

    /** Resolves once every delivery under way (retries included) has finished. */
    async idle(): Promise<void> {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
