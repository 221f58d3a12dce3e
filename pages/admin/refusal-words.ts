// A refusal from the services (an `ApiError`) in the reader's language. The services word their refusals in
// English, often with the detail that matters ("Only an order that is confirmed can be shipped; this order
// is paid.", "The webhook URL resolves to a link-local address."): English readers get that sentence; others
// get their catalog's sentence for the code (`refusal.<code>`; the English catalog holds its meaning), or a
// general one for a code without its own.
import type { ApiError } from '../../core/errors.js';
import type { PlainKey, Words } from '../../core/i18n/messages.js';

export function refusalWords(error: ApiError, w: Words): string {
  if (w.locale === 'en') return error.message;
  const key = `refusal.${error.code}`;
  return w.has(key) ? w.t(key as PlainKey) : w.t('refusal.other');
}
