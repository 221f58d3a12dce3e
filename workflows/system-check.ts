import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { recordSystemCheck } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

/** Proves the path operator -> Temporal -> worker -> activity -> Postgres works, end to end. */
export async function systemCheckWorkflow(requestedBy: string): Promise<{ checkId: string; checkedAt: string }> {
  const checkId = workflowInfo().workflowId;
  const { checkedAt } = await recordSystemCheck({ checkId, requestedBy });
  return { checkId, checkedAt };
}
