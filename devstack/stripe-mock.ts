// stripe-mock, Stripe's own mock API server: it checks every request against Stripe's OpenAPI spec (an
// unknown or malformed parameter is a 400) and answers with fixtures. The Stripe contract test points the
// adapter at it. Built from its Go module like the Temporal CLI (see temporal-cli.ts), pinned so the spec
// it checks against changes only when we move the pin.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run, startProcess, type ManagedProcess } from './child-process.js';
import { CACHE_DIR } from './paths.js';

export const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock@v0.203.0';
const CACHE_BIN = path.join(CACHE_DIR, 'bin');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Finds stripe-mock ($STRIPE_MOCK_PATH, PATH, the cached build), else builds it into the cache (~45 s cold). */
export async function findOrBuildStripeMock(log: (line: string) => void = console.log): Promise<string> {
  const fromEnv = process.env.STRIPE_MOCK_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`STRIPE_MOCK_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const cached = path.join(CACHE_BIN, 'stripe-mock');
  const found = onPath('stripe-mock') ?? (existsSync(cached) ? cached : undefined);
  if (found) return found;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw new Error('No stripe-mock found and Go is not installed: install Go, or set STRIPE_MOCK_PATH to a stripe-mock binary.');
  mkdirSync(CACHE_BIN, { recursive: true });
  log(`Building stripe-mock (${STRIPE_MOCK_MODULE}) into ${CACHE_BIN}...`);
  const started = Date.now();
  await run(go, ['install', STRIPE_MOCK_MODULE], { env: { ...process.env, GOBIN: CACHE_BIN, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' } });
  log(`stripe-mock built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cached;
}

export interface StripeMock {
  url: string;
  stop(): Promise<void>;
}

/** Starts stripe-mock on loopback ports it picks itself, and reads the HTTP one from its log. */
export async function startStripeMock(binary: string): Promise<StripeMock> {
  const lines: string[] = [];
  let proc: ManagedProcess | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc?.stop();
      reject(new Error(`stripe-mock did not start within 30 s:\n${lines.join('\n')}`));
    }, 30_000);
    // Naming only the HTTP address would leave HTTPS on its default port 12112: both go on free ones.
    proc = startProcess(binary, ['-http-addr', '127.0.0.1:', '-https-addr', '127.0.0.1:'], {
      onOutput: (line) => {
        lines.push(line);
        const match = /Listening for HTTP at address: (\S+)/.exec(line);
        if (!match) return;
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      },
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited (${String(code)}):\n${lines.join('\n')}`));
    });
  });
  return { url, stop: () => proc!.stop() };
}
