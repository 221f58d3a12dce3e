import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import { createApp } from '../../api/app.js';
import { loadConfig, type Config } from '../../core/config.js';
import type { Db } from '../../db/database.js';
import type { ActivityDeps } from '../../activities/deps.js';
import { createSmtpNotifier } from '../../activities/notifier.js';
import { createGatewayRegistry } from '../../gateways/registry.js';

export const PLATFORM_API_KEY = `pk_test_${randomBytes(24).toString('hex')}`;

export function testConfig(databaseUrl: string, taskQueue = 'unused', env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PLATFORM_API_KEY,
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** The real app, wired to a real database and a real Temporal client; requests go through `app.request`. */
export function createTestApp(deps: { db: Db; temporal: Client; config: Config; logger?: Logger }) {
  return createApp({ ...deps, logger: deps.logger ?? silent, gateways: createGatewayRegistry(deps.config) });
}

const silent = pino({ level: 'silent' });

/** What the worker gives its activities, built from the same configuration as the app. */
export function testActivityDeps(db: Db, config: Config, temporal: Client): ActivityDeps {
  return {
    db,
    logger: silent,
    gateways: createGatewayRegistry(config),
    notifier: createSmtpNotifier(config.mail),
    masterKey: config.masterKey,
    publicBaseUrl: config.http.publicBaseUrl,
    temporal,
    webhooks: config.webhooks,
  };
}
