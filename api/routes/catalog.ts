// The merchant's catalog, managed with its admin key. Prices live only here: quotes and orders read them,
// clients never send them.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../../db/database.js';
import { getSettings } from '../../db/merchants.js';
import { insertProduct, listProducts, updateProduct, type Product } from '../../db/products.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { ApiError } from '../../core/errors.js';
import { bearerAuth, Currency, errorResponses, MinorUnits, Sku } from '../schemas.js';

const ProductSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    unitAmount: MinorUnits,
    currency: Currency,
    active: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Product');

const ProductName = z.string().trim().min(1).max(200);

export const NewProductSchema = z
  .object({ sku: Sku, name: ProductName, unitAmount: MinorUnits, currency: Currency, active: z.boolean().optional() })
  .strict()
  .openapi('NewProduct');

export const ProductPatchSchema = z
  .object({ name: ProductName, unitAmount: MinorUnits, currency: Currency, active: z.boolean() })
  .partial()
  .strict()
  .openapi('ProductPatch');

const productBody = { 'application/json': { schema: ProductSchema } };

function productJson(product: Product): z.infer<typeof ProductSchema> {
  return {
    sku: product.sku,
    name: product.name,
    unitAmount: product.unitAmount,
    currency: product.currency,
    active: product.active,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

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

/** Adds a validated product in the merchant's currency; 409 when the sku is taken. Also used by the admin pages. */
export async function addProduct(db: Db, merchantId: string, input: z.infer<typeof NewProductSchema>): Promise<Product> {
  const product = await db.transaction().execute(async (trx) => {
    await assertMerchantCurrency(trx, merchantId, input.currency);
    return insertProduct(trx, { merchantId, ...input });
  });
  if (!product) throw new ApiError(409, 'sku_exists', `A product with sku ${input.sku} already exists.`);
  return product;
}

/** Applies a validated patch to one of the merchant's products; 404 when there is none. Also used by the admin pages. */
export async function changeProduct(db: Db, merchantId: string, sku: string, patch: z.infer<typeof ProductPatchSchema>): Promise<Product> {
  const product = await db.transaction().execute(async (trx) => {
    if (patch.currency !== undefined) await assertMerchantCurrency(trx, merchantId, patch.currency);
    return updateProduct(trx, merchantId, sku, patch);
  });
  if (!product) throw new ApiError(404, 'product_not_found', `No product with sku ${sku}.`);
  return product;
}

export function registerCatalogRoutes(app: OpenAPIHono<AppEnv>, { db, keys }: RouteDeps) {
  app.use('/v1/admin/products/*', requireKey(keys, 'admin'));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/products',
      tags: ['catalog'],
      summary: 'Add a product to the catalog',
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: NewProductSchema } } } },
      responses: { 201: { description: 'Created', content: productBody }, ...errorResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      return c.json(productJson(await addProduct(db, merchantId, c.req.valid('json'))), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/products',
      tags: ['catalog'],
      summary: 'List the catalog, active and inactive products, by sku',
      security: bearerAuth,
      responses: {
        200: { description: 'The products', content: { 'application/json': { schema: z.object({ products: z.array(ProductSchema) }) } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const products = await listProducts(db, merchantIdOf(c.get('principal')));
      return c.json({ products: products.map(productJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/products/{sku}',
      tags: ['catalog'],
      summary: 'Change a product: name, price, currency or whether it is sold',
      security: bearerAuth,
      request: {
        params: z.object({ sku: Sku }),
        body: { required: true, content: { 'application/json': { schema: ProductPatchSchema } } },
      },
      responses: { 200: { description: 'Updated', content: productBody }, ...errorResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const { sku } = c.req.valid('param');
      return c.json(productJson(await changeProduct(db, merchantId, sku, c.req.valid('json'))), 200);
    },
  );
}
