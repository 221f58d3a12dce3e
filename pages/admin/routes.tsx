// The merchant admin under /admin: server-rendered pages, plain forms, no client framework. Staff sign in
// with their admin key; every page reads and acts through the same functions as the JSON API.
import { randomBytes } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { ApiError } from '../../core/errors.js';
import type { PagesDeps } from '../index.js';
import { registerAuthPages } from './auth-routes.js';
import { getSettings } from '../../db/merchants.js';
import { todoTotal } from '../../services/todo.js';
import { clearAdminCookie, here, pageMode, pageWords, SESSION_COOKIE, type AdminContext, type AdminEnv, type AdminPagesDeps } from './context.js';
import { field } from './forms.js';
import { registerModeSwitch } from './mode-routes.js';
import { registerOrderPages } from './order-routes.js';
import { createSessionStore, sameToken } from './session.js';
import { registerSettingsPages } from './settings-routes.js';
import { registerTodoPage } from './todo-routes.js';
import { registerWebhookPages } from './webhook-routes.js';
import { refusalWords } from './refusal-words.js';
import { ErrorPage, NotFoundPage } from './views/errors.js';

/** Paths reachable without a session. */
const PUBLIC_PATHS = new Set(['/admin/login']);

export function registerAdminPages(app: Hono, deps: PagesDeps): void {
  const pageDeps: AdminPagesDeps = { ...deps, sessions: createSessionStore(deps.db) };
  const admin = new Hono<AdminEnv>();

  admin.use('*', securityHeaders());
  admin.use('*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.text(pageWords(c).t('admin.error.too_large'), 413) }));
  admin.use('*', authenticate(pageDeps));
  admin.use('*', checkCsrf());

  registerAuthPages(admin, pageDeps);
  registerModeSwitch(admin, pageDeps);
  registerTodoPage(admin, pageDeps);
  registerOrderPages(admin, pageDeps);
  registerSettingsPages(admin, pageDeps);
  registerWebhookPages(admin, pageDeps);
  admin.all('*', (c) => notFound(c));

  admin.onError((error, c) => {
    if (error instanceof ApiError && error.status === 404) return notFound(c);
    if (error instanceof ApiError && error.status < 500) {
      const w = pageWords(c);
      return c.html(<ErrorPage {...pageChrome(c)} title={w.t('admin.error.refused')} message={refusalWords(error, w)} />, error.status);
    }
    deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, 'admin page failed');
    const w = pageWords(c);
    return c.html(<ErrorPage {...pageChrome(c)} title={w.t('admin.error.failed.title')} message={w.t('admin.error.failed.text')} />, 500);
  });

  app.route('/admin', admin);
}

/** Layout inputs whether or not anyone is signed in (error pages can happen before authentication). */
function pageChrome(c: AdminContext) {
  return { nonce: c.get('nonce'), csrfToken: c.get('session')?.csrfToken, merchantName: c.get('merchantName'), mode: pageMode(c), words: pageWords(c), here: here(c), todoCount: c.get('todoCount') };
}

function notFound(c: AdminContext) {
  return c.html(<NotFoundPage {...pageChrome(c)} />, 404);
}

/**
 * No framing, no caching of pages that show customers' data, and a CSP that admits only this response's
 * own inline stylesheet and script: injected markup could not run even if escaping ever failed.
 */
function securityHeaders(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    await next();
  };
}

/**
 * Every page but sign-in needs a live session whose admin key is still valid and whose merchant is not
 * suspended (checked on each request, so revoking the key or suspending the merchant signs staff out).
 */
function authenticate(deps: AdminPagesDeps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const token = getCookie(c, SESSION_COOKIE);
    const allowed = await deps.sessions.getAllowed(token);
    if (!allowed) {
      await deps.sessions.destroy(token);
      if (token) clearAdminCookie(c, deps, SESSION_COOKIE);
      const url = new URL(c.req.url);
      const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
      return c.redirect(`/admin/login${next}`, 303);
    }
    c.set('session', allowed.session);
    c.set('sessionToken', token);
    c.set('merchantName', allowed.merchantName);
    c.set('keyMode', allowed.keyMode);
    const settings = await getSettings(deps.db, allowed.session.merchantId);
    c.set('language', { locale: settings.locale, timeZone: settings.timeZone });
    if (c.req.method === 'GET') c.set('todoCount', await todoTotal(deps.db, allowed.session));
    await next();
  };
}

/**
 * Every POST carries the session's CSRF token in a hidden `_csrf` field (the sign-in form has its own
 * double-submit token); SameSite=Strict on the cookie is the second layer.
 */
function checkCsrf(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || PUBLIC_PATHS.has(c.req.path)) return next();
    const session = c.get('session');
    const body = await c.req.parseBody();
    if (!session || !sameToken(field(body, '_csrf'), session.csrfToken)) {
      const w = pageWords(c);
      return c.html(<ErrorPage {...pageChrome(c)} title={w.t('admin.error.csrf.title')} message={w.t('admin.error.csrf.text')} />, 403);
    }
    await next();
  };
}
