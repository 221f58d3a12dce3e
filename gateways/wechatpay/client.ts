// Calls the WeChat Pay API v3 through `wechatpay-axios-plugin`, which signs every request with the merchant's
// key and refuses every answer that is not signed by the configured platform key. Failures come out
// classified for the retry policy.
import { Wechatpay } from 'wechatpay-axios-plugin';
import { z } from 'zod';
import { GatewayError } from '../types.js';
import type { WechatPayMerchant } from './merchant.js';

export interface ApiCall {
  method: 'GET' | 'POST';
  /** From the API root, e.g. `/v3/pay/transactions/native`. */
  path: string;
  body?: object;
  query?: Record<string, string>;
  /** For messages: "the payment query". */
  what: string;
  /** A 404 (order or refund unknown to WeChat Pay) is an answer, `undefined`, rather than an error. */
  notFoundIsAnswer?: boolean;
  /**
   * For refunds: an answer we cannot verify leaves unknown whether money moved, so the call is retried (and
   * the retry asks first) rather than reported refused, which could lead someone to refund twice.
   */
  unverifiedIsRetryable?: boolean;
  /** Error codes that are answers the caller reads (a bill still being made): returned as `{ refusal }` rather than thrown. */
  answerCodes?: readonly string[];
}

/** A 4xx answer whose code the caller listed in `answerCodes`. */
export interface Refusal {
  refusal: { code: string; message: string };
}

/** The parsed JSON answer; `''` for a 204; `undefined` for a 404 the caller accepts. */
export type Api = (call: ApiCall) => Promise<unknown>;

const ErrorBodySchema = z.object({ code: z.string(), message: z.string().optional() });

/** How an axios failure looks; the plugin's own verification failures carry an `EV3_…` code. */
const AxiosFailureSchema = z.object({
  code: z.string().optional(),
  response: z.object({ status: z.number(), data: z.unknown() }).optional(),
});

/** The plugin's reasons for refusing an answer, in words a merchant can act on. */
const UNVERIFIED: Record<string, string> = {
  EV3_RES_HEADERS_INCOMPLATE: 'was not signed',
  EV3_RES_HEADER_TIMESTAMP_OFFSET: 'was signed more than 5 minutes away from our clock',
  EV3_RES_HEADER_PLATFORM_SERIAL: 'was signed with a key other than platformKeyId (has WeChat Pay rotated its key?)',
  EV3_RES_HEADER_SIGNATURE_DIGEST: 'does not verify with platformKey',
};

const NOT_FOUND_CODES = new Set(['ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS']);
const AUTH_CODES = new Set(['SIGN_ERROR', 'NO_AUTH', 'MCH_NOT_EXISTS', 'APPID_MCHID_NOT_MATCH']);

function refusal(status: number, data: unknown, what: string): GatewayError {
  const body = ErrorBodySchema.safeParse(data);
  const code = body.success ? body.data.code : 'no error code';
  const message = `WeChat Pay answered ${what} with HTTP ${status} ${code}${body.success && body.data.message ? ` (${body.data.message})` : ''}`;
  if (status === 429 || code === 'FREQUENCY_LIMITED') return new GatewayError('rate_limited', message);
  if (status >= 500) return new GatewayError('server', message);
  if (status === 401 || AUTH_CODES.has(code)) return new GatewayError('auth', message);
  return new GatewayError('invalid_request', message);
}

function classify(error: unknown, what: string, unverifiedIsRetryable: boolean): GatewayError {
  const failure = AxiosFailureSchema.safeParse(error);
  const { code, response } = failure.success ? failure.data : {};
  const unverified = code === undefined ? undefined : UNVERIFIED[code];
  if (unverified) return new GatewayError(unverifiedIsRetryable ? 'server' : 'auth', `WeChat Pay's answer to ${what} ${unverified}.`);
  if (response) return refusal(response.status, response.data, what);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new GatewayError('timeout', `WeChat Pay did not answer ${what} in time`);
  return new GatewayError('network', `WeChat Pay unreachable for ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

function listedRefusal(error: unknown, codes: readonly string[]): Refusal | undefined {
  const failure = AxiosFailureSchema.safeParse(error);
  const response = failure.success ? failure.data.response : undefined;
  const body = ErrorBodySchema.safeParse(response?.data);
  if (!response || response.status >= 500 || !body.success || !codes.includes(body.data.code)) return undefined;
  return { refusal: { code: body.data.code, message: body.data.message ?? '' } };
}

function isNotFound(error: unknown): boolean {
  const failure = AxiosFailureSchema.safeParse(error);
  const response = failure.success ? failure.data.response : undefined;
  const body = ErrorBodySchema.safeParse(response?.data);
  return response?.status === 404 && body.success && NOT_FOUND_CODES.has(body.data.code);
}

export function createApi(merchant: WechatPayMerchant, options: { baseUrl: string; timeoutMs: number }): Api {
  const wxpay = new Wechatpay({
    mchid: merchant.mchId,
    serial: merchant.certificateSerialNo,
    privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    certs: { [merchant.platformKeyId]: merchant.platformKey },
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
  });
  return async ({ method, path, body, query, what, notFoundIsAnswer = false, unverifiedIsRetryable = false, answerCodes = [] }) => {
    const endpoint = wxpay.chain(path);
    try {
      const response = method === 'GET' ? await endpoint.get({ params: query }) : await endpoint.post(body, { params: query });
      return response.data;
    } catch (error) {
      if (notFoundIsAnswer && isNotFound(error)) return undefined;
      const refusal = listedRefusal(error, answerCodes);
      if (refusal) return refusal;
      throw classify(error, what, unverifiedIsRetryable);
    }
  };
}
