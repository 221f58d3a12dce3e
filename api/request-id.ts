import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { withRequestId } from '../core/request-context.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is 1 to 128 letters, digits or `-_.:` (a UUID, a proxy's id); else a new one is made. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

export function acceptedRequestId(given: string | undefined): string {
  return given !== undefined && ACCEPTED.test(given) ? given : randomUUID();
}

/**
 * Every request has an id: the caller's `X-Request-Id` when it is acceptable, otherwise a new one. It is
 * returned on the response, named in every log line the request causes, and sent with the request's
 * messages to orders (their timeline entries carry it).
 */
export function requestIds(): MiddlewareHandler {
  return async (c, next) => {
    const requestId = acceptedRequestId(c.req.header(REQUEST_ID_HEADER));
    await withRequestId(requestId, next);
    // After the handler (and the error handler): on every response, however it was made.
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
  };
}
