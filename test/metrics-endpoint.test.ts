// `/metrics` on the API: Prometheus text, route patterns for labels, and the optional bearer token.
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/database.js';
import { freePort } from '../devstack/ports.js';
import { createTestApp, testConfig } from './support/app.js';

describe('the API at /metrics', async () => {
  // Neither is reached: /metrics and a 404 need no database and no Temporal.
  const url = `postgres://nobody@127.0.0.1:${await freePort()}/none`;
  const db = createDb(url, 1);
  const temporal = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }) });
  afterAll(() => db.destroy());

  it('serves Prometheus text; a path no route answers is counted as `unmatched`, never by its path', async () => {
    const app = createTestApp({ db, temporal, config: testConfig(url) });
    expect((await app.request('/no/such/ord_secret123')).status).toBe(404);
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(text).toContain('# TYPE paystead_http_request_duration_seconds histogram');
    expect(text).toMatch(/paystead_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toContain('ord_secret123');
  });

  it('answers only the bearer of METRICS_TOKEN when it is set', async () => {
    const token = 'metrics-token-0123456789';
    const app = createTestApp({ db, temporal, config: testConfig(url, 'unused', { METRICS_TOKEN: token }) });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
