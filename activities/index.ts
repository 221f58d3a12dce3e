import type { Db } from '../db/database.js';
import type { Logger } from '../core/logger.js';
import type { GatewayRegistry } from '../gateways/types.js';
import { createGatewayActivities } from './gateway-calls.js';
import type { Notifier } from './notifier.js';
import { createOrderActivities } from './orders.js';
import { createSystemCheckActivities } from './system-check.js';

export interface ActivityDeps {
  db: Db;
  logger: Logger;
  gateways: GatewayRegistry;
  notifier: Notifier;
  masterKey: Buffer;
  publicBaseUrl: string;
}

/** Every activity the worker registers, closed over dependencies built once by the worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
    ...createOrderActivities(deps),
    ...createGatewayActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
