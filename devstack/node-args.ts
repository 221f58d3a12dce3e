import path from 'node:path';

/**
 * How Paystead's processes are started. Deployed (Dockerfile, docker-compose.yml) and in the benchmark and
 * the fault run, which measure what is deployed: the JavaScript `npm run build` compiles into dist/. TypeScript
 * run through tsx costs each process about 55 MiB more (tsx's loader thread and compiler), so `source` is for
 * `npm run dev` only, where a change needs no build.
 *
 * The worker's main heap holds activities and the SDK (workflows run in their own isolate); capped, V8
 * collects garbage instead of growing the process (measured with 1,000 open orders: 343 MiB resident without
 * the cap, about 280 MiB with it).
 */
const WORKER_HEAP_FLAG = '--max-old-space-size=96';

export type Entry = 'api/main.ts' | 'worker/main.ts';

export function nodeArgs(entry: Entry, mode: 'compiled' | 'source'): string[] {
  const heap = entry === 'worker/main.ts' ? [WORKER_HEAP_FLAG] : [];
  return mode === 'compiled' ? [...heap, compiledEntry(entry)] : [...heap, '--import', 'tsx', entry];
}

export function compiledEntry(entry: Entry): string {
  return path.posix.join('dist', entry.replace(/\.ts$/, '.js'));
}
