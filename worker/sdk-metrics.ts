// The Temporal SDK's own metrics: workflow and activity task latencies, polls, task slots, the sticky cache,
// requests to the server. Its Prometheus exporter listens on a loopback port of its own; the worker's
// `/metrics` serves them after Paystead's, so each worker is one scrape target.
import { createServer } from 'node:net';
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../core/logger.js';
import { sdkLogger } from './sdk-logger.js';

const SCRAPE_TIMEOUT_MS = 2000;

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Installs the SDK's runtime (before any connection) with its Prometheus exporter on loopback, its log lines
 * written by `logger` (sdk-logger.ts), and with no
 * signal handlers of its own: the worker's entry point decides what a signal does. Returns the scrape of
 * the SDK's metrics: empty while the runtime is not up (no connection to Temporal yet).
 */
export async function installRuntimeWithMetrics(logger: Logger): Promise<() => Promise<string>> {
  const address = `127.0.0.1:${await freeLoopbackPort()}`;
  Runtime.install({
    shutdownSignals: [],
    logger: sdkLogger(logger),
    telemetryOptions: {
      // Prometheus's conventions: seconds, `_seconds` and `_total` suffixes.
      metrics: { prometheus: { bindAddress: address, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
    },
  });
  return async () => {
    try {
      const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
      return response.ok ? await response.text() : '';
    } catch {
      return '';
    }
  };
}
