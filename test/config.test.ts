import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../core/config.js';

const valid = {
  DATABASE_URL: 'postgres://app@db:5432/paystead',
  PLATFORM_API_KEY: 'p'.repeat(40),
  MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('loadConfig', () => {
  it('applies defaults and derives the public URL from the port', () => {
    const config = loadConfig({ ...valid, PORT: '8080' });
    expect(config.temporal).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'paystead-orders', maxCachedWorkflows: 100 });
    expect(config.http).toEqual({ port: 8080, publicBaseUrl: 'http://localhost:8080', keyCacheMs: 5_000 });
    expect(config.bounds).toEqual({ checkoutSeconds: 15, actionSeconds: 10, paymentCreationSeconds: 60 });
    expect(loadConfig({ ...valid, CHECKOUT_TIMEOUT_SECONDS: '0.5' }).bounds.checkoutSeconds).toBe(0.5);
    expect(config.gatewayUrls).toEqual({
      live: { alipay: 'https://openapi.alipay.com/gateway.do', wechatpay: 'https://api.mch.weixin.qq.com/', unionpay: 'https://gateway.95516.com', stripe: 'https://api.stripe.com' },
      // WeChat Pay has no API v3 sandbox: not offered in test mode unless pointed somewhere.
      test: { alipay: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do', unionpay: 'https://gateway.test.95516.com', stripe: 'https://api.stripe.com' },
    });
    expect(loadConfig({ ...valid, WECHATPAY_TEST_BASE_URL: 'http://wechat.sim/' }).gatewayUrls.test.wechatpay).toBe('http://wechat.sim/');
    expect(config.sandboxEnabled).toBe(true);
    expect(loadConfig({ ...valid, SANDBOX_ENABLED: 'false' }).sandboxEnabled).toBe(false);
    expect(config.masterKey.length).toBe(32);
    expect(config.logLevel).toBe('info');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', MASTER_KEY: 'short', PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'MASTER_KEY', 'PORT', 'LOG_LEVEL', 'PLATFORM_API_KEY']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).message.split('\n')[0]).toBe('Invalid configuration:');
  });

  it('traces only with an OTLP endpoint: its base URL and an optional service name', () => {
    expect(loadConfig(valid).tracing).toBeUndefined();
    expect(loadConfig({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing).toBeUndefined();
    expect(loadConfig({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({ endpoint: 'http://collector:4318' });
    expect(loadConfig({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'shop-api' }).tracing).toEqual({ endpoint: 'http://collector:4318', serviceName: 'shop-api' });
    expect(() => loadConfig({ ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('configures TLS and API keys for a hosted Temporal', () => {
    const config = loadConfig({ ...valid, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'tk' });
    expect(config.temporal.tls).toBeDefined();
    expect(config.temporal.apiKey).toBe('tk');
  });

  it('configures customer e-mail: none without SMTP_URL, an smtp(s):// URL, MAIL_FROM an address', () => {
    expect(loadConfig(valid).mail).toEqual({ from: 'orders@localhost' });
    expect(loadConfig({ ...valid, SMTP_URL: 'smtps://u:p@mail.example:465', MAIL_FROM: 'shop@example.com' }).mail).toEqual({ smtpUrl: 'smtps://u:p@mail.example:465', from: 'shop@example.com' });
    expect(() => loadConfig({ ...valid, SMTP_URL: 'http://u:secret@mail.example' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL$/m);
    expect(() => loadConfig({ ...valid, MAIL_FROM: 'shop' })).toThrow(/MAIL_FROM/);
  });

  it('requires a client certificate and key together', () => {
    expect(() => loadConfig({ ...valid, TEMPORAL_TLS_CERT_PATH: '/tls/client.pem' })).toThrow(/must be set together/);
  });

  it('never puts secrets into its error message', () => {
    const error = (() => {
      try {
        loadConfig({ ...valid, MASTER_KEY: 'c2VjcmV0LXZhbHVl' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain('MASTER_KEY');
    expect(error?.message).not.toContain('c2VjcmV0LXZhbHVl');
    expect(error?.message).not.toContain(valid.PLATFORM_API_KEY);
  });
});
