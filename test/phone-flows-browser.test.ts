// The shopper on a phone, in headless Chromium with a phone viewport and a phone's User-Agent: the storefront
// forwards the User-Agent at checkout and Paystead picks the flow; the shopper pays on the gateway's phone
// page (iPhone Safari: Alipay WAP pay; Android Chrome: WeChat Pay H5 pay) or, in WeChat's browser, in
// WeChat's payment sheet through a stub `WeixinJSBridge` the test injects; the order page turns paid live.
import { createVerify } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatPayRequest } from '../domain/order.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { decodeQr, launchBrowser, screenshot } from './support/browser.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { USER_AGENTS } from './support/user-agents.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

/** What the callbacks run inside Chromium use of its globals (the project compiles without the DOM library). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
  /** What the stub bridge was asked. */
  __bridgeCalls?: Array<{ name: string; request: WechatPayRequest }>;
}

const PHONE = { width: 390, height: 844 };
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

describe('paying on a phone (real stack, headless Chromium)', () => {
  let alipay: AlipaySimulator;
  let wechat: WechatPaySimulator;
  let stack: Stack;
  let merchant: Merchant;
  let browser: Browser;

  beforeAll(async () => {
    [alipay, wechat] = await Promise.all([startAlipaySimulator(), startWechatPaySimulator()]);
    stack = await startStack({ ALIPAY_GATEWAY_URL: alipay.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: alipay.gatewayUrl, WECHATPAY_BASE_URL: wechat.url, WECHATPAY_TEST_BASE_URL: wechat.url });
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { paymentCheckIntervalSeconds: 30 } });
    await stack.setCredentials(merchant, 'alipay', alipay.merchantCredentials());
    await stack.setCredentials(merchant, 'wechatpay', wechat.merchantCredentials());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await Promise.all([alipay?.stop(), wechat?.stop()]);
  });

  /** The storefront's checkout, forwarding what it knows of the shopper. */
  async function checkout(paymentMethod: string, payer: Record<string, string>) {
    const response = await stack.checkout(merchant, { paymentMethod, body: { payer } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string }; payment: { id: string; action: any }; orderUrl: string };
  }

  async function phone(userAgent: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: PHONE, userAgent, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    return { context, page: await context.newPage() };
  }

  const statusBecomes = (page: Page, label: string) =>
    page.waitForFunction((expected) => (globalThis as unknown as PageGlobals).document.getElementById('status-label')?.textContent === expected, label, { timeout: 20_000, polling: 100 });

  it("iPhone Safari: Alipay's WAP pay; back on the order page it turns paid", async () => {
    const { payment, orderUrl } = await checkout('alipay', { userAgent: USER_AGENTS.iphone });
    const { context, page } = await phone(USER_AGENTS.iphone);
    try {
      await page.goto(orderUrl);
      await screenshot(page, 'phone-iphone-alipay-wap');
      await page.getByRole('link', { name: 'Pay now' }).click();
      await page.waitForURL((url) => url.searchParams.get('method') === 'alipay.trade.wap.pay');
      expect(await page.title()).toContain('收银台');
      await alipay.pay(toTradeNo(payment.id));
      await page.goto(orderUrl);
      await statusBecomes(page, 'Paid');
      await screenshot(page, 'phone-iphone-alipay-paid');
    } finally {
      await context.close();
    }
  });

  it("Android Chrome: WeChat Pay's H5 page, which sends the shopper back to the order page, paid", async () => {
    // The storefront saw the shopper at 127.0.0.1, where the test's browser is.
    const { payment, orderUrl } = await checkout('wechatpay', { userAgent: USER_AGENTS.android, clientIp: '127.0.0.1' });
    expect(payment.action.type).toBe('redirect');
    const { context, page } = await phone(USER_AGENTS.android);
    try {
      await page.goto(orderUrl);
      await screenshot(page, 'phone-android-wechatpay-h5');
      await page.getByRole('link', { name: 'Pay now' }).click();
      await page.waitForURL((url) => url.pathname === '/cgi-bin/mmpayweb-bin/checkmweb');
      expect(await page.textContent('body')).toContain('微信支付');
      const { redirectUrl } = wechat.payOnH5Page(page.url(), '127.0.0.1');
      expect(redirectUrl).toBe(orderUrl);
      await page.goto(redirectUrl!);
      await statusBecomes(page, 'Paid');
      await screenshot(page, 'phone-android-wechatpay-paid');
    } finally {
      await context.close();
    }
  });

  it("WeChat's browser: the page calls WeixinJSBridge with the signed JSAPI parameters; WeChat Pay takes them and the page turns paid", async () => {
    const { payment, orderUrl } = await checkout('wechatpay', { userAgent: USER_AGENTS.wechat, openid: OPENID });
    expect(payment.action.type).toBe('wechat_jsapi');
    const { context, page } = await phone(USER_AGENTS.wechat);
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
      await statusBecomes(page, 'Paid');
      const calls = await page.evaluate(() => (globalThis as unknown as PageGlobals).__bridgeCalls!);
      expect(calls).toHaveLength(1);
      const [{ name, request }] = calls as [{ name: string; request: WechatPayRequest }];
      expect(name).toBe('getBrandWCPayRequest');
      expect(request).toEqual(payment.action.payRequest);
      expect(request.package).toBe(`prepay_id=${wechat.payment(toTradeNo(payment.id))!.prepay_id}`);
      const signed = `${request.appId}\n${request.timeStamp}\n${request.nonceStr}\n${request.package}\n`;
      expect(createVerify('RSA-SHA256').update(signed).verify(wechat.merchantPublicKey, request.paySign, 'base64')).toBe(true);
      await screenshot(page, 'phone-wechat-jsapi-paid');
    } finally {
      await context.close();
    }
  });

  it('a JSAPI order opened outside WeChat shows the code that opens the page in WeChat, and no bridge button', async () => {
    const { orderUrl } = await checkout('wechatpay', { userAgent: USER_AGENTS.wechat, openid: OPENID });
    const { context, page } = await phone(USER_AGENTS.iphone);
    try {
      await page.goto(orderUrl);
      // A drawn code that WeChat's scanner opens as this very page.
      expect(await decodeQr(page.locator('.wechat-elsewhere .qr'), 'phone-jsapi-outside-wechat-qr')).toBe(orderUrl);
      expect(await page.locator('.wechat-elsewhere').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: /with WeChat Pay/ }).isVisible()).toBe(false);
      await screenshot(page, 'phone-jsapi-outside-wechat');
    } finally {
      await context.close();
    }
  });
});
