// What a gateway answered, read with a schema: an answer of another shape is trouble on their side
// (retryable), not a reason to guess.
import type { z } from 'zod';
import { GatewayError } from './types.js';

/** `what` names the call in the error, e.g. "WeChat Pay answered query payment". */
export function parseAnswer<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new GatewayError('server', `${what} with an unexpected body: ${parsed.error.message}`);
  return parsed.data;
}
