import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { noop } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/**
 * The platform's floor: as many sequential no-op activities as an order's lifecycle runs, and nothing else.
 * The benchmark compares order throughput against it on the same worker.
 */
export async function baselineWorkflow(activityCount: number): Promise<number> {
  for (let i = 0; i < activityCount; i += 1) await noop();
  return activityCount;
}
