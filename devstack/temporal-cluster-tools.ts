// The pieces of a real Temporal cluster, built from their Go modules and cached like the CLI: the server, its
// SQL schema tool (with the schemas that ship inside the server's module) and the Web UI server.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { run } from './child-process.js';
import { findOrGoInstall, goBinary } from './go-tool.js';

/**
 * The server inside the pinned CLI (v1.5.1); its module has no `replace` lines, so it `go install`s.
 * docker-compose.yml runs the `temporalio/server` image of the same version (test/compose.test.ts checks it).
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const SERVER_MODULE = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;

/**
 * The UI server the pinned CLI embeds (its `start-dev` cannot point that UI at another cluster), so building
 * the CLI has already fetched this module. `docker-compose.yml` runs the `temporalio/ui` image of the same version.
 */
export const TEMPORAL_UI_VERSION = '2.42.1';
const UI_SERVER_MODULE = `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`;

type Log = (line: string) => void;

export function findOrBuildTemporalServer(log: Log): Promise<string> {
  return findOrGoInstall(
    { binary: 'server', name: 'temporal-server', envVar: 'TEMPORAL_SERVER_PATH', module: `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`, label: 'the Temporal server' },
    log,
  );
}

export function findOrBuildTemporalSqlTool(log: Log): Promise<string> {
  return findOrGoInstall(
    { binary: 'sql', name: 'temporal-sql-tool', envVar: 'TEMPORAL_SQL_TOOL_PATH', module: `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`, label: 'the Temporal SQL schema tool' },
    log,
  );
}

export function findOrBuildTemporalUiServer(log: Log): Promise<string> {
  return findOrGoInstall({ binary: 'server', name: 'temporal-ui-server', envVar: 'TEMPORAL_UI_SERVER_PATH', module: UI_SERVER_MODULE, label: 'the Temporal UI server' }, log);
}

/**
 * The server module's Postgres schemas (`temporal/` and `visibility/`, each with `versioned/` steps):
 * $TEMPORAL_SCHEMA_DIR, else the module in Go's module cache (`go mod download` fetches it when missing).
 */
export async function temporalPostgresSchemaDir(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_SCHEMA_DIR;
  if (fromEnv) return fromEnv;
  const go = goBinary();
  if (!go) throw new Error('The Temporal schemas come from its Go module: install Go, or set TEMPORAL_SCHEMA_DIR to its schema/postgresql/v12 folder.');
  const output = await run(go, ['mod', 'download', '-json', SERVER_MODULE], { env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const dir = path.join((JSON.parse(output.slice(output.indexOf('{'))) as { Dir: string }).Dir, 'schema', 'postgresql', 'v12');
  if (!existsSync(path.join(dir, 'temporal', 'versioned'))) throw new Error(`No Postgres schemas in ${dir}`);
  return dir;
}
