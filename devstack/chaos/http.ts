// The fault run's HTTP client, a storefront's and a merchant's as they should be written: every request has
// a timeout, and a request whose outcome is unknown (network error, timeout, 5xx) is retried with backoff,
// carrying the same idempotency key. No jitter: retry timing must not draw from the seeded streams.

import { apiRequest, type ApiRequestOptions, type ApiResponse } from '../api-request.js';

export type HttpResult = Pick<ApiResponse, 'status' | 'body'>;

/** The request may or may not have been acted on: a network error, a timeout, or the server's own 5xx. */
export class UnknownOutcome extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UnknownOutcome';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 5xx means "try again", except the API's 502 for a gateway's outright refusal, which is an answer. */
function unknownOutcome(result: HttpResult): boolean {
  if (result.status === 502) return result.body?.error?.code !== 'gateway_rejected';
  return result.status >= 500;
}

/** Requests go to `baseUrls` in turn (one API, or several behind no load balancer), so a retry meets the next. */
export function createHttp(baseUrls: string | readonly string[]) {
  const urls = typeof baseUrls === 'string' ? [baseUrls] : baseUrls;
  const stats = { requests: 0, retries: 0, networkErrors: 0, serverErrors: 0 };

  /** One attempt. Throws UnknownOutcome when there is no definite answer. */
  async function once(method: string, path: string, options: ApiRequestOptions = {}): Promise<HttpResult> {
    const baseUrl = urls[stats.requests % urls.length]!;
    stats.requests += 1;
    let response: ApiResponse;
    try {
      response = await apiRequest(baseUrl, method, path, { ...options, timeoutMs: options.timeoutMs ?? 30_000 });
    } catch (error) {
      stats.networkErrors += 1;
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new UnknownOutcome(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    const result = { status: response.status, body: response.body };
    if (unknownOutcome(result)) {
      stats.serverErrors += 1;
      throw new UnknownOutcome(`${method} ${path}: HTTP ${response.status} ${response.text.slice(0, 200)}`, response.status);
    }
    return result;
  }

  /**
   * Retries until a definite answer (any status but a retryable 5xx) or `deadlineMs` passes; for requests
   * that are safe to repeat (reads, anything carrying an idempotency key, controls that refuse a repeat).
   * `timeoutMs` is per attempt.
   */
  async function retrying(method: string, path: string, options: ApiRequestOptions & { deadlineMs?: number } = {}): Promise<HttpResult> {
    const deadline = Date.now() + (options.deadlineMs ?? 180_000);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await once(method, path, options);
      } catch (error) {
        if (!(error instanceof UnknownOutcome) || Date.now() > deadline) throw error;
        stats.retries += 1;
        await sleep(Math.min(3000, 200 * 1.6 ** attempt));
      }
    }
  }

  return { once, retrying, stats };
}

export type Http = ReturnType<typeof createHttp>;
