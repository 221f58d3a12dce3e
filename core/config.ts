import { isIP } from 'node:net';
import { z } from 'zod';
import type { Mode } from './modes.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((value) => value === 'true' || value === '1');

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

/** 32 random bytes, base64-encoded: the key for AES-256-GCM encryption of merchant secrets. */
const masterKey = z
  .string({ error: 'is required (base64 of 32 random bytes)' })
  .transform((value, ctx) => {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be base64 of exactly 32 bytes' });
      return z.NEVER;
    }
    return key;
  });

/** `N/SECONDS`: at most N in any window of that many seconds, e.g. `20/300`. */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d{1,6})\/(\d{1,6})$/.exec(value.trim());
      const points = Number(match?.[1]);
      const seconds = Number(match?.[2]);
      if (!match || points < 1 || seconds < 1 || seconds > 86_400) {
        ctx.addIssue({ code: 'custom', message: 'must be N/SECONDS, e.g. 20/300 (N at least 1, SECONDS 1 to 86400)' });
        return z.NEVER;
      }
      return { points, seconds };
    });

/** Comma-separated addresses or CIDR ranges (`10.0.0.0/8`, `::1`). */
const addressList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const entry of entries) {
      const [address = '', prefix, ...rest] = entry.split('/');
      const family = isIP(address);
      const bits = family === 4 ? 32 : 128;
      const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
      if (family === 0 || !validPrefix || rest.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${entry} is not an IP address or CIDR range` });
        return z.NEVER;
      }
    }
    return entries;
  });

export const envSchema = z
  .object({
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('paystead-orders'),
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CERT_PATH: optionalText,
    TEMPORAL_TLS_KEY_PATH: optionalText,
    TEMPORAL_TLS_CA_PATH: optionalText,
    TEMPORAL_TLS_SERVER_NAME: optionalText,
    TEMPORAL_API_KEY: optionalText,
    TEMPORAL_UI_URL: optionalText.pipe(z.url().optional()),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(100),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    DATABASE_URL: z
      .string({ error: 'is required (postgres://user:password@host:port/database)' })
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    PUBLIC_BASE_URL: optionalText.pipe(z.url().optional()),
    SANDBOX_BASE_URL: optionalText.pipe(z.url().optional()),
    SANDBOX_ENABLED: flag.default(true),
    ALIPAY_GATEWAY_URL: z.url().default('https://openapi.alipay.com/gateway.do'),
    ALIPAY_SANDBOX_GATEWAY_URL: z.url().default('https://openapi-sandbox.dl.alipaydev.com/gateway.do'),
    WECHATPAY_BASE_URL: z.url().default('https://api.mch.weixin.qq.com/'),
    WECHATPAY_TEST_BASE_URL: optionalText.pipe(z.url().optional()),
    UNIONPAY_BASE_URL: z.url().default('https://gateway.95516.com'),
    UNIONPAY_TEST_BASE_URL: z.url().default('https://gateway.test.95516.com'),
    STRIPE_API_URL: z.url().default('https://api.stripe.com'),
    PLATFORM_API_KEY: z
      .string({ error: 'is required (at least 32 characters)' })
      .min(32, 'must be at least 32 characters'),
    MASTER_KEY: masterKey,
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    CHECKOUT_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(15),
    ORDER_ACTION_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
    PAYMENT_CREATION_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(60),
    THROTTLE_AUTH_FAILURES: rate('20/300'),
    THROTTLE_ADMIN_SIGN_INS: rate('10/900'),
    THROTTLE_REFUND_POSTS: rate('10/600'),
    THROTTLE_STREAMS_PER_LINK: z.coerce.number().int().min(1).max(1000).default(5),
    TRUSTED_PROXIES: addressList,
    SMTP_URL: optionalText.pipe(z.string().regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL').optional()),
    MAIL_FROM: z.email().default('orders@localhost'),
    WEBHOOK_ALLOWED_HOSTS: addressList,
    WEBHOOK_FIRST_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together',
      });
    }
  });

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  apiKey?: string;
  /** The Temporal Web UI, for links from the admin page to an order's run. */
  uiUrl?: string;
  /**
   * Orders kept in the worker's memory between tasks. Most open orders wait minutes for a payment or a
   * merchant; one evicted from the cache is rebuilt from its history when it next has work.
   */
  maxCachedWorkflows: number;
}

/** Where each real gateway is reached in one mode; absent: not offered in that mode. */
export interface GatewayUrls {
  alipay: string;
  wechatpay?: string;
  unionpay: string;
  stripe: string;
}

/** At most `points` in any `seconds`-long window. */
export interface RateLimit {
  points: number;
  seconds: number;
}

/** Limits shared by every API instance (kept in Postgres); see services/throttle.ts. */
export interface ThrottleConfig {
  /** Wrong API keys per client address. */
  authFailures: RateLimit;
  /** Failed admin sign-ins per client address; beyond them even the right key waits. */
  adminSignIns: RateLimit;
  /** Refund form posts per order on the customer page. */
  refundPosts: RateLimit;
  /** Live-update streams open at once per order link. */
  streamsPerLink: number;
  /** Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client; none by default. */
  trustedProxies: string[];
}

export interface Config {
  temporal: TemporalConfig;
  database: { url: string; poolSize: number };
  /** `keyCacheMs`: how long the API remembers a resolved key (0: never); see api/auth.ts. */
  http: { port: number; publicBaseUrl: string; keyCacheMs: number };
  /** Where workers reach the built-in sandbox gateway (the API); defaults to the public URL. */
  sandboxBaseUrl: string;
  /** False: no sandbox gateway, routes or hosted page at all (`SANDBOX_ENABLED=false`, for production). */
  sandboxEnabled: boolean;
  /**
   * Where the real gateways are reached, per mode: live, their production endpoints; test, their own sandbox
   * environments (Stripe: the same API, with test keys; WeChat Pay has no API v3 sandbox, so only when
   * `WECHATPAY_TEST_BASE_URL` is set). Either may be pointed elsewhere (simulators).
   */
  gatewayUrls: Record<Mode, GatewayUrls>;
  platformApiKey: string;
  masterKey: Buffer;
  /** The worker's own HTTP listener: `/healthz`, `/readyz` and `/metrics`. */
  worker: { port: number };
  /** When set, `/metrics` (API and worker) answers only `Authorization: Bearer <token>`; else anyone who reaches it. */
  metricsToken?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * How long a call may wait for an order (checkout; a merchant's or customer's action) before it is
   * answered `504 order_busy` while the work goes on, and how long payment creation may take, all attempts
   * together, before the order is cancelled.
   */
  bounds: { checkoutSeconds: number; actionSeconds: number; paymentCreationSeconds: number };
  throttle: ThrottleConfig;
  /**
   * Customer e-mail: the SMTP server (`smtp://user:pass@host:port`, `smtps://` for TLS; none: messages wait
   * in the outbox) and the From address; the display name is the merchant's.
   */
  mail: { smtpUrl?: string; from: string };
  webhooks: WebhookConfig;
}

/** Webhooks to merchants' servers (see core/webhook-targets.ts and workflows/webhook-delivery.ts). */
export interface WebhookConfig {
  /** Addresses or CIDR ranges live endpoints may reach although private (self-hosted networks); none by default. */
  allowedHosts: string[];
  /** The wait before the first retry of a failed delivery; each next wait doubles, up to an hour. */
  firstRetrySeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; every problem is reported together, never one at a time. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const usesTls = e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CERT_PATH) || Boolean(e.TEMPORAL_API_KEY);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      ...(usesTls && {
        tls: {
          certPath: e.TEMPORAL_TLS_CERT_PATH,
          keyPath: e.TEMPORAL_TLS_KEY_PATH,
          caPath: e.TEMPORAL_TLS_CA_PATH,
          serverName: e.TEMPORAL_TLS_SERVER_NAME,
        },
      }),
      ...(e.TEMPORAL_API_KEY && { apiKey: e.TEMPORAL_API_KEY }),
      ...(e.TEMPORAL_UI_URL && { uiUrl: e.TEMPORAL_UI_URL.replace(/\/$/, '') }),
    },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    http: { port: e.PORT, publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''), keyCacheMs: e.API_KEY_CACHE_SECONDS * 1000 },
    sandboxBaseUrl: (e.SANDBOX_BASE_URL ?? e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    sandboxEnabled: e.SANDBOX_ENABLED,
    gatewayUrls: {
      live: { alipay: e.ALIPAY_GATEWAY_URL, wechatpay: e.WECHATPAY_BASE_URL, unionpay: e.UNIONPAY_BASE_URL, stripe: e.STRIPE_API_URL },
      test: { alipay: e.ALIPAY_SANDBOX_GATEWAY_URL, ...(e.WECHATPAY_TEST_BASE_URL && { wechatpay: e.WECHATPAY_TEST_BASE_URL }), unionpay: e.UNIONPAY_TEST_BASE_URL, stripe: e.STRIPE_API_URL },
    },
    platformApiKey: e.PLATFORM_API_KEY,
    masterKey: e.MASTER_KEY,
    worker: { port: e.WORKER_PORT },
    ...(e.METRICS_TOKEN && { metricsToken: e.METRICS_TOKEN }),
    logLevel: e.LOG_LEVEL,
    bounds: { checkoutSeconds: e.CHECKOUT_TIMEOUT_SECONDS, actionSeconds: e.ORDER_ACTION_TIMEOUT_SECONDS, paymentCreationSeconds: e.PAYMENT_CREATION_TIMEOUT_SECONDS },
    throttle: {
      authFailures: e.THROTTLE_AUTH_FAILURES,
      adminSignIns: e.THROTTLE_ADMIN_SIGN_INS,
      refundPosts: e.THROTTLE_REFUND_POSTS,
      streamsPerLink: e.THROTTLE_STREAMS_PER_LINK,
      trustedProxies: e.TRUSTED_PROXIES,
    },
    mail: { ...(e.SMTP_URL && { smtpUrl: e.SMTP_URL }), from: e.MAIL_FROM },
    webhooks: { allowedHosts: e.WEBHOOK_ALLOWED_HOSTS, firstRetrySeconds: e.WEBHOOK_FIRST_RETRY_SECONDS },
  };
}

/** Loads the configuration or exits with the full list of problems: for process entry points. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
