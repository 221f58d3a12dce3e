import { existsSync } from 'node:fs';
import { run } from './child-process.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests drive Debian's Chromium (never a downloaded build); installed here when missing. */
export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM_PATH} not found; install Debian's chromium package.`);
  log('Installing Debian package chromium (for browser tests)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error('chromium was installed but /usr/bin/chromium is missing');
  return CHROMIUM_PATH;
}
