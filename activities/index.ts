import type { Db } from '../db/database.js';
import type { Logger } from '../core/logger.js';
import { createSystemCheckActivities } from './system-check.js';

export interface ActivityDeps {
  db: Db;
  logger: Logger;
}

/** Every activity the worker registers, closed over dependencies built once by the worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
