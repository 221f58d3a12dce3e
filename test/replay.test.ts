import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { workerTracing } from '../worker/tracing.js';
import { HISTORIES_DIR } from './support/histories.js';

// Recorded from real runs (RECORD_HISTORIES=1 npm test -- test/order-*.test.ts); replayed against the
// current workflow code. A change that alters a running order's commands must be guarded with patched(),
// and the histories from before it kept (`*-vN.json`), so old and new paths both replay.
const histories = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();

describe('replay of recorded order histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(5);
  });

  it.each(histories)('%s replays deterministically', async (file) => {
    const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as unknown;
    await expect(
      // The sinks a worker registers: a traced run's workflow spans leave through one (not called in replay).
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: workerTracing(undefined).sinks }, history, path.basename(file, '.json')),
    ).resolves.toBeUndefined();
  });
});
