// Words and numbers for one reader: a message by key in the reader's locale, money and times through `Intl`
// in the merchant's time zone. Pure; used by the pages, the sandbox's hosted page and customer messages.
import { en, type MessageKey } from './catalog-en.js';
import { zhCN } from './catalog-zh-CN.js';
import type { Locale } from './locales.js';

export type { MessageKey } from './catalog-en.js';

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The `{name}` parameters of a message, from its English text: `'Pay {amount}'` -> `'amount'`. */
type ParamsOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | ParamsOf<Rest> : never;
export type MessageParams<K extends MessageKey> = Record<ParamsOf<(typeof en)[K]>, string | number>;
/** The messages without parameters: what a key made from a stored code may name. */
export type PlainKey = { [K in MessageKey]: [ParamsOf<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];
/** A message with parameters needs them; one without takes none. */
type ParamArgs<K extends MessageKey> = [ParamsOf<(typeof en)[K]>] extends [never] ? [] : [MessageParams<K>];

/** The parameter names a message text uses (for the catalogs' test). */
export const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

export interface Words {
  locale: Locale;
  timeZone: string;
  t<K extends MessageKey>(key: K, ...params: ParamArgs<K>): string;
  /** Whether `key` (e.g. made from a stored code) is in the catalog. */
  has(key: string): key is MessageKey;
  /** `28136, 'CNY'` -> `¥281.36` (zh-CN) or `CN¥281.36` (en): minor units in their own currency. */
  money(amount: number, currency: string): string;
  /** A point in time in the merchant's zone: `2026年12月3日 15:41`, `Dec 3, 2026, 3:41 PM`; `—` for none. */
  dateTime(value: string | Date | null | undefined): string;
  /** A length of time in whole units: `5400` -> `1 hour, 30 minutes` (en) or `1小时30分钟` (zh-CN). */
  duration(seconds: number): string;
}

/** The units a duration is told in, largest first, with their length in seconds. */
const DURATION_UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** The currency's minor-unit digits, as `Intl` knows them (CNY 2, JPY 0). */
const fractionDigits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export function wordsFor(locale: Locale, timeZone: string): Words {
  const catalog = CATALOGS[locale];
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: locale === 'zh-CN' ? 'long' : 'medium', timeStyle: 'short', timeZone });
  // Node 20 has no Intl.DurationFormat: each unit through NumberFormat, joined as the language lists units.
  const units = DURATION_UNITS.map(([unit, size]) => [new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }), size] as const);
  const unitList = new Intl.ListFormat(locale, { style: 'long', type: 'unit' });
  return {
    locale,
    timeZone,
    t(key, ...params) {
      const values = (params[0] ?? {}) as Record<string, string | number>;
      return catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
    },
    has(key): key is MessageKey {
      return Object.hasOwn(catalog, key);
    },
    money(amount, currency) {
      const digits = fractionDigits(currency);
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
    },
    dateTime(value) {
      if (value == null) return '—';
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? '—' : dates.format(date);
    },
    duration(seconds) {
      let rest = Math.max(0, Math.round(seconds));
      const parts: string[] = [];
      for (const [format, size] of units) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0) parts.push(format.format(n));
      }
      return parts.length ? unitList.format(parts) : units[units.length - 1]![0].format(0);
    },
  };
}
