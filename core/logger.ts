import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';

export type { Logger };

/** Headers that carry credentials, wherever a request or response is logged. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key'];
/** Keys and tokens by name: API keys, the master key, sessions, order links, form tokens. */
const SECRET_NAMES = ['secretKey', 'adminKey', 'apiKey', 'platformApiKey', 'privateKey', 'password', 'masterKey', 'key', 'token', 'sessionToken', 'viewToken', 'formToken', 'csrfToken'];
/** How deep under a logged object a secret is still found (`credentials.apiV3Key`, `body.credentials.apiV3Key`). */
const DEPTHS = ['', '*.', '*.*.'];

/**
 * Paths pino replaces before a line is written: the secret names given (every gateway credential field,
 * from the gateway profiles) and the fixed ones above, at the top and under one or two levels of objects.
 */
export function redactionPaths(secretFields: readonly string[]): string[] {
  const names = [...new Set([...SECRET_NAMES, ...secretFields])];
  const headers = SECRET_HEADERS.flatMap((header) => [`req.headers["${header}"]`, `res.headers["${header}"]`, `headers["${header}"]`, `*.headers["${header}"]`]);
  return [...headers, ...DEPTHS.flatMap((depth) => names.map((name) => `${depth}${name}`))];
}

export interface LoggerOptions {
  /** Field names whose values are never written (the gateway credential fields). */
  secretFields?: readonly string[];
  /** Where lines go; standard output when absent. */
  destination?: DestinationStream;
}

/**
 * Every line written while a request is served names it (`requestId`, as in its `X-Request-Id`), and with
 * tracing on the trace it is part of (`traceId`).
 */
function requestFields(): Record<string, unknown> {
  const requestId = currentRequestId();
  const span = trace.getActiveSpan();
  const traceId = span?.isRecording() ? span.spanContext().traceId : undefined;
  return { ...(requestId !== undefined && { requestId }), ...(traceId !== undefined && { traceId }) };
}

export function createLogger(level: string, name = 'paystead', { secretFields = [], destination }: LoggerOptions = {}): Logger {
  const options = { name, level, mixin: requestFields, redact: { paths: redactionPaths(secretFields), censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
