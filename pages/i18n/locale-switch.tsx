// The visible language switch: one link per other language, the current page with `lang=` set (the server
// sets the cookie that remembers it). The page's other query parameters stay (a filtered list stays
// filtered); a one-time `flash` does not. Each link names its language in that language, with `lang` and `hreflang`.
import { CATALOGS } from '../../core/i18n/messages.js';
import { LOCALES, type Locale } from '../../core/i18n/locales.js';
import type { Words } from '../../core/i18n/messages.js';

/** Parameters that are read once and must not come back with the switch. */
const ONE_TIME = ['flash'];

/** `/admin?status=paid&flash=x`, `zh-CN` -> `/admin?status=paid&lang=zh-CN`. */
export function switchHref(here: string, locale: Locale): string {
  const url = new URL(here, 'http://page.invalid');
  for (const name of ONE_TIME) url.searchParams.delete(name);
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

/** `here`: the page's own path and query, as the browser asked for it. */
export function LocaleSwitch({ words, here }: { words: Words; here: string }) {
  return (
    <nav class="locale-switch" aria-label={words.t('locale.switch')}>
      <ul>
        {LOCALES.map((locale: Locale) =>
          locale === words.locale ? (
            <li>
              <span aria-current="true" lang={locale}>
                {CATALOGS[locale]['locale.name']}
              </span>
            </li>
          ) : (
            <li>
              <a href={switchHref(here, locale)} lang={locale} hreflang={locale}>
                {CATALOGS[locale]['locale.name']}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
