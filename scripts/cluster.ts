// `npm run cluster`: the production topology on this machine (devstack/cluster.ts): Postgres with separate
// databases and users, a real Temporal server with 4 history shards and its Web UI, two APIs and two workers
// running the compiled code; unless SMTP_URL is set, Mailpit for customer e-mail. Data and secrets are kept
// in .data/cluster (PAYSTEAD_CLUSTER_DIR) across runs.
import path from 'node:path';
import { createDb } from '../db/database.js';
import { startCluster, type Cluster } from '../devstack/cluster.js';
import { ensureDemoMerchant, printDemoKeys } from '../devstack/demo-data.js';
import { loadOrCreateDevSecrets } from '../devstack/dev-secrets.js';
import { findOrBuildMailpit, startMailpit } from '../devstack/mailpit.js';
import { DATA_DIR } from '../devstack/paths.js';
import { freePort } from '../devstack/ports.js';
import { persistentClusterDir } from '../devstack/postgres-cluster.js';

const CLUSTER_DIR = process.env.PAYSTEAD_CLUSTER_DIR ?? path.join(DATA_DIR, 'cluster');
const log = (line: string) => console.log(`[cluster] ${line}`);
const stoppers: Array<() => Promise<void>> = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping...');
    for (const stop of stoppers.reverse()) await stop().catch((error: unknown) => log(String(error)));
    log('stopped');
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stopAll(0));

try {
  const { secrets, created } = loadOrCreateDevSecrets(CLUSTER_DIR);
  if (created && !process.env.PLATFORM_API_KEY) log(`generated PLATFORM_API_KEY=${secrets.PLATFORM_API_KEY} (kept in ${CLUSTER_DIR}/secrets.json)`);
  const env: NodeJS.ProcessEnv = {};
  let mailInbox = '(SMTP_URL is set: customer e-mail goes to that server)';
  if (!process.env.SMTP_URL) {
    const mailpit = await startMailpit(await findOrBuildMailpit(log), { smtp: await freePort(1025), http: await freePort(8025) });
    stoppers.push(() => mailpit.stop());
    env.SMTP_URL = mailpit.smtpUrl;
    mailInbox = mailpit.webUrl;
  }

  const cluster: Cluster = await startCluster({
    dataDir: CLUSTER_DIR,
    secrets: {
      PLATFORM_API_KEY: process.env.PLATFORM_API_KEY ?? secrets.PLATFORM_API_KEY,
      MASTER_KEY: process.env.MASTER_KEY ?? secrets.MASTER_KEY,
    },
    ui: true,
    ports: { postgres: 5434, temporal: 7233, ui: 8080, api: 3000, worker: 3100 },
    env,
    log,
    // Postgres's routine log, the UI's access log and the servers' shutdown chatter are noise.
    onOutput: (name, line) => {
      const noise = stopping || (name === 'postgres' && !/FATAL|PANIC/.test(line)) || (name === 'temporal-ui' && line.includes('"uri":'));
      if (!noise) console.log(`[${name}] ${line}`);
    },
    onUnexpectedExit: (name, code) => {
      if (stopping) return;
      log(`${name} exited unexpectedly (${String(code)}); stopping everything`);
      void stopAll(1);
    },
  });
  stoppers.push(() => cluster.stop());

  const db = createDb(cluster.databaseUrl, 1);
  const demo = await ensureDemoMerchant(db);
  await db.destroy();

  const [api] = cluster.apiUrls;
  const pids = (procs: { name: string; pid: number | undefined }[]) => procs.map((proc) => `${proc.name} (pid ${String(proc.pid)})`).join(', ');
  log('Paystead (production topology) is running:');
  for (const [i, url] of cluster.apiUrls.entries()) log(`  API ${i + 1}         ${url}`);
  log(`  API docs      ${api}/docs  (OpenAPI: ${api}/openapi.json)`);
  log(`  Admin         ${api}/admin  (sign in with the merchant's admin key)`);
  log(`  Workers       ${pids(cluster.workers)}, task queue ${cluster.env.TEMPORAL_TASK_QUEUE}`);
  log(`  Metrics       ${[...cluster.apiUrls, ...cluster.workerUrls].map((url) => `${url}/metrics`).join(', ')}`);
  log(`  Temporal UI   ${cluster.uiUrl}`);
  log(`  Temporal gRPC ${cluster.temporalAddress}  (4 history shards, namespace ${cluster.namespace}, config deploy/temporal/config.yaml)`);
  log(`  Postgres      ${cluster.adminUrl('postgres')}  (databases paystead, temporal, temporal_visibility, each owned by its own user)`);
  log(`  Mail inbox    ${mailInbox}`);
  log(`  Data          ${CLUSTER_DIR} (Postgres: ${persistentClusterDir(CLUSTER_DIR)})`);
  log(`  Demo merchant ${demo.merchantId}`);
  printDemoKeys(demo, log);
  log('Ctrl-C stops everything.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
}
