import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { currentRequestId } from '../core/request-context.js';

const tracer = trace.getTracer('paystead-api');

/**
 * A server span per request, named by method and route pattern (`POST /v1/checkouts`, `GET /v1/orders/:id`),
 * continuing a caller's W3C `traceparent` when one is sent. Everything the request does (its Temporal
 * calls, through the client's interceptor) is a child of it. Installed only when tracing is on.
 */
export function httpSpans(): MiddlewareHandler {
  return (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const attributes = { 'http.request.method': c.req.method, 'url.path': c.req.path, ...(currentRequestId() && { 'paystead.request_id': currentRequestId() }) };
    return tracer.startActiveSpan(c.req.method, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      try {
        await next();
      } finally {
        const route = routePath(c, -1);
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  };
}
