// The Temporal SDK's own log lines (workers starting, activities failing and retried, workflow tasks
// failing) written by the worker's pino logger, so the worker speaks one format: JSON lines with the SDK's
// attributes (`workflowId`, `activityType`, `requestId`, ...) as fields and the same redaction.
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { Logger } from '../core/logger.js';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export function sdkLogger(logger: Logger): SdkLogger {
  const child = logger.child({ component: 'temporal-sdk' });
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    // pino serialises an error given as `err`: its message and stack, not `{}`.
    const { error, ...rest } = meta as LogMetadata & { error?: unknown };
    child[LEVELS[level]]({ ...rest, ...(error !== undefined && { err: error }) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
