import { run } from './child-process.js';
import { ROOT } from './paths.js';

/** `npm run build`: the compiled code and its workflow bundle in dist/, so that what runs is what was just built. */
export async function buildDist(log: (line: string) => void): Promise<void> {
  log('compiling into dist/ (npm run build)...');
  await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
}
