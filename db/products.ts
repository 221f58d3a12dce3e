import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CatalogItem } from '../domain/pricing.js';
import type { Db, ProductTable } from './database.js';

export type Product = Selectable<ProductTable>;
export type NewProduct = Omit<Insertable<ProductTable>, 'createdAt' | 'updatedAt'>;
export type ProductPatch = Pick<Updateable<ProductTable>, 'name' | 'unitAmount' | 'currency' | 'active'>;

/** Undefined when the merchant already has a product with this sku. */
export async function insertProduct(db: Db, product: NewProduct): Promise<Product | undefined> {
  return db
    .insertInto('products')
    .values(product)
    .onConflict((oc) => oc.columns(['merchantId', 'sku']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listProducts(db: Db, merchantId: string): Promise<Product[]> {
  return db.selectFrom('products').selectAll().where('merchantId', '=', merchantId).orderBy('sku').execute();
}

/** Undefined when this merchant has no product with this sku. */
export async function updateProduct(db: Db, merchantId: string, sku: string, patch: ProductPatch): Promise<Product | undefined> {
  return db
    .updateTable('products')
    .set({ ...patch, updatedAt: new Date() })
    .where('merchantId', '=', merchantId)
    .where('sku', '=', sku)
    .returningAll()
    .executeTakeFirst();
}

/** The merchant's products among `skus`, inactive ones included, keyed by sku: what `priceCart` prices from. */
export async function loadCatalog(db: Db, merchantId: string, skus: string[]): Promise<Map<string, CatalogItem>> {
  if (skus.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['sku', 'name', 'unitAmount', 'currency', 'active'])
    .where('merchantId', '=', merchantId)
    .where('sku', 'in', skus)
    .execute();
  return new Map(rows.map((row) => [row.sku, row]));
}

/** Whether any of the merchant's products is priced in a currency other than `currency`. */
export async function hasProductOutsideCurrency(db: Db, merchantId: string, currency: string): Promise<boolean> {
  const row = await db
    .selectFrom('products')
    .select('sku')
    .where('merchantId', '=', merchantId)
    .where('currency', '<>', currency)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
