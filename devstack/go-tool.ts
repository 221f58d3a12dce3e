// Command-line tools we build from their Go modules when no binary is at hand (no download scripts here):
// $ENV_VAR, then PATH, then the cached build of the pinned version in .cache/bin, else `go install` into
// that cache. The cache is per version, so moving a pin builds the new one.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run } from './child-process.js';
import { CACHE_DIR } from './paths.js';

const CACHE_BIN = path.join(CACHE_DIR, 'bin');

interface GoTool {
  /** The file `go install` writes. */
  binary: string;
  /** The tool's name on PATH and its folder in the cache, when `binary` is too generic (`server`). */
  name?: string;
  /** Environment variable naming a binary to use instead. */
  envVar: string;
  /** `module/path/cmd@version`, pinned. */
  module: string;
  label: string;
  /** Somewhere else to look when Go is not installed. */
  fallback?: () => string | undefined;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The Go toolchain, if installed. */
export function goBinary(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

export async function findOrGoInstall(tool: GoTool, log: (line: string) => void): Promise<string> {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${tool.envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const name = tool.name ?? tool.binary;
  const version = tool.module.slice(tool.module.lastIndexOf('@') + 1);
  const binDir = path.join(CACHE_BIN, `${name}@${version}`);
  const cached = path.join(binDir, tool.binary);
  const found = onPath(name) ?? (existsSync(cached) ? cached : undefined);
  if (found) return found;

  const go = goBinary();
  if (!go) {
    const elsewhere = tool.fallback?.();
    if (elsewhere) return elsewhere;
    throw new Error(`No ${tool.label} found and Go is not installed: install Go, or set ${tool.envVar} to a ${name} binary.`);
  }
  mkdirSync(binDir, { recursive: true });
  log(`Building ${tool.label} (${tool.module}) into ${binDir}...`);
  const started = Date.now();
  let downloads = 0;
  const ticker = setInterval(() => log(`  ...still building ${tool.label} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    await run(go, ['install', tool.module], {
      env: { ...process.env, GOBIN: binDir, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      onOutput: (line) => {
        if (line.startsWith('go: downloading')) downloads += 1;
        else log(`  ${line}`);
      },
    });
  } finally {
    clearInterval(ticker);
  }
  log(`${tool.label} built in ${Math.round((Date.now() - started) / 1000)} s (${downloads} modules downloaded).`);
  return cached;
}
