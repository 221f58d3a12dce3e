// How customer e-mail leaves the system: SMTP through nodemailer, to the server named by SMTP_URL. Without
// SMTP_URL there is no notifier and messages wait in the outbox.
import nodemailer from 'nodemailer';
import type { Config } from '../core/config.js';

export interface CustomerEmail {
  /** The notification id: the Message-ID is made from it, so the same notification is recognisably one message. */
  notificationId: string;
  to: string;
  senderName: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
}

export interface Notifier {
  /** Resolves once the server accepted the message. */
  send(email: CustomerEmail): Promise<void>;
}

/** A refusal by the mail server that another attempt will not change (SMTP 5xx, e.g. an unknown recipient). */
export class MailRejected extends Error {
  override name = 'MailRejected';
}

/** `ord_x:refund:ref_y` -> `<ord_x.refund.ref_y@host>`: Message-ID allows no colons on its left side. */
export function messageIdFor(notificationId: string, from: string): string {
  const host = from.slice(from.lastIndexOf('@') + 1) || 'localhost';
  return `<${notificationId.replace(/[^A-Za-z0-9_-]/g, '.')}@${host}>`;
}

export function createSmtpNotifier(mail: Config['mail']): Notifier | undefined {
  if (!mail.smtpUrl) return undefined;
  // One connection per message: a mail server that is down fails the attempt within the timeouts.
  const transport = nodemailer.createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(email) {
      try {
        await transport.sendMail({
          messageId: messageIdFor(email.notificationId, mail.from),
          from: { name: email.senderName, address: mail.from },
          to: email.to,
          replyTo: email.replyTo,
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new MailRejected(`The mail server refused the message: ${(error as Error).message}`);
        throw error;
      }
    },
  };
}
