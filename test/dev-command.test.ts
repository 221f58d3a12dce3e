import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR, ROOT } from '../devstack/paths.js';
import { persistentClusterDir } from '../devstack/postgres-cluster.js';

/** Every descendant of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return String(pid);
  }
};

describe('npm run dev', () => {
  const devDir = path.join(DATA_DIR, `dev-test-${process.pid}`);
  afterAll(() => {
    rmSync(devDir, { recursive: true, force: true });
    rmSync(persistentClusterDir(devDir), { recursive: true, force: true });
  });

  // The machine has Postgres server binaries (the tests install them): by default dev runs a real cluster;
  // PAYSTEAD_DEV_DATABASE=pglite takes the embedded fallback, as on a machine without them.
  it.each([
    { kind: 'postgres', label: 'Postgres', dataDir: () => path.join(persistentClusterDir(devDir), 'data') },
    { kind: 'pglite', label: 'PGlite', dataDir: () => path.join(devDir, 'pglite') },
  ])('on $kind: serves /readyz, the Temporal UI and the mail inbox, and Ctrl-C leaves no process behind', async ({ kind, label, dataDir }) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PAYSTEAD_DEV_DIR: devDir, PAYSTEAD_DEV_DATABASE: kind };
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'PLATFORM_API_KEY', 'MASTER_KEY', 'SMTP_URL']) delete env[name];
    rmSync(devDir, { recursive: true, force: true });
    const dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));

    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline && dev.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(output).toContain('Ctrl-C stops everything');
      const api = /API\s+(http:\/\/\S+)/.exec(output)?.[1];
      const ui = /Temporal UI\s+(http:\/\/\S+)/.exec(output)?.[1];
      // The demo merchant is verified: its test keys and its live keys, both printed.
      expect(output).toMatch(/Test mode.*\n.*Demo secret key \(storefront server\): sk_test_\S+\n.*Demo admin key {2}\(merchant staff\): {4}ak_test_/);
      expect(output).toMatch(/Live mode.*\n.*Demo secret key \(storefront server\): sk_live_\S+\n.*Demo admin key {2}\(merchant staff\): {4}ak_live_/);
      const inbox = /Mail inbox\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(output).toMatch(/generated PLATFORM_API_KEY=pk_/);
      expect(output).toContain(`database: ${label}, data in ${dataDir()}`);

      const ready = await fetch(`${api}/readyz`);
      expect(ready.status).toBe(200);
      expect((await fetch(ui!)).status).toBe(200);
      expect((await fetch(`${inbox}/api/v1/messages`)).status).toBe(200);

      const family = descendants(dev.pid!);
      expect(family.length).toBeGreaterThanOrEqual(3); // temporal, api, worker (and their helpers)
      dev.kill('SIGINT');
      expect(await exited).toBe(0);
      // Helpers (tsx's esbuild service) may take a moment after their parent to notice and exit.
      const gone = Date.now() + 5_000;
      while (family.some(alive) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(family.filter(alive).map(commandLine)).toEqual([]);
      await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    } finally {
      if (dev.exitCode === null) dev.kill('SIGKILL');
    }
  }, 150_000);
});
