// Stripe amounts are integers in "the currency's smallest unit" as Stripe defines it, which mostly matches
// ours (JPY 500 is ¥500 in both). Where Stripe's exponent differs from ISO 4217, the amount is shifted by
// a power of ten: ISK stays two-decimal in Stripe's API for backwards compatibility (ISK 5 is `500`), and
// MGA, which Stripe treats as zero-decimal, carries two in ISO 4217 and so in our table.
import { currencyExponent } from '../../domain/money.js';
import { GatewayError } from '../types.js';

/** Where Stripe's exponent is not ISO 4217's (Stripe's zero- and three-decimal lists, against ours). */
const STRIPE_EXPONENT: Record<string, number> = { ISK: 2, MGA: 0, IQD: 2, LYD: 2, UYI: 2, CLF: 2, UYW: 2 };

const stripeExponent = (currency: string): number => STRIPE_EXPONENT[currency] ?? currencyExponent(currency);

/** Our minor units -> Stripe's; refuses an amount Stripe cannot express rather than rounding it. */
export function toStripeAmount(amount: number, currency: string): number {
  const shift = stripeExponent(currency) - currencyExponent(currency);
  if (shift >= 0) return amount * 10 ** shift;
  const factor = 10 ** -shift;
  if (amount % factor !== 0) throw new GatewayError('invalid_request', `${amount} ${currency} minor units cannot be charged through Stripe, which counts ${currency} in whole units`);
  return amount / factor;
}

/** Stripe's units -> ours; undefined when not a whole number of our units (never rounded: a person looks). */
export function fromStripeAmount(amount: number, currency: string): number | undefined {
  const shift = stripeExponent(currency) - currencyExponent(currency);
  if (shift <= 0) return amount * 10 ** -shift;
  const factor = 10 ** shift;
  return amount % factor === 0 ? amount / factor : undefined;
}
