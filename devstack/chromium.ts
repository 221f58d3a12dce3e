import { existsSync } from 'node:fs';
import { run } from './child-process.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A small Chinese font, so screenshots of the zh-CN pages show characters rather than empty boxes. */
const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/** Browser tests drive Debian's Chromium (never a downloaded build); installed here when missing, with a Chinese font. */
export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  if (existsSync(CHROMIUM_PATH) && existsSync(CJK_FONT_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
    throw new Error(`${CHROMIUM_PATH} not found; install Debian's chromium package.`);
  }
  log('Installing Debian packages chromium and fonts-wqy-microhei (for browser tests)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-wqy-microhei'], { env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error('chromium was installed but /usr/bin/chromium is missing');
  return CHROMIUM_PATH;
}
