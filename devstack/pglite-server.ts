import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './ports.js';

/**
 * The embedded default database for `dev`: PGlite persisted in `dataDir`, served over the Postgres wire
 * protocol so the application talks `pg` exactly as it does to a real server.
 */
export async function startPgliteServer(options: { dataDir: string; port?: number; maxConnections?: number }) {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  const port = await freePort(options.port);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: options.maxConnections ?? 32 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
