// The input policy at the edge of every route, API and pages alike: bodies within
// their size, and text Postgres can store (core/text.ts) in every path segment, query parameter, JSON
// field and form field; 405 with `Allow` for a method a path does not have. Route schemas then check
// meaning; nothing unstorable gets as far as a workflow.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../core/errors.js';
import { BODY_TEXT, findTextIssue, LINE_TEXT, textProblem, type TextIssue } from '../core/text.js';
import type { AppOpenAPI } from './context.js';
import { jsonResponse, ErrorSchema } from './schemas.js';

/** The largest `/v1` request body and gateway notification (gateways send a few KiB at most). */
export const MAX_BODY_BYTES = 64 * 1024;
/** The largest page form (a gateway's certificates); the pages' own limits may be smaller. */
const MAX_PAGE_BODY_BYTES = 256 * 1024;

const refuse = (issue: TextIssue) => new ApiError(400, 'invalid_text', `The request contains text that cannot be accepted: ${issue.path} ${issue.message}.`, [issue]);

function checkPathAndQuery(c: Context): void {
  const url = new URL(c.req.url);
  for (const segment of url.pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ApiError(400, 'invalid_request', 'The path is not valid percent-encoding.');
    }
    const problem = textProblem(decoded, LINE_TEXT);
    if (problem) throw refuse({ path: 'path', message: problem });
  }
  for (const [key, value] of url.searchParams) {
    const issue = findTextIssue({ [key]: value }, LINE_TEXT, 'query');
    if (issue) throw refuse(issue);
  }
}

/**
 * JSON and form bodies, read from a copy: the stream stays whole for the route's validator, the page's form
 * parsing and their own, smaller limits.
 */
async function checkBody(c: Context): Promise<void> {
  if (!c.req.raw.body || c.req.path.startsWith('/webhooks/')) return; // notifications: checked at intake
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  let body: unknown;
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      body = JSON.parse(await c.req.raw.clone().text());
    } catch (error) {
      if (error instanceof SyntaxError) return; // the route's validator answers malformed JSON
      throw error;
    }
  } else if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const form = await c.req.raw.clone().formData().catch(() => undefined); // malformed: the page's own parsing answers
    // Every value, repeated names included (a page reads the last one); files are not text.
    body = form && [...form.entries()].map(([name, value]) => ({ [name]: typeof value === 'string' ? value : '' }));
  } else {
    return;
  }
  const issue = findTextIssue(body, BODY_TEXT, 'body');
  if (issue) throw refuse(issue);
}

const textPolicy: MiddlewareHandler = async (c, next) => {
  checkPathAndQuery(c);
  await checkBody(c);
  await next();
};

const limitBody = (maxSize: number) =>
  bodyLimit({ maxSize, onError: (c) => c.json({ error: { code: 'payload_too_large', message: `The request body is larger than ${maxSize} bytes.` } }, 413) });
const apiLimit = limitBody(MAX_BODY_BYTES);
const pageLimit = limitBody(MAX_PAGE_BODY_BYTES);

/** Every body is bounded before anything reads it. */
const limitByPath: MiddlewareHandler = (c, next) => (c.req.path.startsWith('/v1/') || c.req.path.startsWith('/webhooks/') ? apiLimit : pageLimit)(c, next);

/** A route path (`/v1/orders/:id`, `/admin/*`) as a pattern over whole request paths. */
function routePattern(path: string): RegExp {
  const parts = path.split('/').map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}/?$`);
}

/**
 * The answer for a request no route took: 405 with `Allow` when the path exists under other methods,
 * else the usual 404.
 */
export function notFoundOrNotAllowed(app: AppOpenAPI) {
  let patterns: Array<{ method: string; pattern: RegExp }> | undefined;
  return (c: Context) => {
    patterns ??= app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, pattern: routePattern(route.path) }));
    const allowed = new Set(patterns.filter(({ pattern }) => pattern.test(c.req.path)).map(({ method }) => method));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.size > 0) {
      return c.json({ error: { code: 'method_not_allowed', message: `${c.req.method} is not allowed here.` } }, 405, { Allow: [...allowed].join(', ') });
    }
    return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404);
  };
}

/**
 * A route whose document requires a body refuses a request without one: the JSON validator would
 * otherwise check `{}` in its place, and a body of optional fields would pass as a change of nothing.
 */
function requireDeclaredBody(app: AppOpenAPI): MiddlewareHandler {
  let patterns: Array<{ method: string; pattern: RegExp }> | undefined;
  return async (c, next) => {
    patterns ??= app.openAPIRegistry.definitions.flatMap((definition) =>
      definition.type === 'route' && definition.route.request?.body?.required
        ? [{ method: definition.route.method.toUpperCase(), pattern: routePattern(definition.route.path.replaceAll(/\{(.+?)\}/g, ':$1')) }]
        : [],
    );
    // Node's server gives every PUT or POST a body stream: an empty one is told by its headers.
    const length = c.req.header('content-length');
    const sent = c.req.header('content-type') !== undefined || c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    const missing = !c.req.raw.body || !sent;
    if (missing && patterns.some(({ method, pattern }) => method === c.req.method && pattern.test(c.req.path))) {
      throw new ApiError(400, 'invalid_request', 'This request needs a JSON body.');
    }
    await next();
  };
}

/** Registers the policy's middleware; call before any route. */
export function applyInputPolicy(app: AppOpenAPI): void {
  app.use('*', limitByPath);
  app.use('*', textPolicy);
  app.use('/v1/*', requireDeclaredBody(app));
}

/**
 * Says in the OpenAPI document what the policy answers on every route: 400 for text it refuses (any
 * route: path and query too) and 413 for a body over the limit (routes that take one).
 */
export function documentInputPolicy(app: AppOpenAPI): void {
  const error = jsonResponse(ErrorSchema, 'Error');
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const { route } = definition;
    route.responses = { 400: error, ...(route.request?.body && { 413: error }), ...route.responses };
  }
}
