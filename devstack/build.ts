import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths.js';

/** `npm run build`: compiles the API and the worker into dist/, so that what runs is what was just built. */
export async function buildDist(log: (line: string) => void = () => undefined): Promise<void> {
  log('compiling into dist/ (npm run build)...');
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}
