// The merchant's own view of its account and the settings that drive pricing, payment and refunds.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../../db/database.js';
import { getMerchant, getSettings, updateSettings, type MerchantSettings } from '../../db/merchants.js';
import { hasProductOutsideCurrency } from '../../db/products.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { ApiError } from '../../core/errors.js';
import { bearerAuth, Currency, errorResponses, MerchantSchema, merchantJson, MinorUnits } from '../schemas.js';

/** Seconds are stored as Postgres `integer`. */
const seconds = (min: number) => z.number().int().min(min).max(2_147_483_647);

const SettingsSchema = z
  .object({
    currency: Currency,
    shippingFee: MinorUnits,
    taxRateBps: z.number().int().min(0).max(10_000).openapi({ description: 'Tax in basis points of the subtotal (600 = 6%).' }),
    paymentWindowSeconds: seconds(1).openapi({ description: 'How long a customer has to pay.' }),
    paymentCheckIntervalSeconds: seconds(1).openapi({ description: 'How often the gateway is asked while waiting; at most the payment window.' }),
    latePaymentGraceSeconds: seconds(0).openapi({ description: 'How long after the window a late payment is still matched (and refunded).' }),
    autoConfirm: z.boolean(),
    refundWindowSeconds: seconds(0),
    refundApprovalThreshold: MinorUnits.openapi({ description: 'Refunds above this amount wait for approval.' }),
  })
  .openapi('MerchantSettings');

export const SettingsPatchSchema = SettingsSchema.partial().strict().openapi('MerchantSettingsPatch');

const AccountSchema = z.object({ merchant: MerchantSchema, settings: SettingsSchema }).openapi('MerchantAccount');
const accountBody = { 'application/json': { schema: AccountSchema } };

async function loadMerchant(db: Db, merchantId: string) {
  const merchant = await getMerchant(db, merchantId);
  // The key that admitted this request belongs to this merchant, so it exists.
  if (!merchant) throw new Error(`merchant ${merchantId} vanished`);
  return merchantJson(merchant);
}

/**
 * Applies a validated settings patch, checking the rules that span fields and products. Used by
 * `PUT /v1/admin/settings` and the admin settings page.
 */
export async function changeSettings(db: Db, merchantId: string, patch: z.infer<typeof SettingsPatchSchema>): Promise<MerchantSettings> {
  // The row lock makes the checks below hold for the settings actually written, and waits for
  // product writes that share-lock it (see catalog) so no product slips in under the old currency.
  return db.transaction().execute(async (trx) => {
    const next = { ...(await getSettings(trx, merchantId, 'update')), ...patch };
    if (next.paymentCheckIntervalSeconds > next.paymentWindowSeconds) {
      throw new ApiError(422, 'invalid_settings', 'paymentCheckIntervalSeconds must not exceed paymentWindowSeconds.', {
        paymentCheckIntervalSeconds: next.paymentCheckIntervalSeconds,
        paymentWindowSeconds: next.paymentWindowSeconds,
      });
    }
    if (patch.currency !== undefined && (await hasProductOutsideCurrency(trx, merchantId, patch.currency))) {
      throw new ApiError(409, 'currency_locked', 'The currency cannot change while products are priced in another currency.');
    }
    return updateSettings(trx, merchantId, patch);
  });
}

export function registerSettingsRoutes(app: OpenAPIHono<AppEnv>, { db, keys }: RouteDeps) {
  app.use('/v1/admin/settings', requireKey(keys, 'admin'));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/settings',
      tags: ['settings'],
      summary: "The merchant's account and settings",
      security: bearerAuth,
      responses: { 200: { description: 'The account and settings', content: accountBody }, ...errorResponses(401, 403) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const [merchant, settings] = await Promise.all([loadMerchant(db, merchantId), getSettings(db, merchantId)]);
      return c.json({ merchant, settings }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/admin/settings',
      tags: ['settings'],
      summary: 'Change some settings; the others keep their values',
      security: bearerAuth,
      request: { body: { required: true, content: { 'application/json': { schema: SettingsPatchSchema } } } },
      responses: { 200: { description: 'The account and settings', content: accountBody }, ...errorResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const settings = await changeSettings(db, merchantId, c.req.valid('json'));
      return c.json({ merchant: await loadMerchant(db, merchantId), settings }, 200);
    },
  );
}
