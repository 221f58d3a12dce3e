// `npm run fuzz`: schemathesis against the API's own document. Starts a local stack (Postgres, the Temporal
// dev server, the API and the worker), onboards a merchant through the platform API, then runs `st run` on
// /openapi.json once with the merchant's secret key and once with its admin key: every check, a fixed seed,
// a bounded number of examples per operation. Any server error, response that does not match the document or
// undocumented status fails the run. Schemathesis is installed from PyPI into a virtual environment under
// .cache on first use. Extra arguments go to `st run` (e.g. `npm run fuzz -- --max-examples 100`).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { apiRequest } from '../devstack/api-request.js';
import { startLocalStack, type LocalStack } from '../devstack/local-stack.js';
import { CACHE_DIR, DATA_DIR, ROOT } from '../devstack/paths.js';

const SCHEMATHESIS = '4.32.5';
const SEED = '11';
const MAX_EXAMPLES = '20';
/** Per run (one per key): the whole step stays within a few minutes on a small CI machine. */
const MAX_SECONDS = '100';
const extraArgs = process.argv.slice(2);
const print = (line: string) => console.log(`[fuzz] ${line}`);

/** The virtual environment's `st`, created and filled on first use. */
function schemathesis(): string {
  const venv = path.join(CACHE_DIR, `venv-schemathesis-${SCHEMATHESIS}`);
  const st = path.join(venv, 'bin', 'st');
  if (existsSync(st)) return st;
  print(`installing schemathesis ${SCHEMATHESIS} into ${path.relative(ROOT, venv)}`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  execFileSync(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS}`], { stdio: 'inherit' });
  return st;
}

function runSchemathesis(st: string, baseUrl: string, key: string, label: string): Promise<number> {
  const args = [
    '--config-file', path.join(ROOT, 'scripts', 'schemathesis.toml'),
    'run', `${baseUrl}/openapi.json`,
    '--url', baseUrl,
    '--header', `Authorization: Bearer ${key}`,
    '--checks', 'all',
    '--seed', SEED,
    '--max-examples', MAX_EXAMPLES,
    '--max-time', MAX_SECONDS,
    '--request-timeout', '15',
    '--generation-database', 'none',
    '--no-color',
    ...extraArgs,
  ];
  print(`${label}: st ${args.join(' ').replace(key, `${key.slice(0, 8)}…`)}`);
  // Its own files (the run's state, reports) go under artifacts/, not into the checkout.
  const cwd = path.join(ROOT, 'artifacts', 'fuzz');
  mkdirSync(cwd, { recursive: true });
  const child = spawn(st, args, { stdio: 'inherit', cwd });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

let stack: LocalStack | undefined;
async function cleanUp(): Promise<void> {
  if (!stack) return;
  await stack.stop().catch(() => undefined);
  rmSync(path.join(DATA_DIR, `fuzz-${process.pid}`), { recursive: true, force: true });
  stack = undefined;
}
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

let exitCode = 1;
try {
  const st = schemathesis();
  print('starting Postgres, Temporal, API and worker...');
  // The fuzzer sends wrong keys on purpose: limits high enough that they never turn into 429s.
  stack = await startLocalStack({
    name: 'fuzz',
    env: { THROTTLE_AUTH_FAILURES: '100000/60', THROTTLE_ADMIN_SIGN_INS: '100000/60', THROTTLE_REFUND_POSTS: '100000/60', THROTTLE_STREAMS_PER_LINK: '1000' },
    log: (line) => (/ERROR|FATAL/.test(line) ? console.log(line) : undefined),
  });
  const platformKey = stack.env.PLATFORM_API_KEY!;
  const onboarded = await apiRequest(stack.baseUrl, 'POST', '/v1/platform/merchants', {
    key: platformKey,
    body: { name: 'Fuzz Store', contactEmail: 'fuzz@paystead.test', businessLicenceNo: 'BL-FUZZ-1', taxRegistrationNo: 'TX-FUZZ-1' },
  });
  if (onboarded.status !== 201) throw new Error(`onboarding answered ${onboarded.status}: ${onboarded.text}`);
  const { merchant, secretKey, adminKey } = onboarded.body as { merchant: { id: string }; secretKey: string; adminKey: string };
  const verified = await apiRequest(stack.baseUrl, 'POST', `/v1/platform/merchants/${merchant.id}/verify`, { key: platformKey });
  if (verified.status !== 200) throw new Error(`verifying answered ${verified.status}: ${verified.text}`);
  print(`API at ${stack.baseUrl}; merchant ${merchant.id}`);

  const results = [];
  for (const [label, key] of [['secret key', secretKey], ['admin key', adminKey]] as const) {
    results.push(await runSchemathesis(st, stack.baseUrl, key, label));
  }
  exitCode = results.every((code) => code === 0) ? 0 : 1;
  print(exitCode === 0 ? 'no findings' : `findings (exit codes ${results.join(', ')})`);
} catch (error) {
  print(`the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
await cleanUp();
process.exit(exitCode);
