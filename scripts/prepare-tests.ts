// Runs before `vitest run`: finds or builds the tools the test run needs, printing progress, so the
// global setup itself only starts servers.
import { ensureChromium } from '../devstack/chromium.js';
import { findOrBuildMailpit } from '../devstack/mailpit.js';
import { ensurePostgresBinaries } from '../devstack/postgres-cluster.js';
import { findOrBuildStripeMock } from '../devstack/stripe-mock.js';
import { findOrBuildTemporalCli } from '../devstack/temporal-cli.js';
import { findOrBuildTemporalServer, findOrBuildTemporalSqlTool } from '../devstack/temporal-cluster-tools.js';

const log = (line: string) => console.log(`[prepare-tests] ${line}`);
const found = (label: string) => (path: string) => log(`${label}: ${path}`);
// The Go builds run beside the Debian packages; the packages one after the other (apt holds one lock).
await Promise.all([
  findOrBuildTemporalCli(log).then(found('Temporal CLI')),
  findOrBuildStripeMock(log).then(found('stripe-mock')),
  findOrBuildMailpit(log).then(found('Mailpit')),
  // The cluster test's Temporal server on Postgres and its schema tool.
  findOrBuildTemporalServer(log).then(found('Temporal server')),
  findOrBuildTemporalSqlTool(log).then(found('Temporal SQL tool')),
  ensurePostgresBinaries(log)
    .then(found('Postgres binaries'))
    .then(() => ensureChromium(log))
    .then(found('Chromium')),
]);
