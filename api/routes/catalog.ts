// The merchant's catalog, managed with its admin key. Prices live only here: quotes and orders read them,
// clients never send them.
import { createRoute, z } from '@hono/zod-openapi';
import { listProducts, type Product } from '../../db/products.js';
import { addProduct, changeProduct, NewProductSchema, ProductPatchSchema } from '../../services/catalog.js';
import { Currency, MinorUnits, Sku } from '../../services/schemas.js';
import { merchantIdOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

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

const addRoute = createRoute({
  method: 'post',
  path: '/v1/admin/products',
  tags: ['catalog'],
  summary: 'Add a product to the catalog',
  security: bearerAuth,
  request: { body: jsonBody(NewProductSchema) },
  responses: { 201: jsonResponse(ProductSchema, 'Created'), ...errorResponses(400, 401, 403, 409, 422) },
});

const add: AppRouteHandler<typeof addRoute> = async (c) => {
  const merchantId = merchantIdOf(c.get('principal'));
  return c.json(productJson(await addProduct(c.var.deps.db, merchantId, c.req.valid('json'))), 201);
};

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/products',
  tags: ['catalog'],
  summary: 'List the catalog, active and inactive products, by sku',
  security: bearerAuth,
  responses: { 200: jsonResponse(z.object({ products: z.array(ProductSchema) }), 'The products'), ...errorResponses(401, 403) },
});

const list: AppRouteHandler<typeof listRoute> = async (c) => {
  const products = await listProducts(c.var.deps.db, merchantIdOf(c.get('principal')));
  return c.json({ products: products.map(productJson) }, 200);
};

const changeRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/products/{sku}',
  tags: ['catalog'],
  summary: 'Change a product: name, price, currency or whether it is sold',
  security: bearerAuth,
  request: { params: z.object({ sku: Sku }), body: jsonBody(ProductPatchSchema) },
  responses: { 200: jsonResponse(ProductSchema, 'Updated'), ...errorResponses(400, 401, 403, 404, 422) },
});

const change: AppRouteHandler<typeof changeRoute> = async (c) => {
  const merchantId = merchantIdOf(c.get('principal'));
  const { sku } = c.req.valid('param');
  return c.json(productJson(await changeProduct(c.var.deps.db, merchantId, sku, c.req.valid('json'))), 200);
};

export function registerCatalogRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/admin/products/*', requireKey(keys, 'admin'));
  app.openapi(addRoute, add);
  app.openapi(listRoute, list);
  app.openapi(changeRoute, change);
}
