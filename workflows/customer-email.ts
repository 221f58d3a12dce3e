// One customer e-mail's delivery, started by the order's projection activity (activities/customer-email.ts
// says why apart from the order workflow). Retries with backoff for three days; a message still unsent then
// stays in the outbox, counted on the admin page.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { sendCustomerEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['MailRejected'] },
});

export async function customerEmailWorkflow({ notificationId }: { notificationId: string }): Promise<string> {
  return sendCustomerEmail({ notificationId });
}
