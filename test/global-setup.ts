import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createDb } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { findOrBuildMailpit, startMailpit } from '../devstack/mailpit.js';
import { CACHE_DIR } from '../devstack/paths.js';
import { ensurePostgresBinaries, startPostgresCluster } from '../devstack/postgres-cluster.js';
import { findOrBuildTemporalCli } from '../devstack/temporal-cli.js';
import { startTemporalDevServer } from '../devstack/temporal-server.js';
import { bundleWorkflows } from '../worker/workflow-bundle.js';
import { TEMPLATE_DATABASE } from './support/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    postgresUrlPrefix: string;
    workflowBundlePath: string;
    /** The run's one Mailpit (SMTP and its HTTP API), and its binary for tests that start their own. */
    mailpit: { smtpUrl: string; webUrl: string; binary: string };
  }
}

/** ONE Temporal dev server, ONE Postgres cluster and ONE Mailpit per run, stopped at the end whatever the outcome. */
export default async function setup(project: TestProject) {
  const [cliPath, binDir, mailpitPath] = await Promise.all([findOrBuildTemporalCli(), ensurePostgresBinaries(), findOrBuildMailpit()]);
  const [temporalStarted, postgresStarted, mailpitStarted] = await Promise.allSettled([startTemporalDevServer({ cliPath }), startPostgresCluster({ binDir }), startMailpit(mailpitPath)]);
  const teardown = async () => {
    await Promise.allSettled([temporalStarted, postgresStarted, mailpitStarted].map((started) => (started.status === 'fulfilled' ? started.value.stop() : undefined)));
  };
  if (temporalStarted.status === 'rejected' || postgresStarted.status === 'rejected' || mailpitStarted.status === 'rejected') {
    await teardown();
    throw [temporalStarted, postgresStarted, mailpitStarted].map((started) => (started.status === 'rejected' ? started.reason : undefined)).find(Boolean);
  }
  const [temporal, postgres, mailpit] = [temporalStarted.value, postgresStarted.value, mailpitStarted.value];
  try {
    // Migrate a template once; every test file clones it into a database of its own.
    const admin = createDb(postgres.url('postgres'), 1);
    await sql`create database ${sql.id(TEMPLATE_DATABASE)}`.execute(admin);
    await admin.destroy();
    const template = createDb(postgres.url(TEMPLATE_DATABASE), 1);
    await migrateToLatest(template);
    await template.destroy();

    const bundle = await bundleWorkflows();
    const bundleDir = path.join(CACHE_DIR, 'test');
    mkdirSync(bundleDir, { recursive: true });
    const workflowBundlePath = path.join(bundleDir, `workflow-bundle-${process.pid}.js`);
    writeFileSync(workflowBundlePath, bundle.code);

    project.provide('temporalAddress', temporal.address);
    project.provide('postgresUrlPrefix', postgres.url(''));
    project.provide('workflowBundlePath', workflowBundlePath);
    project.provide('mailpit', { smtpUrl: mailpit.smtpUrl, webUrl: mailpit.webUrl, binary: mailpitPath });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
