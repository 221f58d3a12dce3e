// The order conversation (workflows/order-conversation.ts) on the client's side: the bare Temporal client
// that drives the baseline workflow through it, and what a run's history shows of it, so the benchmark and
// its test can hold an order's history and the baseline's against the list.
import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { baselineWorkflow } from '../workflows/baseline.js';
import { ORDER_CONVERSATION, type ConversationStep } from '../workflows/order-conversation.js';

/**
 * One baseline run: the conversation's messages sent in turn (each update awaited), then its result. With
 * `checkoutMs`, the update-with-start's time (the baseline's checkout) is pushed there.
 */
export async function driveBaseline(client: Client, taskQueue: string, workflowId: string, checkoutMs?: number[]): Promise<void> {
  let handle: WorkflowHandle<typeof baselineWorkflow> | undefined;
  for (const step of ORDER_CONVERSATION) {
    if (step.kind === 'update-with-start') {
      const start = new WithStartWorkflowOperation<typeof baselineWorkflow>('baselineWorkflow', { workflowId, taskQueue, workflowIdConflictPolicy: 'USE_EXISTING', args: [] });
      const started = performance.now();
      await client.workflow.executeUpdateWithStart(step.name, { startWorkflowOperation: start });
      checkoutMs?.push(performance.now() - started);
      handle = await start.workflowHandle();
    } else if (step.kind === 'update') await handle!.executeUpdate(step.name);
    else if (step.kind === 'signal') await handle!.signal(step.name);
  }
  await handle!.result();
}

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** What the conversation is made of: its messages in order (`update:checkout`, `signal:…`, `timer`) and its activities. */
export interface ConversationShape {
  messages: string[];
  localActivities: number;
  activities: number;
}

export function shapeOf(steps: readonly ConversationStep[]): ConversationShape {
  return {
    messages: steps.map((step) => (step.kind === 'timer' ? 'timer' : `${step.kind === 'signal' ? 'signal' : 'update'}:${step.name}`)),
    localActivities: steps.reduce((sum, step) => sum + step.localActivities, 0),
    activities: steps.reduce((sum, step) => sum + step.activities, 0),
  };
}

/** A run's conversation as its history shows it (timers that fired; a cancelled one is no message), and what it cost Temporal. */
export function historyShape(history: History): ConversationShape & { workflowTasks: number; timersStarted: number; searchAttributeUpserts: number; events: number } {
  const events = history.events ?? [];
  const messages: string[] = [];
  for (const event of events) {
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (update) messages.push(`update:${update}`);
    const signal = event.workflowExecutionSignaledEventAttributes?.signalName;
    if (signal) messages.push(`signal:${signal}`);
    if (event.timerFiredEventAttributes) messages.push('timer');
  }
  return {
    messages,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    timersStarted: events.filter((e) => e.timerStartedEventAttributes).length,
    searchAttributeUpserts: events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
    events: events.length,
  };
}
