import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

// Run compiled (`dist/**/*.js`) or from source through tsx (`*.ts`): sibling files share this file's extension.
const EXT = path.extname(fileURLToPath(import.meta.url));
export const WORKFLOWS_PATH = fileURLToPath(new URL(`../workflows/index${EXT}`, import.meta.url));

/** Bundles the workflow code once; the worker and every test worker reuse the result. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

/**
 * Bundles in a child process and returns the file to load: bundling in the worker itself left about
 * 100 MiB of bundler memory in a long-running process.
 */
export async function bundleWorkflowsToFile(): Promise<{ codePath: string }> {
  const codePath = path.join(mkdtempSync(path.join(tmpdir(), 'paystead-worker-')), 'workflow-bundle.js');
  const cli = fileURLToPath(new URL(`./bundle-cli${EXT}`, import.meta.url));
  await promisify(execFile)(process.execPath, [...(EXT === '.ts' ? ['--import', 'tsx'] : []), cli, codePath]);
  return { codePath };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
