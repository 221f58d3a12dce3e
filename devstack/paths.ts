import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root; caches and data live in ignored folders under it. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(ROOT, '.cache');
export const DATA_DIR = path.join(ROOT, '.data');
