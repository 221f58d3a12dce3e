// Paystead's own processes as the dev command, the benchmark and the fault run start them.
import { startProcess, waitFor, type ManagedProcess } from './child-process.js';
import { nodeArgs, type Entry } from './node-args.js';
import { ROOT } from './paths.js';

/** As in the Dockerfile: fewer malloc arenas, less resident memory. Anything the caller sets wins. */
export const SERVICE_ENV_DEFAULTS: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '2' };

export function startService(entry: Entry, mode: 'compiled' | 'source', env: NodeJS.ProcessEnv, onOutput: (line: string) => void): ManagedProcess {
  return startProcess(process.execPath, nodeArgs(entry, mode), { cwd: ROOT, env, onOutput });
}

/** Resolves once the API at `baseUrl` answers /readyz with 2xx (its database and Temporal reachable). */
export function untilApiReady(baseUrl: string): Promise<void> {
  return waitFor('API', async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    if (!response.ok) throw new Error(`readyz ${response.status}`);
  });
}
