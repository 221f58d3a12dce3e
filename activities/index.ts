import type { ActivityDeps } from './deps.js';
import { withFailureRule } from './failures.js';
import { createCustomerEmailActivities } from './customer-email.js';
import { createGatewayActivities } from './gateway-calls.js';
import { createMerchantWebhookActivities } from './merchant-webhooks.js';
import { createOrderActivities } from './orders.js';
import { createReconciliationActivities } from './reconciliation.js';
import { createSystemCheckActivities } from './system-check.js';

/**
 * Every activity the worker registers, closed over dependencies built once by the worker, each failing by
 * one rule (failures.ts): what cannot heal fails at once, the rest is retried.
 */
export function createActivities(deps: ActivityDeps) {
  return withFailureRule({
    ...createSystemCheckActivities(deps),
    ...createOrderActivities(deps),
    ...createGatewayActivities(deps),
    ...createCustomerEmailActivities(deps),
    ...createMerchantWebhookActivities(deps),
    ...createReconciliationActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
