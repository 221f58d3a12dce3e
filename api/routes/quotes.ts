// What a cart costs, itemised, before the customer commits: the same pricing checkout charges.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../../db/database.js';
import { getSettings, type MerchantSettings } from '../../db/merchants.js';
import { loadCatalog } from '../../db/products.js';
import { priceCart, PricingError, type Quote } from '../../domain/pricing.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { ApiError } from '../../core/errors.js';
import { bearerAuth, CartItems, errorResponses, QuoteSchema, ShippingAddressSchema } from '../schemas.js';

const QuoteRequestSchema = z.object({ items: CartItems, shippingAddress: ShippingAddressSchema }).strict().openapi('QuoteRequest');

/**
 * Prices a cart from the merchant's catalog and settings (returned too: checkout needs them as well). Carts that cannot be priced (unknown or inactive
 * skus) are a 422 `invalid_items` listing every problem, so a client can fix them all at once.
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
    throw error;
  }
}

export function registerQuoteRoutes(app: OpenAPIHono<AppEnv>, { db, keys }: RouteDeps) {
  app.use('/v1/quotes', requireKey(keys, 'secret', 'admin'));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/quotes',
      tags: ['checkout'],
      summary: 'Price a cart: items, subtotal, shipping, tax and total, from the catalog',
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: QuoteRequestSchema } } } },
      responses: {
        200: { description: 'The itemised quote', content: { 'application/json': { schema: QuoteSchema } } },
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const { items } = c.req.valid('json');
      const { quote } = await quoteCart(db, merchantIdOf(c.get('principal')), items);
      return c.json(quote, 200);
    },
  );
}
