// The reconciliation page and its forms, through the same services as the admin API
// (`/v1/admin/reconciliation/...`), in the session's mode.
import type { Hono } from 'hono';
import { ApiError } from '../../core/errors.js';
import { listDiscrepancies, listRuns, RerunSchema, rerunDay, ResolveSchema, resolveDiscrepancy, runCsv, unmatchedNotifications } from '../../services/reconciliation.js';
import { GATEWAYS } from '../../domain/gateways.js';
import { chrome, redirectWithFlash, sessionOf, type AdminEnv, type AdminPagesDeps } from './context.js';
import { field } from './forms.js';
import { ReconciliationPage } from './views/reconciliation.js';

const PAGE = '/admin/reconciliation';

export function registerReconciliationPages(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  admin.get('/reconciliation', async (c) => {
    const scope = sessionOf(c);
    const flash = await deps.sessions.takeFlash(scope, c.req.query('flash'));
    const [runs, discrepancies, unmatched] = await Promise.all([listRuns(deps, scope), listDiscrepancies(deps, scope, { status: 'open' }), unmatchedNotifications(deps, scope)]);
    const gateways = GATEWAYS.filter((g) => deps.gateways.get(g, scope.mode) !== undefined);
    return c.html(<ReconciliationPage {...chrome(c)} runs={runs} discrepancies={discrepancies} unmatched={unmatched} gateways={gateways} flash={flash} />);
  });

  admin.get('/reconciliation/runs/:id/lines.csv', async (c) => {
    const { filename, body } = await runCsv(deps, sessionOf(c), c.req.param('id'));
    return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });
  });

  admin.post('/reconciliation/rerun', async (c) => {
    const body = await c.req.parseBody();
    const w = chrome(c).words;
    const parsed = RerunSchema.safeParse({ gateway: field(body, 'gateway'), date: field(body, 'date') });
    if (!parsed.success) return redirectWithFlash(c, deps, PAGE, { kind: 'error', message: w.t('admin.reconciliation.rerun_invalid') });
    const { gateway, date } = parsed.data;
    try {
      const { started } = await rerunDay(deps, sessionOf(c), gateway, date);
      return redirectWithFlash(c, deps, PAGE, { kind: 'success', message: w.t(started ? 'admin.reconciliation.rerun_started' : 'admin.reconciliation.rerun_running', { gateway, date }) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) return redirectWithFlash(c, deps, PAGE, { kind: 'error', message: error.message });
      throw error;
    }
  });

  admin.post('/reconciliation/discrepancies/:id/resolve', async (c) => {
    const body = await c.req.parseBody();
    const w = chrome(c).words;
    const parsed = ResolveSchema.safeParse({ note: field(body, 'note') });
    if (!parsed.success) return redirectWithFlash(c, deps, PAGE, { kind: 'error', message: w.t('admin.reconciliation.note_required') }, '#discrepancies');
    try {
      await resolveDiscrepancy(deps, sessionOf(c), c.req.param('id'), parsed.data.note);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return redirectWithFlash(c, deps, PAGE, { kind: 'error', message: error.message }, '#discrepancies');
      throw error;
    }
    return redirectWithFlash(c, deps, PAGE, { kind: 'success', message: w.t('admin.reconciliation.resolved') }, '#discrepancies');
  });
}
