// What the admin pages' middleware puts on each request, and small helpers the route modules share.
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Words } from '../../core/i18n/messages.js';
import type { Mode } from '../../core/modes.js';
import type { MerchantSettings } from '../../db/merchants.js';
import { requestWords } from '../i18n/request-locale.js';
import type { AppDeps } from '../../services/deps.js';
import type { Throttle } from '../../services/throttle.js';
import type { AdminSession, SessionStore } from './session.js';
import type { PageChrome, PageMode } from './views/common.js';

export type AdminEnv = {
  Variables: {
    /** Per response: allows the page's own inline stylesheet and script under the CSP. */
    nonce: string;
    /** Set by the authentication middleware on every page but the sign-in page. */
    session?: AdminSession;
    sessionToken?: string;
    merchantName?: string;
    /** The mode of the admin key that signed in: only a live key's session may switch to live data. */
    keyMode?: Mode;
    /** The signed-in merchant's default language and time zone. */
    language?: Pick<MerchantSettings, 'locale' | 'timeZone'>;
    /** What waits for the merchant, counted for the navigation on pages read with GET. */
    todoCount?: number;
  };
};

export type AdminContext = Context<AdminEnv>;

export interface AdminPagesDeps extends AppDeps {
  sessions: SessionStore;
  throttle: Throttle;
}

export const SESSION_COOKIE = 'paystead_admin';
/** The sign-in form's double-submit token: there is no session to hold a CSRF token yet. */
export const LOGIN_COOKIE = 'paystead_admin_login';

/** HttpOnly, SameSite=Strict, only under /admin, Secure when the public URL is https. */
export function cookieOptions(deps: Pick<AppDeps, 'config'>, maxAgeSeconds?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/admin',
    secure: deps.config.http.publicBaseUrl.startsWith('https:'),
    ...(maxAgeSeconds !== undefined && { maxAge: maxAgeSeconds }),
  };
}

export function setAdminCookie(c: AdminContext, deps: Pick<AppDeps, 'config'>, name: string, value: string, maxAgeSeconds: number): void {
  setCookie(c, name, value, cookieOptions(deps, maxAgeSeconds));
}

export function clearAdminCookie(c: AdminContext, deps: Pick<AppDeps, 'config'>, name: string): void {
  deleteCookie(c, name, cookieOptions(deps));
}

/** The signed-in session; the authentication middleware guarantees it on every page it guards. */
export function sessionOf(c: AdminContext): AdminSession {
  const session = c.get('session');
  if (!session) throw new Error('admin page reached without a session');
  return session;
}

/** Which data the page shows and whether the session may switch; undefined before signing in. */
export function pageMode(c: AdminContext): PageMode | undefined {
  const session = c.get('session');
  return session && { current: session.mode, switchable: c.get('keyMode') === 'live' };
}

/** The reader's words: the merchant's language and zone once signed in, English and UTC before. */
export const pageWords = (c: AdminContext): Words => requestWords(c, c.get('language') ?? { locale: 'en', timeZone: 'UTC' });

/** The page's own path and query, as asked for (the language switch keeps the query). */
export function here(c: AdminContext): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** Layout inputs for a signed-in page. */
export function chrome(c: AdminContext): PageChrome & { csrfToken: string } {
  return { nonce: c.get('nonce'), csrfToken: sessionOf(c).csrfToken, merchantName: c.get('merchantName'), mode: pageMode(c), words: pageWords(c), here: here(c), todoCount: c.get('todoCount') };
}

/** Post/redirect/get: keeps the message in the session and sends the browser to `path` (303). */
export async function redirectWithFlash(c: AdminContext, deps: AdminPagesDeps, path: string, flash: Parameters<SessionStore['addFlash']>[1], fragment = ''): Promise<Response> {
  const id = await deps.sessions.addFlash(sessionOf(c), flash);
  const separator = path.includes('?') ? '&' : '?';
  return c.redirect(`${path}${separator}flash=${id}${fragment}`, 303);
}
