import { allHandlersFinished, condition, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { ORDER_CONVERSATION } from './order-conversation.js';

const { noop } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/**
 * Temporal's floor for an order: receives the same messages as an order's lifecycle (ORDER_CONVERSATION),
 * each in turn, and runs as many no-op activities for each, local ones as local activities; an update is
 * answered once its step's activities are done, as an order's is. Nothing else. The benchmark compares
 * order throughput against it on the same worker.
 */
export async function baselineWorkflow(): Promise<number> {
  const arrived = new Set<number>();
  let done = 0;
  ORDER_CONVERSATION.forEach((step, index) => {
    if (step.kind === 'signal') setHandler(defineSignal(step.name), () => void arrived.add(index));
    if (step.kind === 'update' || step.kind === 'update-with-start') {
      setHandler(defineUpdate<void>(step.name), async () => {
        arrived.add(index);
        await condition(() => done > index);
      });
    }
  });
  for (const [index, step] of ORDER_CONVERSATION.entries()) {
    // A zero-length timer, as the order's zero-length refund window.
    if (step.kind === 'timer') await sleep(0);
    else await condition(() => arrived.has(index));
    for (let i = 0; i < step.localActivities; i += 1) await local.noop();
    for (let i = 0; i < step.activities; i += 1) await noop();
    done = index + 1;
  }
  await condition(allHandlersFinished);
  return done;
}
