// How the simulated gateways deliver their notifications: each is POSTed until the gateway's own test of
// the answer is met or its retry schedule runs out, and every attempt is recorded with the answer's exact
// bytes. Test faults bend single notifications: lost, sent twice, altered after signing, held back until
// the next one has arrived, or late. A gateway supplies only its request, how a body is tampered with, its
// test of the answer and its retry pauses.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `drop` never sends; `duplicate` sends a second, independent delivery after the first arrives;
 * `corrupt` alters the body after signing; `reorder` holds the notification back until the next one
 * sent has arrived (whatever it is about).
 */
export type Fault = 'deliver' | 'drop' | 'duplicate' | 'corrupt' | 'reorder';

export interface Schedule {
  fault?: Fault;
  /** Waits this long before the first attempt. */
  delayMs?: number;
}

/** What came back; status 0 when nothing did (`error` says why). */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
  error?: string;
}

/** One POST: which delivery it belongs to (a duplicate is a second one), which try it was, and its answer. */
export type Attempt<Label> = Label & Answer & { delivery: number; attempt: number };

export interface Gateway<Message, Label> {
  /** The POST for one attempt, signed as the gateway signs (afresh on each attempt where it does). */
  request(message: Message): { url: string; headers: Record<string, string>; body: string };
  /** The body with something changed after signing, so the signature no longer matches. */
  tamper(body: string): string;
  /** What each attempt record says about the message. */
  label(message: Message): Label;
  /** Whether this answer ends the delivery; anything else is tried again. */
  settles(answer: Answer, message: Message): boolean;
  /** Pauses before the second, third… attempt: as many retries as pauses. */
  retryPausesMs: readonly number[];
}

export function createDeliveries<Message, Label extends object>(gateway: Gateway<Message, Label>) {
  const attempts: Array<Attempt<Label>> = [];
  const running = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  let held: Array<() => Promise<void>> = [];
  let deliveries = 0;

  /** Waits `ms`; false when stopped meanwhile. */
  const pause = (ms: number) => sleep(ms, true, { signal: stopping.signal }).catch(() => false);

  function track<T>(work: Promise<T>): Promise<T> {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  }

  /** One POST, recorded; resolves with whether its answer ends the delivery. */
  async function attempt(message: Message, corrupt: boolean, delivery: number, number: number): Promise<boolean> {
    const { url, headers, body } = gateway.request(message);
    let answer: Answer;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: corrupt ? gateway.tamper(body) : body, signal: AbortSignal.timeout(10_000) });
      answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    } catch (error) {
      answer = { status: 0, contentType: '', body: '', error: error instanceof Error ? error.message : String(error) };
    }
    attempts.push({ ...gateway.label(message), delivery, attempt: number, ...answer });
    return gateway.settles(answer, message);
  }

  /** Resolves after the first attempt; the retries go on in the background. */
  function deliver(message: Message, corrupt: boolean): Promise<void> {
    const delivery = ++deliveries;
    const first = attempt(message, corrupt, delivery, 1);
    void track(
      first.then(async (settled) => {
        for (let number = 2; !settled; number++) {
          const ms = gateway.retryPausesMs[number - 2];
          if (ms === undefined || !(await pause(ms))) return;
          settled = await attempt(message, corrupt, delivery, number);
        }
      }),
    );
    return first.then(() => undefined);
  }

  async function arrive(message: Message, { fault = 'deliver', delayMs = 0 }: Schedule): Promise<void> {
    if (stopping.signal.aborted || (delayMs > 0 && !(await pause(delayMs)))) return;
    await deliver(message, fault === 'corrupt');
    if (fault === 'duplicate') await deliver(message, false);
  }

  return {
    attempts,

    /**
     * Resolves once the notification has arrived (after any delay, its first attempt, and a duplicate's), and
     * the notifications it released from hold-back with it; at once when dropped or held back itself.
     */
    send(message: Message, schedule: Schedule = {}): Promise<void> {
      if (schedule.fault === 'drop') return Promise.resolve();
      if (schedule.fault === 'reorder') {
        held.push(() => arrive(message, schedule));
        return Promise.resolve();
      }
      const released = held;
      held = [];
      return track(
        (async () => {
          await arrive(message, schedule);
          for (const release of released) await release();
        })(),
      );
    },

    /** Resolves once every notification under way has been acknowledged or given up. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running]);
    },

    /** Gives up everything under way: no more attempts. */
    stop(): void {
      stopping.abort();
    },
  };
}
