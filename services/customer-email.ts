// What the admin page says about customer e-mail: whether it can be sent at all, and how many messages of
// the merchant's orders (in the session's mode) are still waiting in the outbox.
import type { Config } from '../core/config.js';
import { isLive } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { countUnsentNotifications } from '../db/outbox.js';
import type { MerchantScope } from './api-keys.js';

export interface EmailBacklog {
  configured: boolean;
  waiting: number;
}

export async function emailBacklog(db: Db, config: Pick<Config, 'mail'>, { merchantId, mode }: MerchantScope): Promise<EmailBacklog> {
  return { configured: config.mail.smtpUrl !== undefined, waiting: await countUnsentNotifications(db, merchantId, isLive(mode)) };
}
