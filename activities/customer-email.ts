// Customer e-mail, sent apart from the order. The order workflow's projection activity records each
// notification in the outbox (as before) and, when SMTP is configured, starts a small workflow per
// notification (`customerEmailWorkflow`, id `customer-email-<notification id>`) with the worker's own
// Temporal client. That workflow retries `sendCustomerEmail` with backoff for days, so a mail server that
// is down never fails or delays the order, and the order workflow's commands stay exactly what they were
// (no child workflow, no new activity in running orders' histories).
//
// Sent once: one workflow per notification id at a time, the outbox row read unsent before each attempt,
// and `sentAt` written only after the server accepted the message. The one duplicate window is a crash
// between the server's acceptance and that write; the repeat then carries the same Message-ID. A failed
// attempt writes its reason on the row (`lastError`), which the order's timeline shows (db/email-timeline.ts).
//
// Each message is written in the order's language (set at checkout), else the merchant's default language,
// else English; money and times through Intl in the merchant's time zone.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { metrics } from '../core/metrics.js';
import type { Db } from '../db/database.js';
import { isLocale, isTimeZone } from '../core/i18n/locales.js';
import { wordsFor } from '../core/i18n/messages.js';
import { markNotificationSent, recordNotificationFailure, unsentNotification, unsentNotificationIds } from '../db/outbox.js';
import type { customerEmailWorkflow } from '../workflows/customer-email.js';
import type { ActivityDeps } from './deps.js';
import { composeEmail } from './emails/compose.js';
import { MailRejected } from './notifier.js';

export const customerEmailWorkflowId = (notificationId: string) => `customer-email-${notificationId}`;

/** Starts the notification's delivery unless it is already under way or over; from within an activity. */
export function startCustomerEmail(notificationId: string): Promise<void> {
  const { client, info } = Context.current();
  return startDelivery(client, info.taskQueue, notificationId);
}

/**
 * At worker start with e-mail configured: starts the delivery of the rows of the last three days still
 * unsent (written while SMTP_URL was not set). Rows whose delivery ran and gave up stay as they are.
 */
export async function resumeCustomerEmail(db: Db, client: Client, taskQueue: string): Promise<number> {
  const ids = await unsentNotificationIds(db, new Date(Date.now() - 3 * 86_400_000), 10_000);
  for (const id of ids) await startDelivery(client, taskQueue, id);
  return ids.length;
}

async function startDelivery(client: Client, taskQueue: string, notificationId: string): Promise<void> {
  try {
    await client.workflow.start<typeof customerEmailWorkflow>('customerEmailWorkflow', {
      workflowId: customerEmailWorkflowId(notificationId),
      taskQueue,
      args: [{ notificationId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    // Delivered, or given up on after days of trying (the row then stays unsent, counted on the admin page).
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export function createCustomerEmailActivities({ db, notifier, publicBaseUrl }: ActivityDeps) {
  return {
    /** Sends the notification's e-mail unless it was sent already; marks it sent once the server accepted it. */
    async sendCustomerEmail({ notificationId }: { notificationId: string }): Promise<'sent' | 'already_sent'> {
      const row = await unsentNotification(db, notificationId);
      if (!row) return 'already_sent';
      try {
        // Retried: SMTP may be configured again by the time the next attempt runs.
        if (!notifier) throw new Error('E-mail is not configured (SMTP_URL).');
        const { status, currency, subtotal, shippingFee, tax, taxIncluded, total, paymentMethod } = row;
        const locale = [row.locale, row.merchantLocale].find(isLocale) ?? 'en';
        // The link opens the order page in the message's language, whatever the shopper's browser says.
        const orderUrl = `${publicBaseUrl}/o/${row.viewToken}?lang=${locale}`;
        const facts = { orderNo: row.orderNo, payload: row.payload, order: { status, currency, subtotal, shippingFee, tax, taxIncluded, total, paymentMethod }, orderUrl, now: new Date() };
        const words = wordsFor(locale, isTimeZone(row.timeZone) ? row.timeZone : 'UTC');
        const email = composeEmail(row.kind, facts, { merchantName: row.merchantName, contactEmail: row.contactEmail }, words);
        await notifier.send({ notificationId, to: row.recipient, senderName: row.emailSenderName ?? row.merchantName, replyTo: row.emailReplyTo ?? row.contactEmail, ...email });
      } catch (error) {
        metrics.delivery('email', 'failed');
        await recordNotificationFailure(db, notificationId, error instanceof Error ? error.message : String(error));
        if (error instanceof MailRejected) throw ApplicationFailure.create({ type: 'MailRejected', message: error.message, nonRetryable: true });
        throw error;
      }
      metrics.delivery('email', 'delivered');
      await markNotificationSent(db, notificationId);
      return 'sent';
    },
  };
}
