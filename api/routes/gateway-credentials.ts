// Merchant gateway credentials through the admin API: write-only. A merchant can replace them and see
// which gateways are configured, never read them back.
import { createRoute, z } from '@hono/zod-openapi';
import { configuredGateways, deleteGatewayCredentials, saveGatewayCredentials } from '../../db/gateway-credentials.js';
import { pauseReconciliation, scheduleReconciliation } from '../../services/reconciliation.js';
import type { Mode } from '../../core/modes.js';
import { GATEWAYS, hasCredentialFields, type ConfigurableGateway, type CredentialField } from '../../domain/gateways.js';
import { CREDENTIAL_FIELDS, MAX_CREDENTIAL_LENGTH, modePrefixes, readCredentials, type CredentialProblem } from '../../gateways/credentials.js';
import { ApiError } from '../../core/errors.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const CONFIGURABLE = Object.keys(CREDENTIAL_FIELDS) as ConfigurableGateway[];

const GatewayStatusSchema = z
  .object({
    gateway: z.enum(GATEWAYS),
    available: z.boolean().openapi({ description: 'Offered by this deployment in the key’s mode.' }),
    configured: z.boolean().openapi({ description: 'Credentials are stored (sandbox: always).' }),
    fields: z.array(z.string()).openapi({ description: 'The credential fields this gateway takes.' }),
    currencies: z.array(z.string()).optional().openapi({ description: 'The only currencies it settles, when limited.' }),
  })
  .openapi('GatewayStatus');

const CredentialsSchema = z.record(z.string(), z.string()).openapi('GatewayCredentials', {
  description: 'Every field the gateway takes (see GET /v1/admin/gateways), as text; PEM keys and certificates as they are.',
});

const PROBLEM_WORDS: Record<CredentialProblem, (field: CredentialField, mode: Mode) => string> = {
  missing: () => 'is required',
  too_long: () => `must be at most ${MAX_CREDENTIAL_LENGTH} characters`,
  wrong_mode: (field, mode) => `must start with ${modePrefixes(field, mode)} in ${mode} mode`,
};

/** Exactly the gateway's fields, each non-empty and of the key's mode; the message never echoes a value. */
function checkCredentials(gateway: ConfigurableGateway, mode: Mode, body: Record<string, string>): Record<string, string> {
  const { credentials, problems: found } = readCredentials(gateway, mode, (name) => body[name]);
  const problems: Record<string, string> = Object.fromEntries(found.map(({ field, problem }) => [field.name, PROBLEM_WORDS[problem](field, mode)]));
  const known = new Set(CREDENTIAL_FIELDS[gateway].map((field) => field.name));
  for (const name of Object.keys(body)) if (!known.has(name)) problems[name] = 'is not a field of this gateway';
  if (Object.keys(problems).length > 0) throw new ApiError(422, 'invalid_credentials', `The ${gateway} credentials are incomplete, of the other mode or have unknown fields.`, problems);
  return credentials;
}

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/gateways',
  tags: ['settings'],
  summary: 'Which gateways are offered and configured',
  security: bearerAuth,
  responses: { 200: jsonResponse(z.object({ gateways: z.array(GatewayStatusSchema) }), 'One entry per gateway'), ...errorResponses(401, 403) },
});

const list: AppRouteHandler<typeof listRoute> = async (c) => {
  const { db, gateways } = c.var.deps;
  const { merchantId, mode } = merchantScopeOf(c.get('principal'));
  const configured = new Set(await configuredGateways(db, merchantId, mode));
  return c.json(
    {
      // A gateway switched off altogether (the sandbox with SANDBOX_ENABLED=false) is not listed.
      gateways: GATEWAYS.filter((gateway) => gateways.modesOf(gateway).length > 0).map((gateway) => {
        const adapter = gateways.get(gateway, mode);
        return {
          gateway,
          available: adapter !== undefined,
          configured: !hasCredentialFields(gateway) || configured.has(gateway),
          fields: hasCredentialFields(gateway) ? CREDENTIAL_FIELDS[gateway].map((field) => field.name) : [],
          ...(adapter?.currencies && { currencies: [...adapter.currencies] }),
        };
      }),
    },
    200,
  );
};

const saveRoute = createRoute({
  method: 'put',
  path: '/v1/admin/gateways/{gateway}/credentials',
  tags: ['settings'],
  summary: "Set or replace a gateway's credentials (stored encrypted, never returned)",
  security: bearerAuth,
  request: {
    params: z.object({ gateway: z.enum(CONFIGURABLE as [ConfigurableGateway, ...ConfigurableGateway[]]) }),
    body: jsonBody(CredentialsSchema),
  },
  responses: {
    200: jsonResponse(z.object({ gateway: z.enum(GATEWAYS), configured: z.literal(true) }), 'Stored'),
    ...errorResponses(400, 401, 403, 422),
  },
});

const save: AppRouteHandler<typeof saveRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const { gateway } = c.req.valid('param');
  const { merchantId, mode } = merchantScopeOf(c.get('principal'));
  const credentials = checkCredentials(gateway, mode, c.req.valid('json'));
  await saveGatewayCredentials(db, config.masterKey, merchantId, gateway, mode, credentials);
  await scheduleReconciliation(c.var.deps, { merchantId, mode }, gateway);
  return c.json({ gateway, configured: true as const }, 200);
};

const removeRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/gateways/{gateway}/credentials',
  tags: ['settings'],
  summary: "Remove a gateway's credentials (its daily reconciliation is paused)",
  security: bearerAuth,
  request: { params: z.object({ gateway: z.enum(CONFIGURABLE as [ConfigurableGateway, ...ConfigurableGateway[]]) }) },
  responses: {
    200: jsonResponse(z.object({ gateway: z.enum(GATEWAYS), configured: z.literal(false) }), 'Removed'),
    ...errorResponses(401, 403, 404),
  },
});

const remove: AppRouteHandler<typeof removeRoute> = async (c) => {
  const { gateway } = c.req.valid('param');
  const { merchantId, mode } = merchantScopeOf(c.get('principal'));
  if (!(await deleteGatewayCredentials(c.var.deps.db, merchantId, gateway, mode))) throw new ApiError(404, 'not_found', `No ${gateway} credentials in ${mode} mode.`);
  await pauseReconciliation(c.var.deps, { merchantId, mode }, gateway);
  return c.json({ gateway, configured: false as const }, 200);
};

export function registerGatewayCredentialRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/admin/gateways', requireKey(keys, 'admin'));
  app.use('/v1/admin/gateways/*', requireKey(keys, 'admin'));
  app.openapi(listRoute, list);
  app.openapi(saveRoute, save);
  app.openapi(removeRoute, remove);
}
