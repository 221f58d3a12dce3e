// `npm run dev`: the whole stack on local defaults. Temporal dev server (SQLite, Web UI); unless DATABASE_URL
// is set, a persistent Postgres cluster when the machine has the server binaries, else PGlite; unless
// SMTP_URL is set, Mailpit for customer e-mail (its web inbox shows what was sent); migrations, demo data,
// then the API and the worker as child processes.
import path from 'node:path';
import { loadConfigOrExit } from '../core/config.js';
import { createDb } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { ManagedProcess } from '../devstack/child-process.js';
import { findOrBuildMailpit, startMailpit } from '../devstack/mailpit.js';
import { ensureDemoMerchant, printDemoKeys } from '../devstack/demo-data.js';
import { loadOrCreateDevSecrets } from '../devstack/dev-secrets.js';
import { startDevDatabase } from '../devstack/dev-database.js';
import { DATA_DIR } from '../devstack/paths.js';
import { freePort } from '../devstack/ports.js';
import { findOrBuildTemporalCli } from '../devstack/temporal-cli.js';
import { startTemporalDevServer } from '../devstack/temporal-server.js';
import type { Entry } from '../devstack/node-args.js';
import { SERVICE_ENV_DEFAULTS, startService, untilApiReady } from '../devstack/services.js';

// PAYSTEAD_DEV_DIR lets a second stack (or a test of this command) keep its data apart.
const DEV_DIR = process.env.PAYSTEAD_DEV_DIR ?? path.join(DATA_DIR, 'dev');
const log = (line: string) => console.log(`[dev] ${line}`);
const stoppers: Array<() => Promise<void>> = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping...');
    // Newest first: API and worker before Temporal and the database they use.
    for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => log(String(error)));
    log('stopped');
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stopAll(0));

function startSourceService(name: string, entry: Entry, env: NodeJS.ProcessEnv): ManagedProcess {
  const proc = startService(entry, 'source', env, (line) => console.log(`[${name}] ${line}`));
  void proc.exited.then((code) => {
    if (!stopping) {
      log(`${name} exited unexpectedly (${String(code)}); stopping everything`);
      void stopAll(1);
    }
  });
  stoppers.push(() => proc.stop('SIGTERM', 15_000));
  return proc;
}

try {
  const { secrets, created } = loadOrCreateDevSecrets(DEV_DIR);
  const env: NodeJS.ProcessEnv = { ...SERVICE_ENV_DEFAULTS, ...secrets, ...process.env };
  if (created && !process.env.PLATFORM_API_KEY) log(`generated PLATFORM_API_KEY=${secrets.PLATFORM_API_KEY} (kept in ${DEV_DIR}/secrets.json)`);

  let temporalUi = '(external cluster: its own UI)';
  if (!env.TEMPORAL_ADDRESS) {
    const temporal = await startTemporalDevServer({
      cliPath: await findOrBuildTemporalCli(log),
      dbFile: path.join(DEV_DIR, 'temporal.sqlite'),
      ui: true,
      port: 7233,
      uiPort: 8233,
      // The server's own shutdown chatter is noise once we are stopping.
      onOutput: (line) => stopping || console.log(`[temporal] ${line}`),
    });
    stoppers.push(() => temporal.stop());
    env.TEMPORAL_ADDRESS = temporal.address;
    env.TEMPORAL_UI_URL ??= temporal.uiUrl;
    temporalUi = temporal.uiUrl ?? temporalUi;
  }

  let mailInbox = '(SMTP_URL is set: customer e-mail goes to that server)';
  if (!env.SMTP_URL) {
    const mailpit = await startMailpit(await findOrBuildMailpit(log), { smtp: await freePort(1025), http: await freePort(8025) });
    stoppers.push(() => mailpit.stop());
    env.SMTP_URL = mailpit.smtpUrl;
    mailInbox = mailpit.webUrl;
  }

  if (!env.DATABASE_URL) {
    const kind = process.env.PAYSTEAD_DEV_DATABASE;
    const database = await startDevDatabase(DEV_DIR, { kind: kind === 'pglite' || kind === 'postgres' ? kind : undefined });
    stoppers.push(() => database.stop());
    Object.assign(env, database.env);
    env.DATABASE_URL = database.url;
    log(`database: ${database.kind === 'postgres' ? 'Postgres' : 'PGlite'}, data in ${database.dataDir}`);
  }
  env.PORT ??= String(await freePort(3000));
  env.WORKER_PORT ??= String(await freePort(Number(env.PORT) + 1));
  const config = loadConfigOrExit(env);

  const db = createDb(config.database.url, 1);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
  const demo = await ensureDemoMerchant(db);
  await db.destroy();

  startSourceService('worker', 'worker/main.ts', env);
  startSourceService('api', 'api/main.ts', env);
  const api = config.http.publicBaseUrl;
  await untilApiReady(api);

  log('Paystead is running:');
  log(`  API           ${api}`);
  log(`  API docs      ${api}/docs  (OpenAPI: ${api}/openapi.json)`);
  log(`  Admin         ${api}/admin  (sign in with the merchant's admin key)`);
  log(`  Temporal UI   ${temporalUi}`);
  log(`  Mail inbox    ${mailInbox}`);
  log(`  Metrics       ${api}/metrics  (worker: http://localhost:${config.worker.port}/metrics, readiness /readyz)`);
  log(`  Temporal gRPC ${config.temporal.address}`);
  log(`  Database      ${config.database.url.replace(/\/\/[^@]*@/, '//')}`);
  log(`  Demo merchant ${demo.merchantId}`);
  printDemoKeys(demo, log);
  log('Ctrl-C stops everything.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
}
