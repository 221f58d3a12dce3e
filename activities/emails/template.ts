// What one kind of customer e-mail says: a subject and a few paragraphs, from the notification's payload.
// compose.ts adds the order page link and the merchant's contact, as plain text and HTML.
import { currencyExponent } from '../../domain/money.js';

/** What a template may use: the notification's payload (`orderNo` and the kind's own fields) and the order's totals. */
export interface EmailFacts {
  orderNo: string;
  payload: Record<string, unknown>;
  order: { currency: string; subtotal: number; shippingFee: number; tax: number; total: number; paymentMethod: string };
}

export interface EmailText {
  subject: string;
  paragraphs: string[];
}

export type EmailTemplate = (facts: EmailFacts) => EmailText;

/** `12345, 'CNY'` -> `CN¥123.45`: minor units (ISO 4217's exponent) shown by Intl in the currency's own style. */
export function formatAmount(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number' || typeof currency !== 'string') return '';
  const digits = currencyExponent(currency);
  return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}

/** A payload field as text ('' when absent). */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
