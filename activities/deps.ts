import type { Client } from '@temporalio/client';
import type { WebhookConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../db/database.js';
import type { GatewayRegistry } from '../gateways/types.js';
import type { Notifier } from './notifier.js';

/** What every activity closes over: built once by the worker (or a test). */
export interface ActivityDeps {
  db: Db;
  logger: Logger;
  gateways: GatewayRegistry;
  /** Customer e-mail over SMTP; undefined without SMTP_URL (messages then wait in the outbox). */
  notifier: Notifier | undefined;
  masterKey: Buffer;
  publicBaseUrl: string;
  /** Starts the workflows activities hand work to (a webhook's delivery). */
  temporal: Client;
  webhooks: WebhookConfig;
}
