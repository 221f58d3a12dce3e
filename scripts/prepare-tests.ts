// Runs before `vitest run`: finds or builds the tools the test run needs, printing progress, so the
// global setup itself only starts servers.
import { ensureChromium } from '../devstack/chromium.js';
import { ensurePostgresBinaries } from '../devstack/postgres-cluster.js';
import { findOrBuildStripeMock } from '../devstack/stripe-mock.js';
import { findOrBuildTemporalCli } from '../devstack/temporal-cli.js';

const log = (line: string) => console.log(`[prepare-tests] ${line}`);
const cli = await findOrBuildTemporalCli(log);
log(`Temporal CLI: ${cli}`);
const bin = await ensurePostgresBinaries(log);
log(`Postgres binaries: ${bin}`);
log(`Chromium: ${await ensureChromium(log)}`);
log(`stripe-mock: ${await findOrBuildStripeMock(log)}`);
