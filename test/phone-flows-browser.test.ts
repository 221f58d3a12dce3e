// Every flow of every gateway, paid by a shopper who reads Chinese, in headless Chromium against the gateways'
// simulators: on a desktop (page pay, QR codes, UnionPay's PC page, Stripe Checkout, the sandbox) and on a
// phone with a phone's User-Agent (Alipay WAP pay, WeChat Pay H5 pay, UnionPay's phone page, WeChat Pay's QR,
// and JSAPI pay in WeChat's browser through a stub `WeixinJSBridge`). The storefront forwards the shopper's
// User-Agent at checkout and Paystead picks the flow; the order page turns paid live ("已付款"). For page
// pay, QR, WAP/H5 and JSAPI the waiting order page is also saved in zh-CN and en, desktop and phone.
import { createVerify } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatPayRequest } from '../domain/order.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { startStripeSimulator, type StripeSimulator } from './simulators/stripe/simulator.js';
import { startUnionPaySimulator, type UnionPaySimulator } from './simulators/unionpay/simulator.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { decodeQr, launchBrowser, screenshot, watchedPage } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { USER_AGENTS } from './support/user-agents.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

/** What the callbacks run inside Chromium use of its globals (the project compiles without the DOM library). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
  /** What the stub bridge was asked. */
  __bridgeCalls?: Array<{ name: string; request: WechatPayRequest }>;
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
/** The words the Chinese order page uses: its pay button and its paid status. */
const PAY_NOW = '立即付款';
const PAID = '已付款';

type Device = 'desktop' | 'phone';

describe('paying each flow of each gateway in Chinese, on a phone and a desktop (real stack, simulators, headless Chromium)', () => {
  let alipay: AlipaySimulator;
  let wechat: WechatPaySimulator;
  let unionpay: UnionPaySimulator;
  let stripe: StripeSimulator;
  let stack: Stack;
  let merchant: Merchant;
  let browser: Browser;

  beforeAll(async () => {
    [alipay, wechat, unionpay, stripe] = await Promise.all([startAlipaySimulator(), startWechatPaySimulator(), startUnionPaySimulator(), startStripeSimulator()]);
    stack = await startStack({
      ALIPAY_GATEWAY_URL: alipay.gatewayUrl,
      ALIPAY_SANDBOX_GATEWAY_URL: alipay.gatewayUrl,
      WECHATPAY_BASE_URL: wechat.url,
      WECHATPAY_TEST_BASE_URL: wechat.url,
      UNIONPAY_BASE_URL: unionpay.baseUrl,
      UNIONPAY_TEST_BASE_URL: unionpay.baseUrl,
      STRIPE_API_URL: stripe.url,
    });
    await stack.startWorker();
    // A Chinese shop as a new CNY one starts: Chinese pages in Beijing time.
    merchant = await stack.createMerchant({ settings: { paymentWindowSeconds: 900, paymentCheckIntervalSeconds: 30, locale: 'zh-CN', timeZone: 'Asia/Shanghai' } });
    await stack.setCredentials(merchant, 'alipay', alipay.merchantCredentials());
    await stack.setCredentials(merchant, 'wechatpay', wechat.merchantCredentials());
    await stack.setCredentials(merchant, 'unionpay', unionpay.merchantCredentials());
    await stack.setCredentials(merchant, 'stripe', stripe.merchantCredentials(`${stack.baseUrl}/webhooks/stripe/${merchant.merchantId}/test`));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([alipay?.stop(), wechat?.stop(), unionpay?.close(), stripe?.close()]);
  });

  /** The storefront's checkout, forwarding what it knows of the shopper (and the flow, when it chooses one). */
  async function checkout(paymentMethod: string, body: { payer?: Record<string, string>; paymentFlow?: string } = {}) {
    const response = await stack.checkout(merchant, { paymentMethod, body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string }; payment: { id: string; action: any }; orderUrl: string };
  }

  /** A shopper's browser reading Chinese: a desktop, or a phone with the phone's User-Agent. */
  function shopper(device: Device, userAgent: string): Promise<{ context: BrowserContext; page: Page; complaints: string[] }> {
    const phone = device === 'phone' && { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    return watchedPage(browser, { viewport: device === 'phone' ? PHONE : DESKTOP, userAgent, locale: 'zh-CN', ...phone });
  }

  /** Opens the order page and checks it speaks Chinese before the shopper pays. */
  async function openOrder(page: Page, orderUrl: string) {
    await page.goto(orderUrl);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#status-label').textContent()).toBe('待付款');
  }

  const statusBecomes = (page: Page, label: string) =>
    page.waitForFunction((expected) => (globalThis as unknown as PageGlobals).document.getElementById('status-label')?.textContent === expected, label, { timeout: 20_000, polling: 100 });

  /** Back on the order page after paying: it says paid, in Chinese. */
  async function paidOnOrderPage(page: Page, orderUrl: string, name: string) {
    if (page.url() !== orderUrl) await page.goto(orderUrl);
    await statusBecomes(page, PAID);
    await screenshot(page, `flow-${name}-paid-zh-CN`);
  }

  /**
   * The waiting order page in both languages on both sizes, as `customer-<flow>-<locale>-<device>.png`; the
   * page is left in Chinese at its first size.
   */
  async function screenshotMatrix(page: Page, orderUrl: string, flow: string, device: Device) {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        await page.setViewportSize(viewport);
        await page.goto(`${orderUrl}?lang=${locale}`);
        expect(await page.locator('html').getAttribute('lang')).toBe(locale);
        await screenshot(page, `customer-${flow}-${locale}-${size}`);
      }
    }
    await page.setViewportSize(device === 'phone' ? PHONE : DESKTOP);
    await page.goto(`${orderUrl}?lang=zh-CN`);
  }

  it('desktop, Alipay page pay: to Alipay’s cashier page and back, paid', { timeout: 60_000 }, async () => {
    const { payment, orderUrl } = await checkout('alipay', { payer: { userAgent: USER_AGENTS.desktop } });
    const { context, page, complaints } = await shopper('desktop', USER_AGENTS.desktop);
    try {
      await openOrder(page, orderUrl);
      await screenshotMatrix(page, orderUrl, 'page-pay-alipay', 'desktop');
      await page.getByRole('link', { name: PAY_NOW }).click();
      await page.waitForURL((url) => url.searchParams.get('method') === 'alipay.trade.page.pay');
      expect(await page.title()).toContain('收银台');
      await alipay.pay(toTradeNo(payment.id));
      await paidOnOrderPage(page, orderUrl, 'page-pay-alipay-desktop');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['desktop', 'alipay', { paymentFlow: 'qr_code' }, USER_AGENTS.desktop],
    ['phone', 'wechatpay', {}, USER_AGENTS.iphone],
  ] as const)('%s, %s QR code: the drawn code decodes to the gateway’s, paid by scanning it', { timeout: 60_000 }, async (device, gateway, body, userAgent) => {
    const { payment, orderUrl } = await checkout(gateway, body);
    expect(payment.action.type).toBe('qr_code');
    const { context, page, complaints } = await shopper(device, userAgent);
    try {
      await openOrder(page, orderUrl);
      if (gateway === 'wechatpay') await screenshotMatrix(page, orderUrl, 'qr-wechatpay', device);
      const code = await decodeQr(page.locator('.qr'), `flow-qr-${gateway}-${device}-code`);
      expect(code).toBe(payment.action.code);
      // The shopper scans it and pays in the gateway's app; the page follows by itself.
      if (gateway === 'wechatpay') wechat.scanAndPay(code!);
      else await alipay.pay(toTradeNo(payment.id));
      await paidOnOrderPage(page, orderUrl, `qr-${gateway}-${device}`);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['desktop', 'redirect', '07', USER_AGENTS.desktop, 'UnionPay (simulated)'],
    ['phone', 'mobile_web', '08', USER_AGENTS.android, 'UnionPay mobile (simulated)'],
  ] as const)('%s, UnionPay %s: the signed form posted to UnionPay’s page (channelType %s), paid there', { timeout: 60_000 }, async (device, flow, channelType, userAgent, heading) => {
    const { payment, orderUrl } = await checkout('unionpay', { payer: { userAgent } });
    expect(payment.action).toMatchObject({ type: 'form_post', fields: { channelType } });
    const { context, page, complaints } = await shopper(device, userAgent);
    try {
      await openOrder(page, orderUrl);
      await Promise.all([page.waitForURL((url) => url.pathname === '/gateway/api/frontTransReq.do'), page.getByRole('button', { name: PAY_NOW }).click()]);
      expect(await page.locator('h1').textContent()).toBe(heading);
      expect(unionpay.pay(payment.action.fields.orderId)).toBe('paid');
      await paidOnOrderPage(page, orderUrl, `unionpay-${flow}-${device}`);
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('desktop, Stripe Checkout: to the hosted page and back, paid', { timeout: 60_000 }, async () => {
    const { payment, orderUrl } = await checkout('stripe', { payer: { userAgent: USER_AGENTS.desktop } });
    const { context, page, complaints } = await shopper('desktop', USER_AGENTS.desktop);
    try {
      await openOrder(page, orderUrl);
      await Promise.all([page.waitForURL(payment.action.url), page.getByRole('link', { name: PAY_NOW }).click()]);
      expect(await page.locator('h1').textContent()).toBe('Stripe Checkout (simulated)');
      stripe.pay(payment.id);
      await paidOnOrderPage(page, orderUrl, 'stripe-redirect-desktop');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('desktop, the sandbox: its payment page in Chinese, paid there', { timeout: 60_000 }, async () => {
    const { orderUrl } = await checkout('sandbox');
    const { context, page, complaints } = await shopper('desktop', USER_AGENTS.desktop);
    try {
      await openOrder(page, orderUrl);
      await page.getByRole('link', { name: PAY_NOW }).click();
      await page.getByRole('button', { name: /^支付 ¥\d+\.\d\d$/ }).click();
      await page.waitForURL((url) => url.pathname === new URL(orderUrl).pathname);
      await paidOnOrderPage(page, orderUrl, 'sandbox-redirect-desktop');
      expect(complaints).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("phone (iPhone Safari), Alipay's WAP pay; back on the order page it turns paid", { timeout: 60_000 }, async () => {
    const { payment, orderUrl } = await checkout('alipay', { payer: { userAgent: USER_AGENTS.iphone } });
    const { context, page } = await shopper('phone', USER_AGENTS.iphone);
    try {
      await openOrder(page, orderUrl);
      await screenshotMatrix(page, orderUrl, 'wap-alipay', 'phone');
      await page.getByRole('link', { name: PAY_NOW }).click();
      await page.waitForURL((url) => url.searchParams.get('method') === 'alipay.trade.wap.pay');
      expect(await page.title()).toContain('收银台');
      await alipay.pay(toTradeNo(payment.id));
      await paidOnOrderPage(page, orderUrl, 'wap-alipay-phone');
    } finally {
      await context.close();
    }
  });

  it("phone (Android Chrome), WeChat Pay's H5 page, which sends the shopper back to the order page, paid", { timeout: 60_000 }, async () => {
    // The storefront saw the shopper at 127.0.0.1, where the test's browser is.
    const { payment, orderUrl } = await checkout('wechatpay', { payer: { userAgent: USER_AGENTS.android, clientIp: '127.0.0.1' } });
    expect(payment.action.type).toBe('redirect');
    const { context, page } = await shopper('phone', USER_AGENTS.android);
    try {
      await openOrder(page, orderUrl);
      await screenshotMatrix(page, orderUrl, 'h5-wechatpay', 'phone');
      await page.getByRole('link', { name: PAY_NOW }).click();
      await page.waitForURL((url) => url.pathname === '/cgi-bin/mmpayweb-bin/checkmweb');
      expect(await page.textContent('body')).toContain('微信支付');
      const { redirectUrl } = wechat.payOnH5Page(page.url(), '127.0.0.1');
      expect(redirectUrl).toBe(orderUrl);
      await page.goto(redirectUrl!);
      await paidOnOrderPage(page, orderUrl, 'h5-wechatpay-phone');
    } finally {
      await context.close();
    }
  });

  it("phone, WeChat's browser: the page calls WeixinJSBridge with the signed JSAPI parameters; WeChat Pay takes them and the page turns paid", { timeout: 60_000 }, async () => {
    const { payment, orderUrl } = await checkout('wechatpay', { payer: { userAgent: USER_AGENTS.wechat, openid: OPENID } });
    expect(payment.action.type).toBe('wechat_jsapi');
    const { context, page } = await shopper('phone', USER_AGENTS.wechat);
    try {
      // WeChat's payment sheet, played by the simulator for the shopper's openid.
      await page.exposeFunction('payInWechat', (request: WechatPayRequest) => wechat.payInWechat(request, OPENID));
      // WeChat injects its bridge after the page loads and then fires WeixinJSBridgeReady; so does the stub.
      await page.addInitScript({
        content: `
          window.__bridgeCalls = [];
          window.addEventListener('load', function () {
            window.WeixinJSBridge = {
              invoke: function (name, request, callback) {
                window.__bridgeCalls.push({ name: name, request: request });
                window.payInWechat(request).then(function (errMsg) { callback({ err_msg: errMsg }); });
              },
            };
            document.dispatchEvent(new Event('WeixinJSBridgeReady'));
          });`,
      });
      await page.goto(orderUrl);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await statusBecomes(page, PAID);
      const calls = await page.evaluate(() => (globalThis as unknown as PageGlobals).__bridgeCalls!);
      expect(calls).toHaveLength(1);
      const [{ name, request }] = calls as [{ name: string; request: WechatPayRequest }];
      expect(name).toBe('getBrandWCPayRequest');
      expect(request).toEqual(payment.action.payRequest);
      expect(request.package).toBe(`prepay_id=${wechat.payment(toTradeNo(payment.id))!.prepay_id}`);
      const signed = `${request.appId}\n${request.timeStamp}\n${request.nonceStr}\n${request.package}\n`;
      expect(createVerify('RSA-SHA256').update(signed).verify(wechat.merchantPublicKey, request.paySign, 'base64')).toBe(true);
      await screenshot(page, 'flow-jsapi-wechatpay-paid-zh-CN');
    } finally {
      await context.close();
    }
  });

  it('a JSAPI order opened outside WeChat shows the code that opens the page in WeChat, and no bridge button', { timeout: 60_000 }, async () => {
    const { orderUrl } = await checkout('wechatpay', { payer: { userAgent: USER_AGENTS.wechat, openid: OPENID } });
    const { context, page } = await shopper('phone', USER_AGENTS.iphone);
    try {
      await openOrder(page, orderUrl);
      // A drawn code that WeChat's scanner opens as this very page.
      expect(await decodeQr(page.locator('.wechat-elsewhere .qr'), 'phone-jsapi-outside-wechat-qr')).toBe(orderUrl);
      expect(await page.locator('.wechat-elsewhere').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: /微信支付/ }).isVisible()).toBe(false);
      await screenshotMatrix(page, orderUrl, 'jsapi-wechatpay', 'phone');
    } finally {
      await context.close();
    }
  });
});
