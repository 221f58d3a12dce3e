import type { Insertable, Selectable } from 'kysely';
import type { Db, ProductTable } from './database.js';

export type Product = Selectable<ProductTable>;
export type NewProduct = Omit<Insertable<ProductTable>, 'createdAt' | 'updatedAt'>;

export async function insertProduct(db: Db, product: NewProduct): Promise<Product | undefined> {
  return db
    .insertInto('products')
    .values(product)
    .onConflict((oc) => oc.columns(['merchantId', 'sku']).doNothing())
    .returningAll()
    .executeTakeFirst();
}
