import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { noop } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/**
 * The platform's floor: as many sequential no-op activities as an order's lifecycle runs, local ones first
 * as at checkout, and nothing else. The benchmark compares order throughput against it on the same worker.
 */
export async function baselineWorkflow(activities: { local: number; remote: number }): Promise<number> {
  for (let i = 0; i < activities.local; i += 1) await local.noop();
  for (let i = 0; i < activities.remote; i += 1) await noop();
  return activities.local + activities.remote;
}
