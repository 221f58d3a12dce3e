// Whether this process can do its work: the database and Temporal answer, each within a deadline.
import { pingDatabase } from '../db/health.js';
import type { AppDeps } from './deps.js';

const CHECK_TIMEOUT_MS = 2000;

/** `ok`, or `error: <first line of the reason>`. */
async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (error) {
    return `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness({ db, temporal }: Pick<AppDeps, 'db' | 'temporal'>) {
  const [database, temporalCheck] = await Promise.all([
    check(() => pingDatabase(db)),
    check(() => temporal.connection.workflowService.getSystemInfo({})),
  ]);
  const ready = database === 'ok' && temporalCheck === 'ok';
  return { status: ready ? ('ready' as const) : ('unavailable' as const), checks: { database, temporal: temporalCheck } };
}
