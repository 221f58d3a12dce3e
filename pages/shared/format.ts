// Display formatting shared by the admin and customer pages. Pure functions; the pages escape their output.
import { formatMoney } from '../../domain/money.js';

/** `12345, 'CNY'` -> `CNY 123.45`: amounts are integer minor units everywhere, shown in their own currency. */
export function money(amount: number, currency: string): string {
  return formatMoney(amount, currency);
}

/** ISO string or Date -> `2026-11-25 14:03:09 UTC` (one unambiguous zone for staff and customers); `—` for none. */
export function dateTime(value: string | Date | null | undefined): string {
  if (value == null) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A machine code as words: `awaiting_payment` -> `Awaiting payment`. */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
