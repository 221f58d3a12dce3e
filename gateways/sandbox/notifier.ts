// Delivers signed sandbox notifications to a merchant's notify URL, the way a real gateway does: a few
// tries with a short pause, then it gives up and logs. Delivery trouble never reaches the caller as an
// exception; the receiver is expected to reconcile by querying.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import type { SandboxEvent } from './events.js';
import { SANDBOX_SIGNATURE_HEADER, signNotification } from './signature.js';

const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 200;
/** A receiver that hangs must not hold the customer on the hosted page for long. */
const ATTEMPT_TIMEOUT_MS = 3000;

export type DeliveryStatus = 'delivered' | 'failed';

export interface Notifier {
  /** POSTs `body` (the serialised `event`) until a 2xx answer or the tries run out. */
  deliver(target: { url: string; secret: string }, event: SandboxEvent, body?: string): Promise<DeliveryStatus>;
}

export function createNotifier(deps: { logger: Logger; fetch?: typeof fetch }): Notifier {
  const fetchImpl = deps.fetch ?? fetch;

  async function attempt(url: string, secret: string, body: string): Promise<string | undefined> {
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        // Signed at each try, so a retry is not rejected as stale by a receiver with a tight tolerance.
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signNotification(secret, body, Math.floor(Date.now() / 1000)) },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  return {
    async deliver({ url, secret }, event, body = JSON.stringify(event)) {
      for (let tryNo = 1; tryNo <= ATTEMPTS; tryNo++) {
        const failure = await attempt(url, secret, body);
        if (failure === undefined) {
          deps.logger.debug({ eventId: event.id, type: event.type, url, tryNo }, 'sandbox notification delivered');
          return 'delivered';
        }
        deps.logger.warn({ eventId: event.id, type: event.type, url, tryNo, failure }, 'sandbox notification not accepted');
        if (tryNo < ATTEMPTS) await sleep(RETRY_PAUSE_MS);
      }
      deps.logger.error({ eventId: event.id, type: event.type, url }, 'sandbox notification given up');
      return 'failed';
    },
  };
}
