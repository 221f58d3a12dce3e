import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

// Run compiled (`dist/**/*.js`) or from source through tsx (`*.ts`): sibling files share this file's extension.
const EXT = path.extname(fileURLToPath(import.meta.url));
const WORKFLOWS_PATH = fileURLToPath(new URL(`../workflows/index${EXT}`, import.meta.url));
/** Bundled with the workflows (a prebuilt bundle ignores the worker's own `workflowModules`). */
const INTERCEPTORS_PATH = fileURLToPath(new URL(`../workflows/interceptors${EXT}`, import.meta.url));
/** Written by `npm run build` beside the compiled code (`dist/workflow-bundle.js`). */
const PREBUILT_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

/** Bundles the workflow code (webpack): at build time, for the test run, or for a worker run from source. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: [INTERCEPTORS_PATH], logger: quietBundlerLogger });
}

/**
 * The worker's workflow code. Compiled, the bundle `npm run build` made; run from source, bundled now in a
 * child process (bundling in the worker itself left about 100 MiB of bundler memory in a long-running process).
 */
export async function workflowBundleForWorker(): Promise<{ codePath: string } | { code: string }> {
  if (EXT === '.js' && existsSync(PREBUILT_BUNDLE)) return { codePath: PREBUILT_BUNDLE };
  const dir = mkdtempSync(path.join(tmpdir(), 'paystead-worker-'));
  try {
    const codePath = path.join(dir, 'workflow-bundle.js');
    const cli = fileURLToPath(new URL(`./bundle-cli${EXT}`, import.meta.url));
    await promisify(execFile)(process.execPath, [...(EXT === '.ts' ? ['--import', 'tsx'] : []), cli, codePath]);
    return { code: readFileSync(codePath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
