// Response pieces and route helpers shared by several resources. Each route module declares its own routes
// with `createRoute`, so the OpenAPI document comes from the same schemas that validate requests.
import { z } from '@hono/zod-openapi';
import type { Merchant } from '../db/merchants.js';
import { Currency, MinorUnits } from '../services/schemas.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** A required JSON request body for `createRoute`. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response for `createRoute`. */
export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** What a route behind an API key answers past the wrong keys allowed per address (api/auth.ts). */
const rateLimitedResponse = {
  ...jsonResponse(ErrorSchema, 'Too many missing or wrong keys from this address'),
  headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } } },
};

/** Standard error responses for `createRoute`: pass the statuses a route can produce (with 401 comes 429). */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 422 | 503>) {
  const responses = statuses.map((status) => [status, jsonResponse(ErrorSchema, 'Error')] as const);
  const limited = statuses.includes(401) ? [[429, rateLimitedResponse] as const] : [];
  return Object.fromEntries([...responses, ...limited]) as Record<(typeof statuses)[number], ReturnType<typeof jsonResponse<typeof ErrorSchema>>>;
}

export const PricedItemSchema = z
  .object({ sku: z.string(), name: z.string(), quantity: z.number().int(), unitAmount: MinorUnits, lineTotal: MinorUnits })
  .openapi('PricedItem');

export const TaxIncluded = z.boolean().openapi({
  description: "True when the merchant's prices include tax: `tax` is the part of the item prices that is tax, and `total` is `subtotal + shippingFee`. False: `tax` is added, `total` is `subtotal + shippingFee + tax`.",
});

export const QuoteSchema = z
  .object({
    currency: Currency,
    items: z.array(PricedItemSchema),
    subtotal: MinorUnits,
    shippingFee: MinorUnits,
    tax: MinorUnits,
    taxIncluded: TaxIncluded,
    total: MinorUnits,
  })
  .openapi('Quote');

export const bearerAuth = [{ bearerAuth: [] }];

export const MerchantSchema = z
  .object({
    id: z.string().openapi({ example: 'mch_3f9c2a7d1e5b8c4a6f0d2e1b' }),
    name: z.string(),
    contactEmail: z.string(),
    contactPhone: z.string().nullable(),
    businessLicenceNo: z.string(),
    taxRegistrationNo: z.string(),
    status: z.enum(['pending_verification', 'active', 'suspended']),
    createdAt: z.string().openapi({ format: 'date-time' }),
    verifiedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('Merchant');

/** The merchant as the API shows it: dates as ISO strings, nothing but these fields. */
export function merchantJson(merchant: Merchant): z.infer<typeof MerchantSchema> {
  return {
    id: merchant.id,
    name: merchant.name,
    contactEmail: merchant.contactEmail,
    contactPhone: merchant.contactPhone,
    businessLicenceNo: merchant.businessLicenceNo,
    taxRegistrationNo: merchant.taxRegistrationNo,
    status: merchant.status,
    createdAt: merchant.createdAt.toISOString(),
    verifiedAt: merchant.verifiedAt?.toISOString() ?? null,
  };
}
