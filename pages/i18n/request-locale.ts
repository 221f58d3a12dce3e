// The locale of a page request: `?lang=` (remembered in the switch's cookie for a year), else the cookie,
// else `Accept-Language`, else the merchant's default (core/i18n/locales.ts decides; this reads the request).
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from '../../core/i18n/locales.js';
import { wordsFor, type Words } from '../../core/i18n/messages.js';

export function requestLocale(c: Context, merchantDefault: Locale): Locale {
  const query = c.req.query('lang');
  // A chosen language is remembered; `Vary` keeps caches from mixing the languages of one address.
  if (isLocale(query) && getCookie(c, LOCALE_COOKIE) !== query) {
    setCookie(c, LOCALE_COOKIE, query, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', httpOnly: true });
  }
  c.header('Vary', 'Accept-Language, Cookie', { append: true });
  return negotiateLocale({ query, cookie: getCookie(c, LOCALE_COOKIE), acceptLanguage: c.req.header('accept-language') }, merchantDefault);
}

/** The words for a page request, in the merchant's time zone. */
export const requestWords = (c: Context, merchant: { locale: Locale; timeZone: string }): Words => wordsFor(requestLocale(c, merchant.locale), merchant.timeZone);
