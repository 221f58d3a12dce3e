// What a cart costs, itemised, before the customer commits: the same pricing checkout charges.
import { createRoute, z } from '@hono/zod-openapi';
import { quoteCart } from '../../services/quotes.js';
import { CartItems, ShippingAddressSchema } from '../../services/schemas.js';
import { merchantIdOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse, QuoteSchema } from '../schemas.js';

const QuoteRequestSchema = z.object({ items: CartItems, shippingAddress: ShippingAddressSchema }).strict().openapi('QuoteRequest');

const quoteRoute = createRoute({
  method: 'post',
  path: '/v1/quotes',
  tags: ['checkout'],
  summary: 'Price a cart: items, subtotal, shipping, tax and total, from the catalog',
  security: bearerAuth,
  request: { body: jsonBody(QuoteRequestSchema) },
  responses: { 200: jsonResponse(QuoteSchema, 'The itemised quote'), ...errorResponses(400, 401, 403, 422) },
});

const quote: AppRouteHandler<typeof quoteRoute> = async (c) => {
  const { items } = c.req.valid('json');
  const priced = await quoteCart(c.var.deps.db, merchantIdOf(c.get('principal')), items);
  return c.json(priced.quote, 200);
};

export function registerQuoteRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/quotes', requireKey(keys, 'secret', 'admin'));
  app.openapi(quoteRoute, quote);
}
