// The settings that drive pricing, payment and refunds, and the rules that span fields and products when
// they change. Used by `PUT /v1/admin/settings` and the admin settings page.
import { z } from '@hono/zod-openapi';
import { ApiError } from '../core/errors.js';
import { isTimeZone, LOCALES } from '../core/i18n/locales.js';
import type { Db } from '../db/database.js';
import { getSettings, updateSettings, type MerchantSettings } from '../db/merchants.js';
import { hasProductOutsideCurrency } from '../db/products.js';
import { Currency, MinorUnits } from './schemas.js';

/** Seconds are stored as Postgres `integer`. */
const seconds = (min: number) => z.number().int().min(min).max(2_147_483_647);

export const SettingsSchema = z
  .object({
    currency: Currency,
    shippingFee: MinorUnits,
    taxRateBps: z.number().int().min(0).max(10_000).openapi({ description: 'Tax in basis points of the subtotal (600 = 6%).' }),
    pricesIncludeTax: z.boolean().openapi({
      description: 'Catalog prices include tax: quotes and orders show the tax they include instead of adding it. New CNY merchants start with true.',
    }),
    locale: z.enum(LOCALES).openapi({ description: 'The pages\' language when the shopper\'s browser asks for none Paystead has. New CNY merchants start with zh-CN.' }),
    timeZone: z.string().refine(isTimeZone, 'Not a time zone Intl knows (IANA name, e.g. Asia/Shanghai).').openapi({
      description: 'The IANA time zone the pages show times in. New CNY merchants start with Asia/Shanghai.',
      example: 'Asia/Shanghai',
    }),
    paymentWindowSeconds: seconds(1).openapi({ description: 'How long a customer has to pay.' }),
    paymentCheckIntervalSeconds: seconds(1).openapi({ description: 'How often the gateway is asked while waiting; at most the payment window.' }),
    latePaymentGraceSeconds: seconds(0).openapi({ description: 'How long after the window a late payment is still matched (and refunded).' }),
    autoConfirm: z.boolean(),
    refundWindowSeconds: seconds(0),
    refundApprovalThreshold: MinorUnits.openapi({ description: 'Refunds above this amount wait for approval.' }),
    emailSenderName: z.string().trim().min(1).max(100).nullable().openapi({ description: "The From name of e-mail to customers; null: the merchant's name." }),
    emailReplyTo: z.email().max(254).nullable().openapi({ description: "Where customers' replies go; null: the merchant's contact e-mail." }),
  })
  .openapi('MerchantSettings');

export const SettingsPatchSchema = SettingsSchema.partial().strict().openapi('MerchantSettingsPatch');

/** Applies a validated settings patch, checking the rules that span fields and products. */
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
