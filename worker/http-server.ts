// The worker's own HTTP listener, for the orchestrator and Prometheus: `/healthz` (the process is alive),
// `/readyz` (polling Temporal, database reachable; else 503 saying why) and `/metrics`.
import { createServer, type Server } from 'node:http';
import { scrapeAllowed } from '../core/metrics.js';

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: Record<string, string>;
}

export interface WorkerHttpOptions {
  port: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
  readiness(): Promise<Readiness>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export function startWorkerHttpServer(options: WorkerHttpOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const answer = async () => {
      const path = new URL(request.url ?? '/', 'http://worker').pathname;
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: { code: 'method_not_allowed', message: 'Only GET.' } });
      if (path === '/healthz') return json(200, { status: 'ok' });
      if (path === '/readyz') {
        const readiness = await options.readiness();
        return json(readiness.status === 'ready' ? 200 : 503, readiness);
      }
      if (path === '/metrics') {
        if (!scrapeAllowed(request.headers.authorization, options.metricsToken)) return json(401, { error: { code: 'unauthorized', message: 'This endpoint needs the metrics token.' } });
        const { contentType, body } = await options.metrics();
        response.writeHead(200, { 'content-type': contentType });
        return void response.end(body);
      }
      json(404, { error: { code: 'not_found', message: `No route for ${request.method} ${path}.` } });
    };
    answer().catch((error: unknown) => json(500, { error: { code: 'internal_error', message: String(error) } }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
