// Signing in with the merchant's admin key, and out.
import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { hashApiKey } from '../../core/api-keys.js';
import { isStoppedKey, resolvePrincipal } from '../../services/api-keys.js';
import { clearAdminCookie, here, LOGIN_COOKIE, pageWords, SESSION_COOKIE, setAdminCookie, type AdminContext, type AdminEnv, type AdminPagesDeps } from './context.js';
import { field } from './forms.js';
import { randomToken, sameToken, SESSION_TTL_MS } from './session.js';
import { LoginPage } from './views/login.js';

/** Where to go after signing in: only a page of this admin, never another site. */
export function safeNext(next: string | undefined): string | undefined {
  return next && /^\/admin(?:\/[A-Za-z0-9._~%/-]*)?(?:\?[^\s\\#]*)?$/.test(next) ? next : undefined;
}

/** The page staff open on: what needs them. The bare admin address (a bookmark, a signed-out visit) leads there too. */
const HOME = '/admin/todo';
const landing = (next: string | undefined) => (next && next !== '/admin' ? next : HOME);

export function registerAuthPages(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  /** The sign-in page with a fresh double-submit token (cookie + hidden field). */
  function loginPage(c: AdminContext, status: 200 | 401 | 403 | 429, options: { error?: string; notice?: string; next?: string } = {}) {
    const formToken = randomToken();
    setAdminCookie(c, deps, LOGIN_COOKIE, formToken, 60 * 60);
    return c.html(<LoginPage nonce={c.get('nonce')} formToken={formToken} words={pageWords(c)} here={here(c)} {...options} />, status);
  }

  admin.get('/login', async (c) => {
    if (await deps.sessions.get(getCookie(c, SESSION_COOKIE))) return c.redirect(landing(safeNext(c.req.query('next'))), 303);
    const notice = c.req.query('signed_out') === '1' ? pageWords(c).t('admin.login.signed_out') : undefined;
    return loginPage(c, 200, { notice, next: safeNext(c.req.query('next')) });
  });

  /** Past the failed sign-ins allowed per address, every sign-in from it waits, even with the right key. */
  function tooManySignIns(c: AdminContext, retryAfterSeconds: number, next: string | undefined) {
    c.header('Retry-After', String(retryAfterSeconds));
    // Told in whole minutes, rounded up: never promised shorter than it is.
    const w = pageWords(c);
    const error = w.t('admin.login.too_many', { duration: w.duration(Math.ceil(retryAfterSeconds / 60) * 60) });
    return loginPage(c, 429, { error, next });
  }

  admin.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(field(body, 'next'));
    const address = deps.throttle.clientAddress(c);
    const waiting = await deps.throttle.adminSignIns.check(address);
    if (waiting) return tooManySignIns(c, waiting.retryAfterSeconds, next);
    if (!sameToken(field(body, '_csrf'), getCookie(c, LOGIN_COOKIE))) {
      return loginPage(c, 403, { error: pageWords(c).t('admin.login.expired'), next });
    }
    const key = field(body, 'key').trim();
    const principal = key && key.length <= 200 ? await resolvePrincipal(deps.db, deps.config.platformApiKey, `Bearer ${key}`) : undefined;
    // Whatever the reason (unknown, revoked, a secret or platform key), the answer is the same.
    if (!principal || principal.kind !== 'admin') {
      const refused = await deps.throttle.adminSignIns.hit(address);
      if (refused) return tooManySignIns(c, refused.retryAfterSeconds, next);
      return loginPage(c, 401, { error: pageWords(c).t('admin.login.invalid'), next });
    }
    if (isStoppedKey(principal)) return loginPage(c, 403, { error: pageWords(c).t('admin.login.suspended'), next });

    // A new token on every sign-in (no fixation); any session this browser had ends here.
    await deps.sessions.destroy(getCookie(c, SESSION_COOKIE));
    const { token } = await deps.sessions.create(principal.merchantId, hashApiKey(key), principal.mode);
    setAdminCookie(c, deps, SESSION_COOKIE, token, SESSION_TTL_MS / 1000);
    clearAdminCookie(c, deps, LOGIN_COOKIE);
    return c.redirect(landing(next), 303);
  });

  admin.post('/logout', async (c) => {
    await deps.sessions.destroy(c.get('sessionToken'));
    clearAdminCookie(c, deps, SESSION_COOKIE);
    return c.redirect('/admin/login?signed_out=1', 303);
  });
}
