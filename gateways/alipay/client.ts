// One merchant's Alipay app: the official SDK configured with the app's keys, our gateway URL and response
// verification switched on, and Alipay's answers sorted into what our retry policy needs.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AlipayRequestError, AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import { credentialProblem, requiredCredential } from '../credentials.js';
import { GatewayError, kindOfHttpStatus } from '../types.js';
import { toBeijingTime } from './format.js';

/** Alipay reads the request timestamp as Beijing time; the SDK would stamp the server's local time. */
const beijingNow = () => toBeijingTime(new Date().toISOString());

export type AlipayResponse = AlipaySdkCommonResult;

export interface AlipayClientOptions {
  /** Alipay's `gateway.do`. */
  gatewayUrl: string;
  timeoutMs: number;
}

export interface AlipayClient {
  readonly appId: string;
  /**
   * Calls an OpenAPI method and returns its verified answer when it succeeded or failed with one of the
   * `accept`ed sub-codes (answers the caller understands, such as ACQ.TRADE_NOT_EXIST); throws a classified
   * GatewayError otherwise.
   */
  call(method: string, bizContent: Record<string, unknown>, options?: { params?: Record<string, string>; accept?: readonly string[] }): Promise<AlipayResponse>;
  /** A signed link to one of Alipay's pages (the shopper opens it; nothing is sent to Alipay now). */
  pageUrl(method: string, bizContent: Record<string, unknown>, params: Record<string, string>): string;
  /** Whether Alipay signed these notification fields. */
  signedByAlipay(fields: Record<string, string>): boolean;
}

const SUCCESS = '10000';
/** 40002 sub-codes that mean the credentials, not the request, are wrong. */
const CREDENTIAL_SUB_CODES = new Set(['isv.invalid-app-id', 'isv.invalid-signature', 'isv.invalid-signature-type', 'isv.missing-signature']);

/** Alipay's public error codes (https://opendocs.alipay.com/common/02km9f), as our retry policy reads them. */
function businessFailure(method: string, response: AlipayResponse): GatewayError {
  const answered = `${method} answered ${response.code} ${response.msg}`;
  const message = `${answered}${response.sub_code ? ` (${response.sub_code}${response.sub_msg ? `: ${response.sub_msg}` : ''})` : ''}`;
  switch (response.code) {
    case '20000':
      return new GatewayError('server', message);
    case '20001':
    case '40006':
      return new GatewayError('auth', message);
    case '40002':
      // For these Alipay's sub_msg spells out the whole string it verified: the sub-code says enough.
      return CREDENTIAL_SUB_CODES.has(response.sub_code ?? '')
        ? new GatewayError('auth', `${answered} (${response.sub_code}): check the appId and privateKey, and that the app's public key is the one uploaded to Alipay`)
        : new GatewayError('invalid_request', message);
    case '40004':
      return new GatewayError(response.sub_code === 'ACQ.SYSTEM_ERROR' ? 'server' : 'invalid_request', message);
    default:
      return new GatewayError('invalid_request', message);
  }
}

/** What an answer that failed verification claims to be, to point at the likely cause (it proves nothing). */
function claimedCode(raw: string | undefined, responseKey: string): string {
  try {
    const body = JSON.parse(raw ?? '') as Record<string, { code?: string; sub_code?: string } | undefined>;
    const claim = body[responseKey] ?? body.error_response;
    return claim?.code ? ` (it claims ${claim.code}${claim.sub_code ? ` ${claim.sub_code}` : ''})` : '';
  } catch {
    return '';
  }
}

/**
 * The SDK reports transport trouble, HTTP errors and unverifiable answers as one error class whose message
 * tells them apart.
 */
function transportFailure(method: string, error: unknown): unknown {
  // An answer without a signature makes the SDK's verification throw this instead: nothing vouches for it.
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_INVALID_ARG_TYPE') {
    return new GatewayError('auth', `${method}: Alipay's answer carries no signature to verify; check the appId`);
  }
  if (!(error instanceof AlipayRequestError)) return error;
  if (error.message.startsWith('HttpClient Request error')) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    if (cause && /timeout/i.test(cause.name)) return new GatewayError('timeout', `${method}: Alipay did not answer in time`);
    return new GatewayError('network', `${method}: Alipay unreachable${cause ? ` (${cause.message})` : ''}`);
  }
  const status = /status: (\d{3})/.exec(error.message)?.[1];
  if (status !== undefined) {
    return new GatewayError(kindOfHttpStatus(Number(status)), `${method}: Alipay answered HTTP ${status}`);
  }
  if (error.message.includes('验签失败')) {
    // Every answer is signed with Alipay's key for this app: failing that is a wrong alipayPublicKey (or
    // someone in between), not something a retry fixes.
    const claim = claimedCode(error.responseDataRaw, `${method.replaceAll('.', '_')}_response`);
    return new GatewayError('auth', `${method}: Alipay's answer does not verify with the configured alipayPublicKey${claim}`);
  }
  return new GatewayError('server', `${method}: Alipay's answer could not be read`);
}

function derInputs<T extends string>(value: string, types: readonly T[]) {
  const der = Buffer.from(value.replace(/\s+/g, ''), 'base64');
  return types.map((type) => ({ key: der, format: 'der' as const, type }));
}

/** The first encoding that parses to an RSA key. */
function firstRsaKey<T>(inputs: readonly T[], parse: (input: T) => KeyObject): KeyObject | undefined {
  for (const input of inputs) {
    try {
      const key = parse(input);
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

const field = (credentials: Record<string, string>, name: string) => requiredCredential(credentials, 'Alipay', name);

// Keys arrive as PEM or, as Alipay's key tool hands them out, bare base64 (PKCS#8, or PKCS#1 after its
// format conversion). They are handed to the SDK as trimmed PKCS#8 / SPKI PEM, the form it parses reliably.
function privateKeyPem(credentials: Record<string, string>): string {
  const value = field(credentials, 'privateKey');
  const key = value.includes('-----BEGIN') ? firstRsaKey([value], createPrivateKey) : firstRsaKey(derInputs(value, ['pkcs8', 'pkcs1'] as const), createPrivateKey);
  if (!key) throw credentialProblem('Alipay', 'privateKey', 'is not an RSA private key');
  return (key.export({ format: 'pem', type: 'pkcs8' }) as string).trim();
}

function alipayPublicKeyPem(credentials: Record<string, string>): string {
  const value = field(credentials, 'alipayPublicKey');
  const key = value.includes('-----BEGIN') ? firstRsaKey([value], createPublicKey) : firstRsaKey(derInputs(value, ['spki', 'pkcs1'] as const), createPublicKey);
  if (!key) throw credentialProblem('Alipay', 'alipayPublicKey', 'is not an RSA public key');
  return (key.export({ format: 'pem', type: 'spki' }) as string).trim();
}

export function connectAlipay(credentials: Record<string, string>, options: AlipayClientOptions): AlipayClient {
  const appId = field(credentials, 'appId');
  const sdk = new AlipaySdk({
    appId,
    privateKey: privateKeyPem(credentials),
    keyType: 'PKCS8',
    alipayPublicKey: alipayPublicKeyPem(credentials),
    signType: 'RSA2',
    gateway: options.gatewayUrl,
    timeout: options.timeoutMs,
    // Keep Alipay's field names, as documented, rather than camel-casing them.
    camelcase: false,
  });

  return {
    appId,

    async call(method, bizContent, { params = {}, accept = [] } = {}) {
      let response: AlipayResponse;
      try {
        // The SDK verifies the answer's signature only when asked to.
        response = await sdk.exec(method, { ...params, timestamp: beijingNow(), bizContent }, { validateSign: true });
      } catch (error) {
        throw transportFailure(method, error);
      }
      if (response.code === SUCCESS || (response.sub_code !== undefined && accept.includes(response.sub_code))) return response;
      throw businessFailure(method, response);
    },

    pageUrl(method, bizContent, params) {
      return sdk.pageExec(method, 'GET', { ...params, timestamp: beijingNow(), bizContent });
    },

    signedByAlipay(fields) {
      // V2 checks the values as received; V1 would URL-decode them a second time.
      return sdk.checkNotifySignV2(fields);
    },
  };
}
