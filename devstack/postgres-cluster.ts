import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { run, startProcess, waitFor, type ManagedProcess } from './child-process.js';
import { freePort } from './ports.js';

export interface PostgresCluster {
  port: number;
  /** A connection URL for `database` on this cluster (superuser, trust auth on loopback). */
  url(database: string): string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const USER = 'paystead';

function findBinDir(): string | undefined {
  const roots = ['/usr/lib/postgresql'];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = path.join(root, version, 'bin');
      if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'postgres'))) return bin;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) return dir;
  }
  return undefined;
}

/** Finds the machine's Postgres server binaries, installing Debian's `postgresql` package when missing. */
export async function ensurePostgresBinaries(log: (line: string) => void = console.log): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('Postgres server binaries (initdb, postgres) not found; install the postgresql package.');
  }
  log('Installing Debian package postgresql (initdb/postgres not found)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env });
  const installed = findBinDir();
  if (!installed) throw new Error('postgresql was installed but initdb/postgres are still missing');
  return installed;
}

/** Postgres refuses to run as root: run it as the `postgres` system user, creating it if needed. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      return {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      };
    } catch {
      return undefined;
    }
  };
  const account = lookup();
  if (account) return account;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  return lookup();
}

/**
 * Starts a throwaway cluster in `dir` (created afresh) on a free loopback port. Tuned for tests:
 * durability settings off, since the cluster is deleted afterwards.
 */
export async function startPostgresCluster(options: {
  dir: string;
  binDir: string;
  onOutput?: (line: string) => void;
}): Promise<PostgresCluster> {
  const { dir, binDir } = options;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const account = serverAccount();
  if (account) chownSync(dir, account.uid, account.gid);
  const asServer = account ? { uid: account.uid, gid: account.gid } : {};
  const dataDir = path.join(dir, 'data');

  await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    ...asServer,
    cwd: dir,
  });
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '300',
    shared_buffers: '256MB',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
  const proc = startProcess(path.join(binDir, 'postgres'), args, { ...asServer, cwd: dir, onOutput: options.onOutput });
  const url = (database: string) => `postgres://${USER}@127.0.0.1:${port}/${database}`;
  await Promise.race([
    waitFor('Postgres', async () => {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      await client.end();
    }),
    proc.exited.then((code) => {
      throw new Error(`postgres exited early (${String(code)})`);
    }),
  ]);
  return {
    port,
    url,
    process: proc,
    async stop() {
      // SIGINT is Postgres's "fast" shutdown: disconnect clients and exit cleanly.
      await proc.stop('SIGINT', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
