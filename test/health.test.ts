import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/database.js';
import { freePort } from '../devstack/ports.js';
import { createTestApp, testConfig } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { connectTestTemporal, type TestTemporal } from './support/temporal.js';

describe('health and readiness', () => {
  let database: TestDatabase;
  let temporal: TestTemporal;

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
    await database?.drop();
  });

  it('is alive and ready when the database and Temporal answer', async () => {
    const app = createTestApp({ db: database.db, temporal: temporal.client, config: testConfig(database.url) });
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('reports 503 naming Temporal when Temporal is unreachable', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    const app = createTestApp({
      db: database.db,
      temporal: new Client({ connection }),
      config: testConfig(database.url),
    });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { database: string; temporal: string } };
    expect(body.checks.database).toBe('ok');
    expect(body.checks.temporal).toMatch(/^error: /);
  });

  it('reports 503 naming the database when Postgres is unreachable', async () => {
    const deadUrl = `postgres://nobody@127.0.0.1:${await freePort()}/none`;
    const deadDb = createDb(deadUrl, 1);
    const app = createTestApp({ db: deadDb, temporal: temporal.client, config: testConfig(deadUrl) });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { database: string; temporal: string } };
    expect(body.checks.database).toMatch(/^error: /);
    expect(body.checks.temporal).toBe('ok');
    await deadDb.destroy();
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const app = createTestApp({ db: database.db, temporal: temporal.client, config: testConfig(database.url) });
    const response = await app.request('/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /nope.' } });
  });

  it('publishes the OpenAPI document and a docs page', async () => {
    const app = createTestApp({ db: database.db, temporal: temporal.client, config: testConfig(database.url) });
    const spec = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const docs = await app.request('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/readyz');
  });
});
