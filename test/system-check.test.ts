import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCheckWorkflow } from '../workflows/index.js';
import { testActivityDeps, testConfig } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { connectTestTemporal, type TestTemporal } from './support/temporal.js';

describe('system check workflow (real Temporal, real Postgres)', () => {
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

  it('runs a workflow whose activity writes a row to Postgres', async () => {
    const { worker, running } = await temporal.startWorker(testActivityDeps(database.db, testConfig(database.url), temporal.client));
    try {
      const workflowId = `system-check-${temporal.taskQueue}`;
      const result = await temporal.client.workflow.execute(systemCheckWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId,
        args: ['smoke-test'],
      });
      expect(result.checkId).toBe(workflowId);
      const row = await database.db
        .selectFrom('systemChecks')
        .selectAll()
        .where('id', '=', workflowId)
        .executeTakeFirstOrThrow();
      expect(row.requestedBy).toBe('smoke-test');
      expect(row.checkedAt.toISOString()).toBe(result.checkedAt);
    } finally {
      worker.shutdown();
      await running;
    }
  });
});
