import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { findOrBuildTemporalCli } from '../../devstack/temporal-cli.js';

export const HISTORIES_DIR = path.resolve(import.meta.dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a run's history (the CLI's proto JSON) under test/histories/ for the
 * replay test, which replays every saved history against today's workflow code so that a
 * non-deterministic change fails CI.
 */
export async function recordHistory(workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = await findOrBuildTemporalCli();
  const json = execFileSync(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', inject('temporalAddress'), '--output', 'json']);
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
