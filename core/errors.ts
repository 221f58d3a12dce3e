// The one error every layer throws for a refusal the caller should see; the API turns it into its JSON shape.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error shape every route returns: `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined && { details: this.details }) } };
  }
}

/** A refusal worth trying again later (`504 order_busy`, `502 gateway_unavailable`): answered with `Retry-After`. */
export class RetryLaterError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(status, code, message);
    this.name = 'RetryLaterError';
  }
}
