// What one kind of customer e-mail says: a subject and a few paragraphs, from the notification's payload.
// compose.ts adds the greeting, the order page link and the merchant's contact, as plain text and HTML.

/** What a template may use: the notification's payload (`orderNo` and the kind's own fields). */
export interface EmailFacts {
  orderNo: string;
  payload: Record<string, unknown>;
}

export interface EmailText {
  subject: string;
  paragraphs: string[];
}

export type EmailTemplate = (facts: EmailFacts) => EmailText;

/** `12345, 'CNY'` -> `CN¥123.45`: minor units shown by Intl in the currency's own style. */
export function formatAmount(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number' || typeof currency !== 'string') return '';
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A payload field as text ('' when absent). */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
