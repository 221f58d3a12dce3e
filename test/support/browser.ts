import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { CHROMIUM_PATH } from '../../devstack/chromium.js';
import { ROOT } from '../../devstack/paths.js';

export const SCREENSHOT_DIR = path.join(ROOT, 'artifacts', 'screenshots');

/** Headless Debian Chromium; the flags keep it off the (closed) network and out of the sandbox it cannot use as root. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Saves a full-page screenshot as a test artifact (ignored folder). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A page in a fresh context that records what the browser complains about: script errors, CSP violations
 * (console errors) and server errors. Refused sign-ins and forms (401, 400) and the absent favicon are
 * logged as failed loads; those are fine.
 */
export async function watchedPage(browser: Browser, options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 500) complaints.push(`${response.status()} ${response.url()}`);
  });
  return { context, page, complaints };
}

// jsqr is CommonJS with its function as `exports.default`.
const jsQR = jsQRModule.default;

/** Screenshots a QR element, saves it as `name`.png, and decodes it as a phone would; undefined when unreadable. */
export async function decodeQr(element: Locator, name: string): Promise<string | undefined> {
  const png = await element.screenshot();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), png);
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}
