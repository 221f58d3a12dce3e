// The merchant's catalog: adding and changing products, always in the merchant's currency. Prices live
// only here: quotes and orders read them, clients never send them.
import { z } from '@hono/zod-openapi';
import { ApiError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { getSettings } from '../db/merchants.js';
import { insertProduct, updateProduct, type Product } from '../db/products.js';
import { Currency, Line, MinorUnits, Sku } from './schemas.js';

const ProductName = Line(1, 200);

export const NewProductSchema = z
  .object({ sku: Sku, name: ProductName, unitAmount: MinorUnits, currency: Currency, active: z.boolean().optional() })
  .strict()
  .openapi('NewProduct');

export const ProductPatchSchema = z
  .object({ name: ProductName, unitAmount: MinorUnits, currency: Currency, active: z.boolean() })
  .partial()
  .strict()
  .openapi('ProductPatch');

/**
 * A product is priced in the merchant's currency. Run inside the caller's transaction: the settings row is
 * share-locked, so the currency cannot change between this check and the product write.
 */
async function assertMerchantCurrency(trx: Db, merchantId: string, currency: string): Promise<void> {
  const settings = await getSettings(trx, merchantId, 'share');
  if (currency !== settings.currency) {
    throw new ApiError(422, 'currency_mismatch', `Products must be priced in the merchant's currency, ${settings.currency}.`, {
      currency,
      merchantCurrency: settings.currency,
    });
  }
}

/** Adds a validated product in the merchant's currency; 409 when the sku is taken. Used by the API and the admin pages. */
export async function addProduct(db: Db, merchantId: string, input: z.infer<typeof NewProductSchema>): Promise<Product> {
  const product = await db.transaction().execute(async (trx) => {
    await assertMerchantCurrency(trx, merchantId, input.currency);
    return insertProduct(trx, { merchantId, ...input });
  });
  if (!product) throw new ApiError(409, 'sku_exists', `A product with sku ${input.sku} already exists.`);
  return product;
}

/** Applies a validated patch to one of the merchant's products; 404 when there is none. Used by the API and the admin pages. */
export async function changeProduct(db: Db, merchantId: string, sku: string, patch: z.infer<typeof ProductPatchSchema>): Promise<Product> {
  const product = await db.transaction().execute(async (trx) => {
    if (patch.currency !== undefined) await assertMerchantCurrency(trx, merchantId, patch.currency);
    return updateProduct(trx, merchantId, sku, patch);
  });
  if (!product) throw new ApiError(404, 'product_not_found', `No product with sku ${sku}.`);
  return product;
}
