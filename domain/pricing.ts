// Price transparency: one function turns catalog prices and a cart into the itemised amounts the customer
// sees in a quote and is charged at checkout. Pure and integer-only.

export interface CatalogItem {
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  active: boolean;
}

export interface PricingSettings {
  currency: string;
  shippingFee: number;
  /** Tax in basis points of the subtotal (600 = 6%). */
  taxRateBps: number;
  /** Catalog prices include tax: the tax is the part of each line that is tax, not an amount added on top. */
  pricesIncludeTax: boolean;
}

export interface PricedItem {
  sku: string;
  name: string;
  quantity: number;
  unitAmount: number;
  lineTotal: number;
}

export interface Quote {
  currency: string;
  items: PricedItem[];
  subtotal: number;
  shippingFee: number;
  tax: number;
  total: number;
  /** `tax` is included in the item prices (and so in `subtotal`), not added to the total. */
  taxIncluded: boolean;
}

/** The most of one sku an order may hold, however many lines name it. */
export const MAX_QUANTITY_PER_SKU = 10_000;

export type PricingProblem =
  | { code: 'unknown_sku'; sku: string }
  | { code: 'quantity_too_large'; sku: string; quantity: number; max: number }
  | { code: 'inactive_product'; sku: string }
  | { code: 'currency_mismatch'; sku: string; currency: string };

export class PricingError extends Error {
  constructor(readonly problems: PricingProblem[]) {
    super(problems.map((p) => `${p.code}: ${p.sku}`).join('; '));
    this.name = 'PricingError';
  }
}

/** A total (or a step towards it) beyond the safe integer range: JavaScript would round it, Postgres's bigint is wider still. */
export class AmountTooLarge extends Error {
  constructor(readonly what: string) {
    super(`the ${what} exceeds the largest amount that can be charged (${Number.MAX_SAFE_INTEGER})`);
    this.name = 'AmountTooLarge';
  }
}

function safe(amount: number, what: string): number {
  if (!Number.isSafeInteger(amount)) throw new AmountTooLarge(what);
  return amount;
}

/**
 * Tax added on top rounds half up on the subtotal, once per order (not per line), so the shown total always
 * equals subtotal + shipping + tax exactly.
 */
export function taxOn(subtotal: number, taxRateBps: number): number {
  return Math.floor((subtotal * taxRateBps + 5_000) / 10_000);
}

/**
 * The tax included in a tax-inclusive amount: `gross × rate / (1 + rate)`, rounded half up to a whole minor
 * unit (at exactly half a unit, up). Counted in BigInt, so the rounding is exact for any safe amount.
 * Applied to each line on its own, so every line's tax is a whole amount; the order's tax is their sum
 * (which may differ by a unit or so from the tax on the subtotal at once).
 */
export function includedTax(gross: number, taxRateBps: number): number {
  const denominator = BigInt(10_000 + taxRateBps);
  return Number((2n * BigInt(gross) * BigInt(taxRateBps) + denominator) / (2n * denominator));
}

export function priceCart(
  cart: Array<{ sku: string; quantity: number }>,
  catalog: Map<string, CatalogItem>,
  settings: PricingSettings,
): Quote {
  const problems: PricingProblem[] = [];
  const quantities = new Map<string, number>();
  for (const line of cart) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  const items: PricedItem[] = [];
  for (const [sku, quantity] of quantities) {
    const product = catalog.get(sku);
    if (quantity > MAX_QUANTITY_PER_SKU) problems.push({ code: 'quantity_too_large', sku, quantity, max: MAX_QUANTITY_PER_SKU });
    else if (!product) problems.push({ code: 'unknown_sku', sku });
    else if (!product.active) problems.push({ code: 'inactive_product', sku });
    else if (product.currency !== settings.currency) problems.push({ code: 'currency_mismatch', sku, currency: product.currency });
    else items.push({ sku, name: product.name, quantity, unitAmount: product.unitAmount, lineTotal: safe(product.unitAmount * quantity, `line total for ${sku}`) });
  }
  if (problems.length > 0) throw new PricingError(problems);
  const subtotal = safe(items.reduce((sum, item) => sum + item.lineTotal, 0), 'subtotal');
  const quote = { currency: settings.currency, items, subtotal, shippingFee: settings.shippingFee, taxIncluded: settings.pricesIncludeTax };
  if (settings.pricesIncludeTax) {
    // What the shopper pays is the prices as shown, plus shipping; the tax is already in them.
    const tax = items.reduce((sum, item) => sum + includedTax(item.lineTotal, settings.taxRateBps), 0);
    return { ...quote, tax, total: safe(subtotal + settings.shippingFee, 'total') };
  }
  safe(subtotal * settings.taxRateBps + 5_000, 'tax computation');
  const tax = taxOn(subtotal, settings.taxRateBps);
  return { ...quote, tax, total: safe(subtotal + settings.shippingFee + tax, 'total') };
}
