// Reading what arrived at a Mailpit through its HTTP API (`GET /api/v1/messages`, `GET /api/v1/message/{ID}`).
import { inject } from 'vitest';

interface Address {
  Name: string;
  Address: string;
}

export interface MailSummary {
  ID: string;
  MessageID: string;
  From: Address;
  To: Address[];
  ReplyTo: Address[];
  Subject: string;
}

export interface MailMessage extends MailSummary {
  Text: string;
  HTML: string;
}

/** The run's one Mailpit (test/global-setup.ts). */
export const runMailpit = () => inject('mailpit');

export function mailpitInbox(webUrl: string) {
  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${webUrl}/api/v1${path}`);
    if (!response.ok) throw new Error(`Mailpit ${path}: ${response.status}`);
    return (await response.json()) as T;
  }
  const inbox = {
    /** Every message held, newest first. */
    async list(): Promise<MailSummary[]> {
      return (await get<{ messages: MailSummary[] }>('/messages?limit=5000')).messages;
    },
    message: (id: string) => get<MailMessage>(`/message/${id}`),
    /** The messages about one order (their Message-IDs are made from its notification ids), oldest first. */
    async forOrder(orderId: string): Promise<MailSummary[]> {
      return (await inbox.list()).filter((m) => m.MessageID.startsWith(`${orderId}.`)).reverse();
    },
    /** Waits until the order's messages satisfy `done`; fails with what arrived. */
    async waitForOrder(orderId: string, done: (messages: MailSummary[]) => boolean, timeoutMs = 30_000): Promise<MailSummary[]> {
      const deadline = Date.now() + timeoutMs;
      let last: MailSummary[] = [];
      while (Date.now() < deadline) {
        last = await inbox.forOrder(orderId);
        if (done(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`e-mail for ${orderId} did not arrive as expected; got: ${JSON.stringify(last.map((m) => m.Subject))}`);
    },
  };
  return inbox;
}
