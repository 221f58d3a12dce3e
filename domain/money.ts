// Money is integer minor units plus an ISO 4217 currency, everywhere; conversion to decimal strings happens
// only at a gateway's edge. Pure module: imported by workflows, activities and the API alike.

export interface Money {
  amount: number;
  currency: string;
}

/** Minor-unit exponents that differ from the common 2. */
const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

export function currencyExponent(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

export function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a non-negative integer amount: ${amount}`);
}

/** `12345, 'CNY'` -> `'123.45'`: for gateways that take decimal strings (Alipay, UnionPay display). */
export function toDecimalString(amount: number, currency: string): string {
  assertMinorUnits(amount);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** `'123.45', 'CNY'` -> `12345`; refuses more decimals than the currency has rather than rounding. */
export function fromDecimalString(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match || (match[2]?.length ?? 0) > exponent) throw new RangeError(`not a ${currency} amount: ${value}`);
  const amount = Number(match[1]) * 10 ** exponent + Number((match[2] ?? '').padEnd(exponent, '0') || 0);
  assertMinorUnits(amount);
  return amount;
}

/** Human display, e.g. `CNY 123.45`. */
export function formatMoney(amount: number, currency: string): string {
  return `${currency} ${toDecimalString(amount, currency)}`;
}
