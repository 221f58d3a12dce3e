// What a cart costs, itemised, from the merchant's catalog and settings: the same pricing checkout charges.
import { ApiError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { getSettings, type MerchantSettings } from '../db/merchants.js';
import { loadCatalog } from '../db/products.js';
import { AmountTooLarge, priceCart, PricingError, type Quote } from '../domain/pricing.js';

/**
 * Prices a cart from the merchant's catalog and settings (returned too: checkout needs them as well). Carts
 * that cannot be priced (unknown or inactive skus, too many of one) are a 422 `invalid_items` listing every
 * problem, so a client can fix them all at once; a total beyond the safe integer range is a 422 `amount_too_large`.
 */
export async function quoteCart(db: Db, merchantId: string, items: Array<{ sku: string; quantity: number }>): Promise<{ quote: Quote; settings: MerchantSettings }> {
  const [settings, catalog] = await Promise.all([
    getSettings(db, merchantId),
    loadCatalog(db, merchantId, [...new Set(items.map((item) => item.sku))]),
  ]);
  try {
    return { quote: priceCart(items, catalog, settings), settings };
  } catch (error) {
    if (error instanceof PricingError) throw new ApiError(422, 'invalid_items', 'Some items cannot be sold.', error.problems);
    if (error instanceof AmountTooLarge) throw new ApiError(422, 'amount_too_large', `The order is too large to charge: ${error.message}.`);
    throw error;
  }
}
