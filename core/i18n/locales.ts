// The languages people read Paystead in, and which one a request gets: an explicit choice (`?lang=`, then
// the switch's cookie), else the browser's `Accept-Language`, else the merchant's default. Pure.
import { parseAccept } from 'hono/utils/accept';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** The cookie the language switch sets (a year; the value is a locale code and nothing else). */
export const LOCALE_COOKIE = 'paystead_lang';

/**
 * The best of our locales for an `Accept-Language` header (parsed by hono's maintained parser, then sorted
 * by weight): an exact tag first (`zh-CN`), else the same language (`zh`, `zh-Hans`, `zh-TW` -> `zh-CN`;
 * `en-GB` -> `en`). Undefined when nothing we have is acceptable.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const wanted = parseAccept(header)
    .filter((entry) => entry.q > 0 && entry.type !== '*')
    .sort((a, b) => b.q - a.q);
  for (const { type } of wanted) {
    const tag = type.toLowerCase();
    const exact = LOCALES.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const language = tag.split('-')[0];
    const same = LOCALES.find((locale) => locale.toLowerCase().split('-')[0] === language);
    if (same) return same;
  }
  return undefined;
}

export interface LocaleHints {
  /** `?lang=`: a link or the switch's own form. */
  query?: string;
  /** The switch's remembered choice; anything but a locale code is ignored. */
  cookie?: string;
  acceptLanguage?: string;
}

/** The request's locale; a value we do not have (or a malformed one) falls through to the next hint. */
export function negotiateLocale(hints: LocaleHints, merchantDefault: Locale): Locale {
  if (isLocale(hints.query)) return hints.query;
  if (isLocale(hints.cookie)) return hints.cookie;
  return localeFromAcceptLanguage(hints.acceptLanguage) ?? merchantDefault;
}

/** A new merchant's language: Chinese for a shop selling in CNY, else English. */
export const defaultLocaleFor = (currency: string): Locale => (currency === 'CNY' ? 'zh-CN' : 'en');

/** A new merchant's time zone: Beijing time for a shop selling in CNY, else UTC until it says otherwise. */
export const defaultTimeZoneFor = (currency: string): string => (currency === 'CNY' ? 'Asia/Shanghai' : 'UTC');

/** An IANA time zone that `Intl` knows (`Asia/Shanghai`, `Europe/Berlin`, `UTC`). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
