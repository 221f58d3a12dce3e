// The platform operator's routes: onboarding merchants, verifying and suspending them, and issuing and
// revoking their keys. Only the platform key is admitted.
import { createRoute, z } from '@hono/zod-openapi';
import { createMerchant, getMerchant, issueApiKey, revokeApiKey, suspendMerchant, verifyMerchant, type ApiKeyInfo } from '../../db/merchants.js';
import { MODES } from '../../core/modes.js';
import { ApiError } from '../../core/errors.js';
import { Line } from '../../services/schemas.js';
import { requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse, MerchantSchema, merchantJson } from '../schemas.js';

const RegistrationNo = z.string().trim().regex(/^[A-Za-z0-9-]{5,32}$/, 'must be 5 to 32 letters, digits or dashes');

const NewMerchantSchema = z
  .object({
    name: Line(1, 200),
    contactEmail: z.email().max(254).openapi({ example: 'owner@tea-house.example' }),
    contactPhone: z.string().trim().regex(/^\+?[0-9][0-9 ()-]{4,31}$/, 'must be a phone number such as +86 571 8888 0000').optional(),
    businessLicenceNo: RegistrationNo.openapi({ example: '91330100MA2B3C4D5E' }),
    taxRegistrationNo: RegistrationNo.openapi({ example: '91330100MA2B3C4D5E' }),
  })
  .strict()
  .openapi('NewMerchant');

const ApiKeySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['secret', 'admin']),
    mode: z.enum(MODES).openapi({ description: 'Test keys see only test objects; live keys only live ones.' }),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiKey');

const IssuedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The key itself. Shown only in this response; only its hash is stored.' }),
}).openapi('IssuedApiKey');

const MerchantParams = z.object({ id: z.string().min(1).max(64) });
const KeyParams = MerchantParams.extend({ keyId: z.string().min(1).max(64) });
const MerchantBody = z.object({ merchant: MerchantSchema });

function apiKeyJson(key: ApiKeyInfo): z.infer<typeof ApiKeySchema> {
  return {
    id: key.id,
    kind: key.kind,
    mode: key.mode,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function merchantNotFound(id: string): ApiError {
  return new ApiError(404, 'merchant_not_found', `No merchant ${id}.`);
}

const createMerchantRoute = createRoute({
  method: 'post',
  path: '/v1/platform/merchants',
  tags: ['platform'],
  summary: 'Onboard a merchant (pending verification) with one test secret and one test admin key',
  security: bearerAuth,
  request: { body: jsonBody(NewMerchantSchema) },
  responses: {
    201: jsonResponse(z.object({ merchant: MerchantSchema, secretKey: z.string(), adminKey: z.string() }), 'Created. The keys are shown only in this response.'),
    ...errorResponses(400, 401, 403),
  },
});

const onboard: AppRouteHandler<typeof createMerchantRoute> = async (c) => {
  const { merchant, secretKey, adminKey } = await createMerchant(c.var.deps.db, c.req.valid('json'));
  return c.json({ merchant: merchantJson(merchant), secretKey, adminKey }, 201);
};

const LiveKeysSchema = z
  .object({
    secretKey: z.string().openapi({ example: 'sk_live_…' }),
    adminKey: z.string().openapi({ example: 'ak_live_…' }),
  })
  .openapi('LiveKeys', { description: 'The merchant’s live keys, issued by its first verification and shown only in that response.' });

const verifyRoute = createRoute({
  method: 'post',
  path: '/v1/platform/merchants/{id}/verify',
  tags: ['platform'],
  summary: 'Mark a merchant verified: it becomes active, and the first time gets its live keys',
  security: bearerAuth,
  request: { params: MerchantParams },
  responses: {
    200: jsonResponse(MerchantBody.extend({ liveKeys: LiveKeysSchema.optional() }), 'Verified. `liveKeys` only the first time: verifying again issues none.'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const verify: AppRouteHandler<typeof verifyRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const verified = await verifyMerchant(c.var.deps.db, id);
  c.var.deps.keys.forget();
  if (!verified) throw merchantNotFound(id);
  return c.json({ merchant: merchantJson(verified.merchant), ...(verified.liveKeys && { liveKeys: verified.liveKeys }) }, 200);
};

const suspendRoute = createRoute({
  method: 'post',
  path: '/v1/platform/merchants/{id}/suspend',
  tags: ['platform'],
  summary: 'Suspend a merchant: its live keys are refused until it is verified again; its test keys keep working',
  security: bearerAuth,
  request: { params: MerchantParams },
  responses: { 200: jsonResponse(MerchantBody, 'Suspended'), ...errorResponses(400, 401, 403, 404) },
});

const suspend: AppRouteHandler<typeof suspendRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const merchant = await suspendMerchant(c.var.deps.db, id);
  c.var.deps.keys.forget();
  if (!merchant) throw merchantNotFound(id);
  return c.json({ merchant: merchantJson(merchant) }, 200);
};

const issueKeyRoute = createRoute({
  method: 'post',
  path: '/v1/platform/merchants/{id}/keys',
  tags: ['platform'],
  summary: 'Issue a new secret or admin key for a merchant, a test key unless asked for a live one',
  security: bearerAuth,
  request: {
    params: MerchantParams,
    body: jsonBody(
      z
        .object({
          kind: z.enum(['secret', 'admin']),
          mode: z.enum(MODES).default('test').openapi({ description: 'Live keys only for a verified (active) merchant: 409 merchant_not_verified otherwise.' }),
        })
        .strict(),
    ),
  },
  responses: {
    201: jsonResponse(IssuedApiKeySchema, 'Issued. The key is shown only in this response.'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const issueKey: AppRouteHandler<typeof issueKeyRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const { kind, mode } = c.req.valid('json');
  const merchant = await getMerchant(c.var.deps.db, id);
  if (!merchant) throw merchantNotFound(id);
  // Live keys move real money: only for a merchant whose licence and tax registration stand verified.
  if (mode === 'live' && merchant.status !== 'active') {
    throw new ApiError(409, 'merchant_not_verified', `Merchant ${id} is ${merchant.status === 'suspended' ? 'suspended' : 'not verified yet'}: live keys are issued only to verified merchants.`);
  }
  const issued = await issueApiKey(c.var.deps.db, id, kind, mode);
  if (!issued) throw merchantNotFound(id);
  return c.json({ ...apiKeyJson(issued), key: issued.key }, 201);
};

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/platform/merchants/{id}/keys/{keyId}',
  tags: ['platform'],
  summary: 'Revoke a key: it is refused from now on',
  security: bearerAuth,
  request: { params: KeyParams },
  responses: {
    200: jsonResponse(ApiKeySchema, 'Revoked (again, if it already was)'),
    ...errorResponses(400, 401, 403, 404),
  },
});

const revokeKey: AppRouteHandler<typeof revokeKeyRoute> = async (c) => {
  const { id, keyId } = c.req.valid('param');
  const key = await revokeApiKey(c.var.deps.db, id, keyId);
  c.var.deps.keys.forget();
  if (!key) throw new ApiError(404, 'key_not_found', `Merchant ${id} has no key ${keyId}.`);
  return c.json(apiKeyJson(key), 200);
};

export function registerPlatformRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/platform/*', requireKey(keys, 'platform'));
  app.openapi(createMerchantRoute, onboard);
  app.openapi(verifyRoute, verify);
  app.openapi(suspendRoute, suspend);
  app.openapi(issueKeyRoute, issueKey);
  app.openapi(revokeKeyRoute, revokeKey);
}
