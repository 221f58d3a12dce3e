import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { run } from './child-process.js';
import { CACHE_DIR } from './paths.js';

/** The newest CLI release whose module can still be built with `go install` (later ones carry replace lines). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const CACHE_BIN = path.join(CACHE_DIR, 'bin');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Where the Temporal SDK keeps a CLI it downloaded earlier (only possible with internet access). */
function sdkDownloadedCli(): string | undefined {
  const dir = path.join(homedir(), '.cache', 'temporalio');
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((file) =>
    /(^|\/)temporal(-cli)?[^/]*$/.test(file) && !file.endsWith('.tar.gz') && !file.endsWith('.zip'),
  );
  return found ? path.join(dir, found) : undefined;
}

function goBinary(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/**
 * Finds the Temporal CLI: $TEMPORAL_CLI_PATH, `temporal` on PATH, the cached build; otherwise builds it
 * from its Go module into the cache. `log` receives progress while a cold build runs.
 */
export async function findOrBuildTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const cached = path.join(CACHE_BIN, 'temporal');
  const found = onPath('temporal') ?? (existsSync(cached) ? cached : undefined);
  if (found) return found;

  const go = goBinary();
  if (!go) {
    const downloaded = sdkDownloadedCli();
    if (downloaded) return downloaded;
    throw new Error(
      'No Temporal CLI found and Go is not installed: install Go, or set TEMPORAL_CLI_PATH to a temporal binary.',
    );
  }
  mkdirSync(CACHE_BIN, { recursive: true });
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${CACHE_BIN}; a cold build takes several minutes...`);
  const started = Date.now();
  let downloads = 0;
  const ticker = setInterval(() => log(`  ...still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    await run(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: CACHE_BIN, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      onOutput: (line) => {
        if (line.startsWith('go: downloading')) downloads += 1;
        else log(`  ${line}`);
      },
    });
  } finally {
    clearInterval(ticker);
  }
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s (${downloads} modules downloaded).`);
  return cached;
}
