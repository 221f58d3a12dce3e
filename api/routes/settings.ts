// The merchant's own view of its account and the settings that drive pricing, payment and refunds.
import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../../db/database.js';
import { getMerchant, getSettings } from '../../db/merchants.js';
import { changeSettings, SettingsPatchSchema, SettingsSchema } from '../../services/settings.js';
import { merchantIdOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse, MerchantSchema, merchantJson } from '../schemas.js';

const AccountSchema = z.object({ merchant: MerchantSchema, settings: SettingsSchema }).openapi('MerchantAccount');

async function loadMerchant(db: Db, merchantId: string) {
  const merchant = await getMerchant(db, merchantId);
  // The key that admitted this request belongs to this merchant, so it exists.
  if (!merchant) throw new Error(`merchant ${merchantId} vanished`);
  return merchantJson(merchant);
}

const getRoute = createRoute({
  method: 'get',
  path: '/v1/admin/settings',
  tags: ['settings'],
  summary: "The merchant's account and settings",
  security: bearerAuth,
  responses: { 200: jsonResponse(AccountSchema, 'The account and settings'), ...errorResponses(401, 403) },
});

const get: AppRouteHandler<typeof getRoute> = async (c) => {
  const { db } = c.var.deps;
  const merchantId = merchantIdOf(c.get('principal'));
  const [merchant, settings] = await Promise.all([loadMerchant(db, merchantId), getSettings(db, merchantId)]);
  return c.json({ merchant, settings }, 200);
};

const putRoute = createRoute({
  method: 'put',
  path: '/v1/admin/settings',
  tags: ['settings'],
  summary: 'Change some settings; the others keep their values',
  security: bearerAuth,
  request: { body: jsonBody(SettingsPatchSchema) },
  responses: { 200: jsonResponse(AccountSchema, 'The account and settings'), ...errorResponses(400, 401, 403, 409, 422) },
});

const put: AppRouteHandler<typeof putRoute> = async (c) => {
  const { db } = c.var.deps;
  const merchantId = merchantIdOf(c.get('principal'));
  const settings = await changeSettings(db, merchantId, c.req.valid('json'));
  return c.json({ merchant: await loadMerchant(db, merchantId), settings }, 200);
};

export function registerSettingsRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/admin/settings', requireKey(keys, 'admin'));
  app.openapi(getRoute, get);
  app.openapi(putRoute, put);
}
