import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces them before a line is written. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.secretKey',
  '*.adminKey',
  '*.apiKey',
  '*.privateKey',
  '*.password',
  '*.masterKey',
];

export function createLogger(level: string, name = 'paystead'): Logger {
  return pino({ name, level, redact: { paths: REDACTED, censor: '[redacted]' } });
}
