// A real Temporal server (not the dev server) on Postgres, started from deploy/temporal/config.yaml, the file
// docker-compose.yml mounts into the `temporalio/server` image: its databases and schemas, the server
// process, the namespace with Paystead's search attributes, and the Web UI server pointed at it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import { run, startProcess, untilReadyOrKill, waitFor, type ManagedProcess } from './child-process.js';
import { ROOT } from './paths.js';
import { freePort } from './ports.js';

const CONFIG_DIR = 'deploy/temporal';
/** The server reads `<config dir>/<env>.yaml`: `--env config` names config.yaml. */
const CONFIG_ENV = 'config';
export const TEMPORAL_CONFIG_FILE = path.join(ROOT, CONFIG_DIR, `${CONFIG_ENV}.yaml`);
export const TEMPORAL_DYNAMIC_CONFIG_FILE = path.join(ROOT, CONFIG_DIR, 'dynamic-config.yaml');

/** A database and the role that owns it; trust auth on loopback, so no password. */
export interface DatabaseAccount {
  database: string;
  user: string;
}

export const TEMPORAL_PERSISTENCE: DatabaseAccount = { database: 'temporal', user: 'temporal' };
export const TEMPORAL_VISIBILITY: DatabaseAccount = { database: 'temporal_visibility', user: 'temporal_visibility' };

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates `account`'s role and database (owned by it) when missing, connected as a superuser. */
export async function ensureDatabase(adminUrl: string, account: DatabaseAccount): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [account.user]);
    if (role.rowCount === 0) await admin.query(`CREATE ROLE ${quoteIdent(account.user)} LOGIN`);
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [account.database]);
    if (db.rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdent(account.database)} OWNER ${quoteIdent(account.user)}`);
  } finally {
    await admin.end();
  }
}

/**
 * Brings persistence and visibility to the server module's schema with Temporal's SQL tool, as their owners:
 * `setup-schema -v 0.0` (the version table) then `update-schema` through every versioned step; both are
 * no-ops on a database already there.
 */
export async function setUpTemporalSchemas(options: { sqlTool: string; schemaDir: string; port: number }): Promise<void> {
  const steps: [DatabaseAccount, string][] = [
    [TEMPORAL_PERSISTENCE, 'temporal'],
    [TEMPORAL_VISIBILITY, 'visibility'],
  ];
  for (const [account, folder] of steps) {
    const connection = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '--port', String(options.port), '--user', account.user, '--db', account.database];
    await run(options.sqlTool, [...connection, 'setup-schema', '-v', '0.0']);
    await run(options.sqlTool, [...connection, 'update-schema', '-d', path.join(options.schemaDir, folder, 'versioned')]);
  }
}

/** The server's listening ports, as config.yaml's variables; chosen once so a restart keeps them. */
export type TemporalPorts = Record<
  | 'FRONTEND_GRPC_PORT'
  | 'FRONTEND_HTTP_PORT'
  | 'FRONTEND_MEMBERSHIP_PORT'
  | 'HISTORY_GRPC_PORT'
  | 'HISTORY_MEMBERSHIP_PORT'
  | 'MATCHING_GRPC_PORT'
  | 'MATCHING_MEMBERSHIP_PORT'
  | 'WORKER_GRPC_PORT'
  | 'WORKER_MEMBERSHIP_PORT',
  string
>;

/**
 * Free ports for every service of the server, near Temporal's defaults (the frontend's gRPC on
 * `frontendPort` when free). The cluster_membership table keeps them as smallint: all must be below 32768,
 * where the OS's own picks never are.
 */
export async function chooseTemporalPorts(frontendPort = 7233): Promise<TemporalPorts> {
  const taken = new Set<number>();
  const pick = async (preferred: number) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const candidate = attempt === 0 ? preferred : 10_000 + Math.floor(Math.random() * 22_000);
      if (!taken.has(candidate) && (await freePort(candidate)) === candidate) {
        taken.add(candidate);
        return String(candidate);
      }
    }
    throw new Error('no free port below 32768 for the Temporal server');
  };
  return {
    FRONTEND_GRPC_PORT: await pick(frontendPort),
    FRONTEND_HTTP_PORT: await pick(7243),
    FRONTEND_MEMBERSHIP_PORT: await pick(6933),
    HISTORY_GRPC_PORT: await pick(7234),
    HISTORY_MEMBERSHIP_PORT: await pick(6934),
    MATCHING_GRPC_PORT: await pick(7235),
    MATCHING_MEMBERSHIP_PORT: await pick(6935),
    WORKER_GRPC_PORT: await pick(7239),
    WORKER_MEMBERSHIP_PORT: await pick(6939),
  };
}

export interface TemporalClusterServerOptions {
  serverPath: string;
  postgresPort: number;
  ports: TemporalPorts;
  onOutput?: (line: string) => void;
}

/** The variables config.yaml reads, for a server on loopback against the cluster's Postgres. */
export function clusterServerEnv(options: { postgresPort: number; ports: TemporalPorts }): NodeJS.ProcessEnv {
  return {
    ...options.ports,
    BIND_ON_IP: '127.0.0.1',
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(options.postgresPort),
    DBNAME: TEMPORAL_PERSISTENCE.database,
    POSTGRES_USER: TEMPORAL_PERSISTENCE.user,
    VISIBILITY_DBNAME: TEMPORAL_VISIBILITY.database,
    VISIBILITY_POSTGRES_USER: TEMPORAL_VISIBILITY.user,
    DYNAMIC_CONFIG_FILE_PATH: TEMPORAL_DYNAMIC_CONFIG_FILE,
    LOG_LEVEL: 'warn',
  };
}

/** Starts the server from config.yaml on loopback; resolves once its frontend answers. */
export async function startTemporalClusterServer(options: TemporalClusterServerOptions): Promise<{ address: string; process: ManagedProcess }> {
  // No authorizer: the server listens on loopback only.
  const env: NodeJS.ProcessEnv = { ...process.env, ...clusterServerEnv(options), TEMPORAL_ALLOW_NO_AUTH: 'true' };
  const proc = startProcess(options.serverPath, ['--root', ROOT, '--config', CONFIG_DIR, '--env', CONFIG_ENV, 'start'], { env, onOutput: options.onOutput });
  const address = `127.0.0.1:${options.ports.FRONTEND_GRPC_PORT}`;
  const serving = waitFor(`Temporal at ${address}`, () => withConnection(address, (connection) => connection.workflowService.getSystemInfo({})), 120_000);
  await untilReadyOrKill(proc, 'the Temporal server', serving);
  return { address, process: proc };
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

const ALREADY_EXISTS = 6;

/**
 * Registers `namespace` (a real server has none of its own) and Paystead's search attributes in it, each when
 * missing; resolves once workflows can be listed there.
 */
export async function ensureNamespace(address: string, namespace: string, retentionDays = 30): Promise<void> {
  await withConnection(address, async (connection) => {
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
    }
    // The frontend learns of a new namespace on its next cache refresh (every 2 s by default).
    await waitFor(`namespace ${namespace}`, () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }));
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing: Record<string, number> = {};
    for (const key of Object.values(ORDER_SEARCH_KEYS)) {
      const type = encodeSearchAttributeIndexedValueType(key.type) as number;
      const existing = customAttributes?.[key.name];
      if (existing === undefined) missing[key.name] = type;
      else if (existing !== type) throw new Error(`search attribute ${key.name} is registered with another type (${existing})`);
    }
    if (Object.keys(missing).length > 0) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  });
}

/** Starts Temporal's Web UI server on loopback against `address`, its config written into `dir`. */
export async function startTemporalUi(options: { uiServerPath: string; address: string; namespace: string; port: number; dir: string; onOutput?: (line: string) => void }) {
  const configDir = path.join(options.dir, 'ui-config');
  mkdirSync(configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.address,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    // Plain HTTP on loopback: the CSRF cookie must not require HTTPS.
    cors: { cookieInsecure: true, allowOrigins: [] },
  };
  // JSON is YAML.
  writeFileSync(path.join(configDir, 'cluster.yaml'), JSON.stringify(config, null, 2));
  const proc = startProcess(options.uiServerPath, ['--root', options.dir, '--config', 'ui-config', '--env', 'cluster', 'start'], { onOutput: options.onOutput });
  const url = `http://127.0.0.1:${options.port}`;
  const serving = waitFor('Temporal UI', async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`UI answered ${response.status}`);
  });
  await untilReadyOrKill(proc, 'the Temporal UI server', serving);
  return { url, process: proc };
}
