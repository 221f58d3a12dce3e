// Request pieces shared by several services' input schemas (and by the API's responses): amounts,
// currencies, skus, carts and addresses. The API documents them from these same schemas.
import { z } from '@hono/zod-openapi';
import { MAX_QUANTITY_PER_SKU } from '../domain/pricing.js';

export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ description: 'Integer amount in minor units (fen, cents).', example: 12800 });
/** Circulating currencies as the runtime's ICU data knows them: a made-up code would get a guessed exponent. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY')
  .refine((code) => CURRENCIES.has(code), 'is not an ISO 4217 currency')
  .openapi({ example: 'CNY' });
/** Names and address lines: one line of text (the input policy refuses other control characters everywhere). */
export const Line = (min: number, max: number) => z.string().trim().min(min).max(max).regex(/^[^\t\n\r]*$/, 'must be one line');

export const Sku = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');

/** Only `sku` and `quantity`: prices come from the catalog, and a client-sent price is refused. */
export const CartItem = z
  .object({ sku: Sku, quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_SKU).openapi({ description: 'Lines naming the same sku are merged; their sum is capped alike.' }) })
  .strict()
  .openapi('CartItem');
export const CartItems = z.array(CartItem).min(1).max(100);

export const ShippingAddressSchema = z
  .object({
    line1: Line(1, 200),
    line2: Line(0, 200).optional(),
    city: Line(1, 100),
    region: Line(0, 100).optional(),
    postalCode: Line(1, 20),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CN'),
  })
  .strict()
  .openapi('ShippingAddress');

export const CustomerSchema = z
  .object({
    name: Line(1, 200),
    email: z.email().max(254),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number'),
  })
  .strict()
  .openapi('Customer');
