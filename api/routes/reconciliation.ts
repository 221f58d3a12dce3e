// Reconciliation through the admin API (per key mode): runs per day and gateway, their discrepancies,
// resolving one with a note, reconciling a day again, a run's lines as CSV, unmatched notifications.
import { createRoute, z } from '@hono/zod-openapi';
import { GATEWAYS } from '../../domain/gateways.js';
import {
  listDiscrepancies,
  listRuns,
  rerunDay,
  RerunSchema,
  ResolveSchema,
  resolveDiscrepancy,
  RunListQuery,
  runCsv,
  runWithDiscrepancies,
  unmatchedNotifications,
} from '../../services/reconciliation.js';
import { merchantScopeOf, requireKey } from '../auth.js';
import type { AppOpenAPI, AppRouteHandler, RouteDeps } from '../context.js';
import { bearerAuth, errorResponses, jsonBody, jsonResponse } from '../schemas.js';

const OUTCOMES = ['matched', 'gateway_only', 'paystead_only', 'amount_mismatch', 'status_mismatch'] as const;
const Amounts = z.object({ count: z.number().int(), amount: z.number().int() });

const RunSchema = z
  .object({
    id: z.string(),
    gateway: z.enum(GATEWAYS),
    date: z.string().openapi({ description: 'The settlement day, YYYY-MM-DD in `timeZone`.' }),
    timeZone: z.string(),
    status: z.enum(['waiting', 'completed', 'failed']).openapi({ description: 'waiting: the statement is not out yet; failed: it could not be fetched or read (`error`, in the gateway’s words).' }),
    error: z.string().nullable(),
    counts: z.record(z.string(), z.number().int()).openapi({ description: `Items by outcome: ${OUTCOMES.join(', ')}.` }),
    totals: z.record(z.string(), z.object({ payments: Amounts, refunds: Amounts, fees: z.number().int() })).openapi({ description: 'Of the statement, per currency, minor units.' }),
    openDiscrepancies: z.number().int(),
    attempts: z.number().int(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ReconciliationRun');

const DiscrepancySchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    gateway: z.enum(GATEWAYS),
    date: z.string(),
    kind: z.enum(['payment', 'refund']),
    outcome: z.enum(OUTCOMES),
    ourId: z.string().nullable(),
    paymentId: z.string().nullable(),
    orderId: z.string().nullable(),
    line: z.unknown().openapi({ description: 'The statement line, with `raw` as the gateway wrote it; null for ours only.' }),
    entry: z.unknown().openapi({ description: 'Our payment or refund as our books held it; null for the gateway’s only.' }),
    action: z.enum(['none', 'record_external_refund', 'deliver_payment', 'open']),
    status: z.enum(['open', 'applied', 'resolved']).openapi({ description: 'applied: handed to its order’s workflow, which recorded it; resolved: closed by a person with `note`.' }),
    note: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi('ReconciliationDiscrepancy');

const IdParam = z.object({ id: z.string().min(1).max(300).openapi({ param: { name: 'id', in: 'path' } }) });
const tags = ['reconciliation'];

const runsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reconciliation/runs',
  tags,
  summary: 'Reconciliation runs per settlement day and gateway, newest day first',
  security: bearerAuth,
  request: { query: RunListQuery },
  responses: { 200: jsonResponse(z.object({ runs: z.array(RunSchema) }), 'Runs'), ...errorResponses(400, 401, 403) },
});

const runRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reconciliation/runs/{id}',
  tags,
  summary: 'One run with its discrepancies',
  security: bearerAuth,
  request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ run: RunSchema, discrepancies: z.array(DiscrepancySchema) }), 'The run'), ...errorResponses(401, 403, 404) },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reconciliation/runs/{id}/lines.csv',
  tags,
  summary: 'The run’s statement lines as matched, as CSV',
  security: bearerAuth,
  request: { params: IdParam },
  responses: { 200: { description: 'CSV, one row per statement line', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses(401, 403, 404) },
});

const rerunRoute = createRoute({
  method: 'post',
  path: '/v1/admin/reconciliation/runs',
  tags,
  summary: 'Reconcile one day of one gateway again (or for the first time)',
  security: bearerAuth,
  request: { body: jsonBody(RerunSchema) },
  responses: { 202: jsonResponse(z.object({ workflowId: z.string(), started: z.boolean() }), 'Started, or already running'), ...errorResponses(400, 401, 403, 422) },
});

const discrepanciesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reconciliation/discrepancies',
  tags,
  summary: 'Discrepancies across runs (open ones by default), newest day first',
  security: bearerAuth,
  request: { query: z.object({ status: z.enum(['open', 'applied', 'resolved']).default('open') }) },
  responses: { 200: jsonResponse(z.object({ discrepancies: z.array(DiscrepancySchema) }), 'Discrepancies'), ...errorResponses(400, 401, 403) },
});

const resolveRoute = createRoute({
  method: 'post',
  path: '/v1/admin/reconciliation/discrepancies/{id}/resolve',
  tags,
  summary: 'Close an open discrepancy with a note',
  security: bearerAuth,
  request: { params: IdParam, body: jsonBody(ResolveSchema) },
  responses: { 200: jsonResponse(DiscrepancySchema, 'The discrepancy'), ...errorResponses(400, 401, 403, 404, 409) },
});

const unmatchedRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reconciliation/unmatched-notifications',
  tags,
  summary: 'Verified gateway notifications no order took (unknown payment, or its order’s run had ended)',
  security: bearerAuth,
  responses: {
    200: jsonResponse(
      z.object({
        notifications: z.array(
          z.object({ id: z.string(), gateway: z.enum(GATEWAYS), kind: z.enum(['payment', 'refund']).nullable(), paymentId: z.string().nullable(), refundId: z.string().nullable(), orderId: z.string().nullable(), providerEventId: z.string().nullable(), receivedAt: z.string() }),
        ),
      }),
      'Notifications',
    ),
    ...errorResponses(401, 403),
  },
});

const runs: AppRouteHandler<typeof runsRoute> = async (c) => c.json({ runs: await listRuns(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('query')) }, 200);

const run: AppRouteHandler<typeof runRoute> = async (c) => c.json(await runWithDiscrepancies(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id), 200);

const csv: AppRouteHandler<typeof csvRoute> = async (c) => {
  const { filename, body } = await runCsv(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id);
  return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });
};

const rerun: AppRouteHandler<typeof rerunRoute> = async (c) => {
  const { gateway, date } = c.req.valid('json');
  return c.json(await rerunDay(c.var.deps, merchantScopeOf(c.get('principal')), gateway, date), 202);
};

const discrepancies: AppRouteHandler<typeof discrepanciesRoute> = async (c) =>
  c.json({ discrepancies: await listDiscrepancies(c.var.deps, merchantScopeOf(c.get('principal')), { status: c.req.valid('query').status }) }, 200);

const resolve: AppRouteHandler<typeof resolveRoute> = async (c) =>
  c.json(await resolveDiscrepancy(c.var.deps, merchantScopeOf(c.get('principal')), c.req.valid('param').id, c.req.valid('json').note), 200);

const unmatched: AppRouteHandler<typeof unmatchedRoute> = async (c) => c.json({ notifications: await unmatchedNotifications(c.var.deps, merchantScopeOf(c.get('principal'))) }, 200);

export function registerReconciliationRoutes(app: AppOpenAPI, { keys }: RouteDeps) {
  app.use('/v1/admin/reconciliation/*', requireKey(keys, 'admin'));
  app.openapi(runsRoute, runs);
  app.openapi(rerunRoute, rerun);
  app.openapi(runRoute, run);
  app.openapi(csvRoute, csv);
  app.openapi(discrepanciesRoute, discrepancies);
  app.openapi(resolveRoute, resolve);
  app.openapi(unmatchedRoute, unmatched);
}
