// Whether this process can do its work: the database and Temporal answer, each within a deadline.
import { probeWithin } from '../core/probe.js';
import { pingDatabase } from '../db/health.js';
import type { AppDeps } from './deps.js';

const CHECK_TIMEOUT_MS = 2000;

export async function checkReadiness({ db, temporal }: Pick<AppDeps, 'db' | 'temporal'>) {
  const [database, temporalCheck] = await Promise.all([
    probeWithin(CHECK_TIMEOUT_MS, () => pingDatabase(db)),
    probeWithin(CHECK_TIMEOUT_MS, () => temporal.connection.workflowService.getSystemInfo({})),
  ]);
  const ready = database === 'ok' && temporalCheck === 'ok';
  return { status: ready ? ('ready' as const) : ('unavailable' as const), checks: { database, temporal: temporalCheck } };
}
