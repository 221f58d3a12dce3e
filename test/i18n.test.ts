import { describe, expect, it } from 'vitest';
import { en } from '../core/i18n/catalog-en.js';
import { defaultLocaleFor, defaultTimeZoneFor, isTimeZone, localeFromAcceptLanguage, LOCALES, negotiateLocale } from '../core/i18n/locales.js';
import { CATALOGS, placeholders, wordsFor, type MessageKey } from '../core/i18n/messages.js';

describe('message catalogs', () => {
  const keys = Object.keys(en) as MessageKey[];

  it('have every key in every language, with the same parameters, and no empty text', () => {
    for (const locale of LOCALES) {
      const catalog = CATALOGS[locale];
      expect(Object.keys(catalog).sort(), locale).toEqual([...keys].sort());
      for (const key of keys) {
        expect(catalog[key].trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(catalog[key]), `${locale} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });

  it('translate every sentence into Chinese (only names and codes may stay as they are)', () => {
    const same = keys.filter((key) => CATALOGS['zh-CN'][key] === en[key] && /[a-z]{3,} [a-z]{3,}/i.test(en[key]));
    expect(same).toEqual([]);
  });

  it('fill in parameters', () => {
    expect(wordsFor('en', 'UTC').t('pay.heading', { amount: 'CN¥1.00' })).toBe('Pay CN¥1.00');
    expect(wordsFor('zh-CN', 'Asia/Shanghai').t('totals.tax_included', { amount: '¥15.36' })).toBe('含税 ¥15.36');
  });
});

describe('money and dates through Intl, in the merchant time zone', () => {
  it('says durations in whole units as each language lists them', () => {
    const [zh, english] = [wordsFor('zh-CN', 'Asia/Shanghai'), wordsFor('en', 'UTC')];
    expect([60, 120, 5_400, 604_800, 90_061, 0].map((s) => english.duration(s))).toEqual(['1 minute', '2 minutes', '1 hour, 30 minutes', '7 days', '1 day, 1 hour, 1 minute, 1 second', '0 seconds']);
    expect([60, 5_400, 0].map((s) => zh.duration(s))).toEqual(['1分钟', '1小时30分钟', '0秒钟']);
  });

  const at = '2026-12-03T07:41:09Z';

  it('formats money in minor units for the reader', () => {
    expect(wordsFor('zh-CN', 'Asia/Shanghai').money(28_136, 'CNY')).toBe('¥281.36');
    expect(wordsFor('en', 'Asia/Shanghai').money(28_136, 'CNY')).toBe('CN¥281.36');
    expect(wordsFor('en', 'UTC').money(1_200, 'JPY')).toBe('¥1,200');
  });

  it('formats times in the merchant zone, never in UTC unless that is the zone', () => {
    expect(wordsFor('zh-CN', 'Asia/Shanghai').dateTime(at)).toBe('2026年12月3日 15:41');
    expect(wordsFor('en', 'Asia/Shanghai').dateTime(at)).toBe('Dec 3, 2026, 3:41 PM');
    expect(wordsFor('en', 'Europe/Berlin').dateTime(at)).toBe('Dec 3, 2026, 8:41 AM');
    expect(wordsFor('en', 'UTC').dateTime(null)).toBe('—');
    expect(wordsFor('en', 'UTC').dateTime('not a date')).toBe('—');
  });
});

describe('locale negotiation', () => {
  it('reads Accept-Language by weight, matching the language when the region differs', () => {
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('zh-Hans')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr;q=1, zh-TW;q=0.5, en;q=0.7')).toBe('en');
    expect(localeFromAcceptLanguage('fr, de;q=0.5')).toBeUndefined();
    expect(localeFromAcceptLanguage('*')).toBeUndefined();
    expect(localeFromAcceptLanguage('zh;q=0, en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage(';;;,,=q')).toBeUndefined();
  });

  it('prefers ?lang, then the cookie, then Accept-Language, then the merchant default; unknown or malformed values fall through', () => {
    expect(negotiateLocale({ query: 'en', cookie: 'zh-CN', acceptLanguage: 'zh-CN' }, 'zh-CN')).toBe('en');
    expect(negotiateLocale({ query: 'fr', cookie: 'zh-CN', acceptLanguage: 'en' }, 'en')).toBe('zh-CN');
    expect(negotiateLocale({ cookie: '"><script>', acceptLanguage: 'zh-CN' }, 'en')).toBe('zh-CN');
    expect(negotiateLocale({ cookie: 'ZH-cn', acceptLanguage: 'fr' }, 'en')).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'de-DE' }, 'zh-CN')).toBe('zh-CN');
    expect(negotiateLocale({}, 'en')).toBe('en');
  });

  it('gives CNY merchants Chinese and Beijing time by default, and knows IANA zones', () => {
    expect([defaultLocaleFor('CNY'), defaultTimeZoneFor('CNY')]).toEqual(['zh-CN', 'Asia/Shanghai']);
    expect([defaultLocaleFor('USD'), defaultTimeZoneFor('USD')]).toEqual(['en', 'UTC']);
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
