// A Stripe client built from the merchant's secret key (once per set of credentials, see
// credential-memo.ts) and pointed at the configured API address (a simulator or stripe-mock in tests).
// Stripe's errors are classified for the retry policy.
import Stripe from 'stripe';
import { credentialProblem, requiredCredential } from '../credentials.js';
import { GatewayError } from '../types.js';

export interface StripeClientOptions {
  /** `https://api.stripe.com`, or a stand-in speaking the same API. */
  apiUrl: string;
  timeoutMs: number;
}

const SECRET_KEY = /^(sk|rk)_(test|live)_\S+$/;

export function stripeClient(options: StripeClientOptions, credentials: Record<string, string>): Stripe {
  const secretKey = requiredCredential(credentials, 'Stripe', 'secretKey');
  if (!SECRET_KEY.test(secretKey)) throw credentialProblem('Stripe', 'secretKey', 'is not a Stripe secret or restricted key (sk_… / rk_…)');
  const url = new URL(options.apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    // Temporal retries the activity (after a timeout it re-queries first); the client must not retry on its own.
    maxNetworkRetries: 0,
    timeout: options.timeoutMs,
    telemetry: false,
    appInfo: { name: 'Paystead' },
  });
}

/** Stripe refused the request as invalid (400/404): for some calls an answer rather than a failure. */
export function isInvalidRequest(error: unknown): error is Stripe.errors.StripeInvalidRequestError {
  return error instanceof Stripe.errors.StripeInvalidRequestError;
}

/** Stripe's "No such checkout.session / refund". */
export const isMissing = (error: unknown): boolean => isInvalidRequest(error) && error.code === 'resource_missing';

/** The object, or undefined when Stripe does not know it (another account's id, say). */
export async function orMissing<T>(fetch: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fetch();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Trouble on the way (connection, timeout) or on Stripe's side (5xx, 429) is retryable; a refused key and
 * invalid parameters are not. Authentication messages are our own: Stripe's quote part of the key.
 * Anything not from Stripe (our own rejections) passes through unchanged.
 */
export function toGatewayError(error: unknown, what: string): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode === undefined ? '' : ` (HTTP ${error.statusCode})`;
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const detail = error.detail as { code?: string } | undefined;
    if (detail?.code === 'ETIMEDOUT') return new GatewayError('timeout', `stripe ${what}: no answer in time`);
    return new GatewayError('network', `stripe ${what}: ${error.message}`);
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) return new GatewayError('rate_limited', `stripe ${what}: rate limited${status}`);
  if (error instanceof Stripe.errors.StripeAuthenticationError) return new GatewayError('auth', `stripe ${what}: Stripe refused the secret key${status}`);
  if (error instanceof Stripe.errors.StripePermissionError) return new GatewayError('auth', `stripe ${what}: the secret key lacks a permission this call needs${status}`);
  if (error instanceof Stripe.errors.StripeAPIError || (error.statusCode ?? 0) >= 500) return new GatewayError('server', `stripe ${what}: ${error.message}${status}`);
  const code = error.code ? ` [${error.code}]` : '';
  return new GatewayError('invalid_request', `stripe ${what}: ${error.message}${code}${status}`);
}
