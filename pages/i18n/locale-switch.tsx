// The visible language switch: one link per other language, `?lang=` on the current page (the server sets
// the cookie that remembers it). Each link names its language in that language, with `lang` and `hreflang`.
import { CATALOGS } from '../../core/i18n/messages.js';
import { LOCALES, type Locale } from '../../core/i18n/locales.js';
import type { Words } from '../../core/i18n/messages.js';

export function LocaleSwitch({ words, path }: { words: Words; path: string }) {
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
              <a href={`${path}?lang=${encodeURIComponent(locale)}`} lang={locale} hreflang={locale}>
                {CATALOGS[locale]['locale.name']}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
