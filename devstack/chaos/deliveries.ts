// What must hold for the messages that leave Paystead, after the mail server and the merchant's webhook
// receiver were down for a while: every customer e-mail sent and in the mailbox, every merchant event
// delivered with a valid signature, and no delivery counted as succeeded twice in its log.
import { messageIdFor } from '../../activities/notifier.js';
import type { Db } from '../../db/database.js';
import type { WebhookReceiver } from './webhook-receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Finding {
  name: 'e-mails sent' | 'webhooks delivered';
  subject: string;
  problem?: string;
}

async function pending(db: Db, merchantId: string): Promise<{ mails: number; deliveries: number }> {
  const [mails, deliveries] = await Promise.all([
    db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('merchantId', '=', merchantId).where('sentAt', 'is', null).executeTakeFirstOrThrow(),
    db.selectFrom('webhookDeliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('merchantId', '=', merchantId).where('status', '=', 'pending').executeTakeFirstOrThrow(),
  ]);
  return { mails: Number(mails.n), deliveries: Number(deliveries.n) };
}

/** Waits until no e-mail is unsent and no webhook delivery pending (retries back off, so this may take a while). */
export async function waitUntilDelivered(db: Db, merchantId: string, timeoutMs: number, say: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const { mails, deliveries } = await pending(db, merchantId);
    if (mails === 0 && deliveries === 0) return true;
    if (Date.now() > deadline) return false;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      say(`waiting for ${mails} e-mail(s) and ${deliveries} webhook delivery(ies)`);
    }
    await sleep(1000);
  }
}

export async function deliveryFindings(db: Db, merchantId: string, receiver: WebhookReceiver, mail: { webUrl: string; from: string }): Promise<Finding[]> {
  const findings: Finding[] = [];
  const response = await fetch(`${mail.webUrl}/api/v1/messages?limit=10000`);
  if (!response.ok) throw new Error(`Mailpit answered ${response.status}`);
  const inMailbox = new Set(((await response.json()) as { messages: Array<{ MessageID: string }> }).messages.map((m) => m.MessageID));
  const outbox = await db.selectFrom('outbox').select(['id', 'kind', 'sentAt']).where('merchantId', '=', merchantId).execute();
  for (const row of outbox) {
    const messageId = messageIdFor(row.id, mail.from).slice(1, -1);
    const problem = row.sentAt === null ? 'never sent' : inMailbox.has(messageId) ? undefined : `marked sent but not in the mailbox (${messageId})`;
    findings.push({ name: 'e-mails sent', subject: `e-mail ${row.id} (${row.kind})`, ...(problem && { problem }) });
  }

  const events = await db.selectFrom('merchantEvents').select(['id', 'type']).where('merchantId', '=', merchantId).execute();
  const deliveries = await db.selectFrom('webhookDeliveries').select(['id', 'eventId', 'status']).where('merchantId', '=', merchantId).execute();
  const attempts = await db
    .selectFrom('webhookAttempts as a')
    .innerJoin('webhookDeliveries as d', 'd.id', 'a.deliveryId')
    .select(['a.deliveryId', 'a.statusCode'])
    .where('d.merchantId', '=', merchantId)
    .execute();
  for (const event of events) {
    const problems: string[] = [];
    const own = deliveries.filter((d) => d.eventId === event.id);
    if (own.length !== 1) problems.push(`${own.length} deliveries for the one endpoint`);
    for (const delivery of own) {
      const successes = attempts.filter((a) => a.deliveryId === delivery.id && a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300).length;
      if (delivery.status !== 'succeeded') problems.push(`delivery ${delivery.id} is ${delivery.status}`);
      if (successes !== 1) problems.push(`delivery ${delivery.id} logs ${successes} successful attempts`);
    }
    if (!receiver.received.has(event.id)) problems.push('never reached the receiver with a valid signature');
    findings.push({ name: 'webhooks delivered', subject: `event ${event.id} (${event.type})`, ...(problems.length && { problem: problems.join('; ') }) });
  }
  if (receiver.badSignatures > 0) findings.push({ name: 'webhooks delivered', subject: 'receiver', problem: `${receiver.badSignatures} deliveries with a signature that did not verify` });
  if (events.length === 0) findings.push({ name: 'webhooks delivered', subject: 'run', problem: 'no merchant event was recorded at all' });
  return findings;
}
