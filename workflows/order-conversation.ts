// One order's lifecycle as the benchmark drives it: the messages its workflow receives, in order, and the
// activities each brings. The baseline workflow (baseline.ts) receives the same messages and runs as many
// no-op activities, so the benchmark can compare an order with Temporal's own floor for the same
// conversation; test/order-conversation.test.ts checks this list against a real order's history.
import { checkoutUpdate, confirmUpdate, deliverUpdate, paymentNotificationSignal, shipUpdate } from './messages.js';

export interface ConversationStep {
  /** How the step reaches the workflow: from a client, or (`timer`) from the workflow's own timer. */
  kind: 'update-with-start' | 'update' | 'signal' | 'timer';
  name: string;
  /** Activities the step runs: local ones (inside the workflow task) and ordinary ones. */
  localActivities: number;
  activities: number;
}

export const ORDER_CONVERSATION: readonly ConversationStep[] = [
  // Payment creation and the first projection, both inside the task that accepts the checkout.
  { kind: 'update-with-start', name: checkoutUpdate.name, localActivities: 2, activities: 0 },
  // Each later step writes the projection once.
  { kind: 'signal', name: paymentNotificationSignal.name, localActivities: 0, activities: 1 },
  { kind: 'update', name: confirmUpdate.name, localActivities: 0, activities: 1 },
  { kind: 'update', name: shipUpdate.name, localActivities: 0, activities: 1 },
  { kind: 'update', name: deliverUpdate.name, localActivities: 0, activities: 1 },
  // The refund window (zero-length in the benchmark) ends: the order completes.
  { kind: 'timer', name: 'refund window', localActivities: 0, activities: 1 },
];
