// What the services are built from, once per app: the JSON API and the pages both hand these down.
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../db/database.js';
import type { GatewayRegistry } from '../gateways/types.js';

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
  gateways: GatewayRegistry;
}
