import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { run, startProcess, waitFor, type ManagedProcess } from './child-process.js';
import { freePort } from './ports.js';

export interface PostgresCluster {
  port: number;
  /** A connection URL for `database` on this cluster (superuser, trust auth on loopback). */
  url(database: string): string;
  /** The server's data directory. */
  dataDir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const SUPERUSER = 'paystead';

/** The folder of the machine's Postgres server binaries (initdb, postgres), if any. */
export function findPostgresBinaries(): string | undefined {
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
  const found = findPostgresBinaries();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('Postgres server binaries (initdb, postgres) not found; install the postgresql package.');
  }
  log('Installing Debian package postgresql (initdb/postgres not found)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env });
  const installed = findPostgresBinaries();
  if (!installed) throw new Error('postgresql was installed but initdb/postgres are still missing');
  return installed;
}

interface ServerAccount {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: run it as the `postgres` system user, creating it if needed. */
function serverAccount(): ServerAccount | undefined {
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

/** Whether `dir` and every folder above it let anyone pass (o+x), so a server running as another user reaches it. */
function reachableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/**
 * A private folder (0700) for one throwaway cluster, owned by the server's user, under the system temp
 * directory, so the server reaches it whatever the permissions of the folders around the clone. A `TMPDIR`
 * the `postgres` user cannot pass falls back to `/tmp`.
 */
function privateClusterDir(account: ServerAccount | undefined): string {
  const base = !account || reachableByOthers(tmpdir()) ? tmpdir() : '/tmp';
  const dir = mkdtempSync(path.join(base, 'paystead-postgres-'));
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

/**
 * A fresh private folder for a cluster that must survive restarts of its server but not the run (the caller
 * passes it as `dir` and deletes it at the end).
 */
export function scratchClusterDir(): string {
  return privateClusterDir(serverAccount());
}

/**
 * Where `npm run dev` keeps its persistent cluster: `<devDir>/postgres` when the server runs as the current
 * user; as root (the server runs as `postgres`, which may not be able to enter the clone) a folder owned by
 * `postgres` under /var/lib/paystead, named after `devDir`.
 */
export function persistentClusterDir(devDir: string): string {
  if (process.getuid?.() !== 0) return path.join(devDir, 'postgres');
  const key = createHash('sha256').update(path.resolve(devDir)).digest('hex').slice(0, 16);
  return path.join('/var/lib/paystead', `dev-${key}`);
}

/**
 * Starts a cluster on a free loopback port (or `port` when given). Without `dir`, a throwaway one in a fresh
 * private temp folder, tuned for tests (durability off) and deleted on stop; with `dir`, a persistent one
 * kept there (initialised on first use, durable).
 */
export async function startPostgresCluster(options: {
  binDir: string;
  dir?: string;
  port?: number;
  /** The superuser initdb creates (`paystead` unless given); only a new cluster takes it. */
  superuser?: string;
  onOutput?: (line: string) => void;
}): Promise<PostgresCluster> {
  const { binDir } = options;
  const superuser = options.superuser ?? SUPERUSER;
  const account = serverAccount();
  const persistent = options.dir !== undefined;
  const dir = options.dir ?? privateClusterDir(account);
  if (persistent) {
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (account) chownSync(dir, account.uid, account.gid);
  }
  const asServer = account ? { uid: account.uid, gid: account.gid } : {};
  const dataDir = path.join(dir, 'data');
  const stop = async (proc?: ManagedProcess) => {
    // SIGINT is Postgres's "fast" shutdown: disconnect clients and exit cleanly.
    await proc?.stop('SIGINT', 10_000);
    if (!persistent) rmSync(dir, { recursive: true, force: true });
  };

  let proc: ManagedProcess | undefined;
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', superuser, '--auth=trust', '-E', 'UTF8', ...(persistent ? [] : ['--no-sync']), '--no-instructions'], {
        ...asServer,
        cwd: dir,
      });
    }
    const port = await freePort(options.port);
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      // Clients connect over TCP; a persistent cluster's folder may be too deep for a socket path.
      unix_socket_directories: persistent ? '' : dir,
      max_connections: '300',
      shared_buffers: persistent ? '128MB' : '256MB',
      ...(persistent ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    };
    const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
    const started = startProcess(path.join(binDir, 'postgres'), args, { ...asServer, cwd: dir, onOutput: options.onOutput });
    proc = started;
    const url = (database: string) => `postgres://${superuser}@127.0.0.1:${port}/${database}`;
    await Promise.race([
      waitFor('Postgres', async () => {
        const client = new pg.Client({ connectionString: url('postgres') });
        await client.connect();
        await client.end();
      }),
      started.exited.then((code) => {
        throw new Error(`postgres exited early (${String(code)})`);
      }),
    ]);
    return { port, url, dataDir, process: started, stop: () => stop(started) };
  } catch (error) {
    await stop(proc);
    throw error;
  }
}
