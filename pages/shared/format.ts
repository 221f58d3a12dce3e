// Display formatting for the admin pages' money (staff read `CNY 123.45`) and codes; times and the customer's
// money go through Intl (core/i18n/messages.ts). Pure functions; the pages escape their output.
import { formatMoney } from '../../domain/money.js';

/** `12345, 'CNY'` -> `CNY 123.45`: amounts are integer minor units everywhere, shown in their own currency. */
export function money(amount: number, currency: string): string {
  return formatMoney(amount, currency);
}

/** A machine code as words: `awaiting_payment` -> `Awaiting payment`. */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
