// A refusal from the services (an `ApiError`) in the reader's language: its code's sentence from the
// catalogs (`refusal.<code>`); a code without one keeps the services' own English sentence for English
// readers (a workflow's precise "Only an order that is confirmed can be shipped…") and a general one otherwise.
import type { ApiError } from '../../core/errors.js';
import type { PlainKey, Words } from '../../core/i18n/messages.js';

export function refusalWords(error: ApiError, w: Words): string {
  const key = `refusal.${error.code}`;
  if (w.has(key)) return w.t(key as PlainKey);
  return w.locale === 'en' ? error.message : w.t('refusal.other');
}
