import type { ActivityDeps } from './deps.js';
import { createGatewayActivities } from './gateway-calls.js';
import { createOrderActivities } from './orders.js';
import { createSystemCheckActivities } from './system-check.js';

/** Every activity the worker registers, closed over dependencies built once by the worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
    ...createOrderActivities(deps),
    ...createGatewayActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
