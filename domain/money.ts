// Money is integer minor units plus an ISO 4217 currency, everywhere; conversion to decimal strings happens
// only at a gateway's edge. Pure module: imported by workflows, activities and the API alike.

export interface Money {
  amount: number;
  currency: string;
}

/** ISO 4217's minor units where they are not the common 2 (the list as published, funds codes included). */
const EXPONENT: Record<string, number> = {
  ...Object.fromEntries(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map((code) => [code, 0])),
  ...Object.fromEntries(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code) => [code, 3])),
  CLF: 4,
  UYW: 4,
};

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
