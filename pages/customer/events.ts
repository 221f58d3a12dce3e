// Live updates for the order page: a Server-Sent Events stream that says "the order changed" (its projection
// version) and nothing else; the page then fetches the server-rendered fragment. Each connected client polls
// one indexed row (`orders.view_token` is unique) a few times a second, stops the moment the client goes
// away, and closes after a few minutes so idle tabs do not pile up connections: the browser reconnects by
// itself (after `retry`), resuming from the last version it saw (`Last-Event-ID`).
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

export interface OrderEventsOptions {
  /** How often the order's version is read, per client. */
  pollMs: number;
  /** How long one stream stays open before it closes and the browser reconnects. */
  maxStreamMs: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs: number;
  /** How long the browser waits before reconnecting. */
  retryMs: number;
}

export const DEFAULT_EVENTS_OPTIONS: OrderEventsOptions = { pollMs: 400, maxStreamMs: 3 * 60_000, heartbeatMs: 20_000, retryMs: 1_000 };

/** The version the client already shows: the reconnect header first, then the page's own `?v=`. */
function knownVersion(c: Context): string | undefined {
  const value = c.req.header('last-event-id') ?? c.req.query('v');
  return value && /^\d{1,15}$/.test(value) ? value : undefined;
}

/**
 * Streams `event: order` with `data`/`id` = the current version whenever it differs from the last one sent
 * (or from the client's known version, so a change between page render and connect is not missed).
 * `readVersion` returns undefined when the order no longer exists, which ends the stream; `onEnd` runs once
 * the stream has ended, however it ended.
 */
export function orderEvents(
  c: Context,
  readVersion: () => Promise<number | undefined>,
  onError: (error: unknown) => void,
  options: OrderEventsOptions = DEFAULT_EVENTS_OPTIONS,
  onEnd: () => Promise<void> | void = () => undefined,
): Response {
  let last = knownVersion(c);
  return streamSSE(c, async (stream) => {
    try {
      await streamVersions(stream);
    } finally {
      await onEnd();
    }
  });

  async function streamVersions(stream: SSEStreamingApi) {
    let wake: (() => void) | undefined;
    const stop = () => wake?.();
    stream.onAbort(stop);
    c.req.raw.signal.addEventListener('abort', stop, { once: true });
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    const done = () => stream.aborted || stream.closed || c.req.raw.signal.aborted;

    await stream.write(`retry: ${options.retryMs}\n\n`);
    const closeAt = Date.now() + options.maxStreamMs;
    let quietUntil = Date.now() + options.heartbeatMs;
    try {
      while (!done() && Date.now() < closeAt) {
        const version = await readVersion();
        if (version === undefined) break;
        if (String(version) !== last) {
          last = String(version);
          await stream.writeSSE({ event: 'order', data: last, id: last });
          quietUntil = Date.now() + options.heartbeatMs;
        } else if (Date.now() >= quietUntil) {
          await stream.write(': still here\n\n');
          quietUntil = Date.now() + options.heartbeatMs;
        }
        await pause(Math.min(options.pollMs, Math.max(0, closeAt - Date.now())));
      }
    } catch (error) {
      // The database is away: end this stream quietly; the browser reconnects and tries again.
      onError(error);
    }
  }
}
