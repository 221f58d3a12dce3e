import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES, SEARCH_ATTRIBUTE_TYPES } from '../core/search-attributes.js';
import { startProcess, waitFor, type ManagedProcess } from './child-process.js';
import { freePort } from './ports.js';

export interface TemporalDevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  cliPath: string;
  /** SQLite file for persistence; in memory when absent. */
  dbFile?: string;
  /** Serve the Web UI (dev); tests run headless. */
  ui?: boolean;
  port?: number;
  uiPort?: number;
  namespace?: string;
  onOutput?: (line: string) => void;
}

async function untilServing(address: string, namespace: string): Promise<void> {
  await waitFor(`Temporal at ${address}`, async () => {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } finally {
      await connection.close();
    }
  });
}

/**
 * The dev server runs one history shard, and each shard's task queues are read at most 20 times a second by
 * default: every workflow and activity task then waits 25-50 ms before a worker can see it (measured: nine
 * no-op activities took 950 ms, 250 ms with the limits raised). Eager activity execution hands an activity
 * to the worker that scheduled it in the same round trip.
 */
const DEV_SERVER_DYNAMIC_CONFIG = [
  'history.transferProcessorMaxPollRPS=10000',
  'history.timerProcessorMaxPollRPS=10000',
  'system.enableActivityEagerExecution=true',
  // Search attributes become queryable without waiting for the visibility cache to refresh.
  'system.forceSearchAttributesCacheRefreshOnRead=true',
] as const;

/** Starts `temporal server start-dev` on free ports with Paystead's search attributes registered. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const namespace = options.namespace ?? 'default';
  const port = await freePort(options.port);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'warn', '--log-format', 'text', '--color', 'never');
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = await freePort(options.uiPort);
    args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
    uiUrl = `http://127.0.0.1:${uiPort}`;
  } else {
    args.push('--headless');
  }
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=${SEARCH_ATTRIBUTE_TYPES[name]}`);
  for (const value of DEV_SERVER_DYNAMIC_CONFIG) args.push('--dynamic-config-value', value);

  const proc = startProcess(options.cliPath, args, { onOutput: options.onOutput });
  const address = `127.0.0.1:${port}`;
  await Promise.race([
    untilServing(address, namespace),
    proc.exited.then((code) => {
      throw new Error(`temporal server start-dev exited early (${String(code)})`);
    }),
  ]);
  return { address, namespace, uiUrl, process: proc, stop: () => proc.stop('SIGTERM', 15_000) };
}
