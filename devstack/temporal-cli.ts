import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { findOrGoInstall } from './go-tool.js';

/** The newest CLI release whose module can still be built with `go install` (later ones carry replace lines). */
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where the Temporal SDK keeps a CLI it downloaded earlier (only possible with internet access). */
function sdkDownloadedCli(): string | undefined {
  const dir = path.join(homedir(), '.cache', 'temporalio');
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((file) =>
    /(^|\/)temporal(-cli)?[^/]*$/.test(file) && !file.endsWith('.tar.gz') && !file.endsWith('.zip'),
  );
  return found ? path.join(dir, found) : undefined;
}

/**
 * Finds the Temporal CLI: $TEMPORAL_CLI_PATH, `temporal` on PATH, the cached build; otherwise builds it
 * from its Go module into the cache (a cold build takes several minutes). `log` receives progress.
 */
export function findOrBuildTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  return findOrGoInstall({ binary: 'temporal', envVar: 'TEMPORAL_CLI_PATH', module: TEMPORAL_CLI_MODULE, label: 'the Temporal CLI', fallback: sdkDownloadedCli }, log);
}
