// The database `npm run dev` starts when DATABASE_URL is not set: a real, persistent Postgres cluster when
// the machine has Postgres server binaries, else embedded PGlite.
import path from 'node:path';
import { findPostgresBinaries, persistentClusterDir, startPostgresCluster } from './postgres-cluster.js';
import { startPgliteServer } from './pglite-server.js';

export interface DevDatabase {
  kind: 'postgres' | 'pglite';
  url: string;
  /** Where the data is kept. */
  dataDir: string;
  /** Environment the API and worker need on this database (PGlite: one connection per process). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Postgres in `persistentClusterDir(devDir)` on port 5433 when free, or, without server binaries (or with
 * `kind: 'pglite'`), PGlite in `<devDir>/pglite`, served one connection's turn at a time.
 */
export async function startDevDatabase(devDir: string, options: { kind?: DevDatabase['kind']; onOutput?: (line: string) => void } = {}): Promise<DevDatabase> {
  const binDir = options.kind === 'pglite' ? undefined : findPostgresBinaries();
  if (binDir) {
    const dir = persistentClusterDir(devDir);
    const cluster = await startPostgresCluster({ binDir, dir, port: 5433, onOutput: options.onOutput });
    return { kind: 'postgres', url: cluster.url('postgres'), dataDir: cluster.dataDir, env: {}, stop: () => cluster.stop() };
  }
  if (options.kind === 'postgres') throw new Error('Postgres server binaries (initdb, postgres) not found; install the postgresql package.');
  const dataDir = path.join(devDir, 'pglite');
  const pglite = await startPgliteServer({ dataDir, port: 5433 });
  return { kind: 'pglite', url: pglite.url, dataDir, env: { DATABASE_POOL_SIZE: '1' }, stop: () => pglite.stop() };
}
