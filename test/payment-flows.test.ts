// Payment flows by device, end to end: checkout with each flow of each gateway (Alipay WAP pay, WeChat Pay
// H5 and JSAPI pay, UnionPay's phone channel), the gateway's simulator checking the request as documented,
// the shopper paying there, the order becoming paid; and the flow chosen from the shopper's device.
import { createVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceOf, flowForDevice } from '../domain/payment-flows.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { startAlipaySimulator, type AlipaySimulator } from './simulators/alipay/simulator.js';
import { startUnionPaySimulator, type UnionPaySimulator } from './simulators/unionpay/simulator.js';
import { startWechatPaySimulator, type WechatPaySimulator } from './simulators/wechatpay/simulator.js';
import { startStack, type Merchant, type Stack } from './support/stack.js';
import { USER_AGENTS } from './support/user-agents.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are JSON checked by the assertions */

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const SHOPPER_IP = '203.0.113.7';

describe('the flow for a device', () => {
  it('reads the device from the User-Agent', () => {
    expect(deviceOf(USER_AGENTS.desktop)).toBe('desktop');
    expect(deviceOf(USER_AGENTS.iphone)).toBe('phone');
    expect(deviceOf(USER_AGENTS.android)).toBe('phone');
    expect(deviceOf(USER_AGENTS.wechat)).toBe('wechat');
    expect(deviceOf('')).toBe('desktop');
  });

  it('desktop: page pay or QR; phone: WAP/H5; WeChat: JSAPI with an openid, else the QR code', () => {
    expect(flowForDevice('alipay', 'desktop', undefined)).toBe('redirect');
    expect(flowForDevice('wechatpay', 'desktop', undefined)).toBe('qr_code');
    expect(flowForDevice('unionpay', 'desktop', undefined)).toBe('redirect');
    expect(flowForDevice('alipay', 'phone', undefined)).toBe('mobile_web');
    expect(flowForDevice('unionpay', 'phone', undefined)).toBe('mobile_web');
    expect(flowForDevice('wechatpay', 'phone', { clientIp: SHOPPER_IP })).toBe('mobile_web');
    // H5 pay needs the shopper's address; without it, the code.
    expect(flowForDevice('wechatpay', 'phone', undefined)).toBe('qr_code');
    expect(flowForDevice('wechatpay', 'wechat', { openid: OPENID })).toBe('in_app');
    expect(flowForDevice('wechatpay', 'wechat', { clientIp: SHOPPER_IP })).toBe('qr_code');
    expect(flowForDevice('stripe', 'phone', undefined)).toBe('redirect');
    expect(flowForDevice('unionpay', 'wechat', undefined)).toBe('redirect');
  });
});

describe('payment flows by device through the order workflow', () => {
  let alipay: AlipaySimulator;
  let wechat: WechatPaySimulator;
  let unionpay: UnionPaySimulator;
  let stack: Stack;
  let merchant: Merchant;

  beforeAll(async () => {
    [alipay, wechat, unionpay] = await Promise.all([startAlipaySimulator({ retryDelaysMs: [100, 200] }), startWechatPaySimulator(), startUnionPaySimulator()]);
    stack = await startStack({ ALIPAY_GATEWAY_URL: alipay.gatewayUrl, ALIPAY_SANDBOX_GATEWAY_URL: alipay.gatewayUrl, WECHATPAY_BASE_URL: wechat.url, WECHATPAY_TEST_BASE_URL: wechat.url, UNIONPAY_BASE_URL: unionpay.baseUrl, UNIONPAY_TEST_BASE_URL: unionpay.baseUrl });
    await stack.startWorker();
    merchant = await stack.createMerchant({ settings: { paymentCheckIntervalSeconds: 30 } });
    await stack.setCredentials(merchant, 'alipay', alipay.merchantCredentials());
    await stack.setCredentials(merchant, 'wechatpay', wechat.merchantCredentials());
    await stack.setCredentials(merchant, 'unionpay', unionpay.merchantCredentials());
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([alipay?.stop(), wechat?.stop(), unionpay?.close()]);
  });

  async function checkout(paymentMethod: string, body: Record<string, unknown>) {
    const response = await stack.checkout(merchant, { paymentMethod, body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { order: { id: string; total: number }; payment: { id: string; action: any }; orderUrl: string };
  }

  const paid = (orderId: string) => stack.waitForOrder(merchant, orderId, (o) => o.status === 'paid');

  it('Alipay mobile_web: a signed WAP-pay link (QUICK_WAP_WAY, quit_url) that Alipay opens on the phone; paid there', async () => {
    const { order, payment, orderUrl } = await checkout('alipay', { paymentFlow: 'mobile_web' });
    expect(payment.action.type).toBe('redirect');
    const link = new URL(payment.action.url);
    expect(link.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(link.searchParams.get('return_url')).toBe(orderUrl);
    const biz = JSON.parse(link.searchParams.get('biz_content')!);
    expect(biz).toMatchObject({ out_trade_no: toTradeNo(payment.id), product_code: 'QUICK_WAP_WAY', quit_url: orderUrl });
    expect(await (await fetch(payment.action.url)).text()).toContain('收银台');
    expect(alipay.calls.at(-1)).toMatchObject({ method: 'alipay.trade.wap.pay' });
    expect(alipay.calls.at(-1)!.refused).toBeUndefined();
    await alipay.pay(toTradeNo(payment.id));
    expect((await paid(order.id)).paidAmount).toBe(order.total);
  });

  it("Alipay's simulator refuses a WAP-pay link without quit_url or with page pay's product code, as Alipay does", async () => {
    const { AlipaySdk } = await import('alipay-sdk');
    const credentials = alipay.merchantCredentials();
    const sdk = new AlipaySdk({ appId: credentials.appId, privateKey: credentials.privateKey, alipayPublicKey: credentials.alipayPublicKey, gateway: alipay.gatewayUrl, camelcase: false });
    const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date());
    const link = (biz: Record<string, unknown>) => sdk.pageExec('alipay.trade.wap.pay', 'GET', { timestamp: stamp, bizContent: { out_trade_no: `T${Date.now()}`, total_amount: '1.00', subject: 'tea', ...biz } });
    expect(await (await fetch(link({ product_code: 'QUICK_WAP_WAY' }))).text()).toContain('isv.missing-quit-url');
    expect(await (await fetch(link({ product_code: 'FAST_INSTANT_TRADE_PAY', quit_url: 'https://shop.example/' }))).text()).toContain('ACQ.INVALID_PARAMETER');
    expect(await (await fetch(link({ product_code: 'QUICK_WAP_WAY', quit_url: 'https://shop.example/' }))).text()).toContain('收银台');
  });

  it("WeChat Pay mobile_web: H5 pay with the shopper's address and h5_info; h5_url comes back with redirect_url, paid on WeChat Pay's page", async () => {
    const { order, payment, orderUrl } = await checkout('wechatpay', { paymentFlow: 'mobile_web', payer: { clientIp: SHOPPER_IP } });
    expect(payment.action.type).toBe('redirect');
    const stored = wechat.payment(toTradeNo(payment.id))!;
    expect(stored).toMatchObject({ trade_type: 'MWEB', payer_client_ip: SHOPPER_IP });
    expect(payment.action.url).toBe(`${stored.h5_url}&redirect_url=${encodeURIComponent(orderUrl)}`);
    expect(wechat.calls).toContainEqual({ method: 'POST', path: '/v3/pay/transactions/h5', operation: 'h5', status: 200 });
    // Opened from another network than the order names, WeChat Pay's page refuses.
    expect(() => wechat.payOnH5Page(payment.action.url, '198.51.100.1')).toThrow(/payer_client_ip/);
    expect(wechat.payOnH5Page(payment.action.url, SHOPPER_IP)).toEqual({ redirectUrl: orderUrl });
    expect((await paid(order.id)).payments[0]).toMatchObject({ status: 'succeeded', gatewayReference: wechat.payment(toTradeNo(payment.id))!.transaction_id });
  });

  it("WeChat Pay in_app: JSAPI pay for the storefront's openid; the action carries the bridge's parameters, signed with the merchant's key", async () => {
    const { order, payment } = await checkout('wechatpay', { paymentFlow: 'in_app', payer: { openid: OPENID } });
    expect(payment.action.type).toBe('wechat_jsapi');
    const stored = wechat.payment(toTradeNo(payment.id))!;
    expect(stored).toMatchObject({ trade_type: 'JSAPI', openid: OPENID });
    const { payRequest } = payment.action;
    expect(payRequest).toEqual({
      appId: wechat.merchantCredentials().appId,
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.stringMatching(/^[0-9A-Za-z]{32}$/),
      package: `prepay_id=${stored.prepay_id}`,
      signType: 'RSA',
      paySign: expect.any(String),
    });
    const message = `${payRequest.appId}\n${payRequest.timeStamp}\n${payRequest.nonceStr}\n${payRequest.package}\n`;
    expect(createVerify('RSA-SHA256').update(message).verify(wechat.merchantPublicKey, payRequest.paySign, 'base64')).toBe(true);
    // Another WeChat user cannot pay the shopper's prepay; a changed parameter breaks the signature.
    expect(wechat.payInWechat(payRequest, 'oSomeoneElse')).toBe('get_brand_wcpay_request:fail');
    expect(wechat.payInWechat({ ...payRequest, timeStamp: String(Number(payRequest.timeStamp) + 1) }, OPENID)).toBe('get_brand_wcpay_request:fail');
    expect(wechat.payInWechat(payRequest, OPENID)).toBe('get_brand_wcpay_request:ok');
    expect((await paid(order.id)).paidAmount).toBe(order.total);
  });

  it("WeChat Pay's simulator refuses H5 pay without scene_info and JSAPI without payer, as WeChat Pay does", async () => {
    const before = wechat.calls.length;
    // Through checkout these never reach WeChat Pay (422 first); the simulator's own checks, straight from the adapter.
    const { createWechatPayAdapter } = await import('../gateways/wechatpay/adapter.js');
    const adapter = createWechatPayAdapter({ baseUrl: wechat.url });
    const ctx = { merchantId: merchant.merchantId, mode: 'test' as const, credentials: wechat.merchantCredentials(), notifyUrl: 'https://shop.example/notify' };
    const request = { paymentId: `pay_${Date.now()}x`, orderNo: 'PS1', amount: 100, currency: 'CNY', description: 'tea', returnUrl: 'https://shop.example/o/1', expiresAt: new Date(Date.now() + 600_000).toISOString(), createdAt: new Date().toISOString() };
    await expect(adapter.createPayment(ctx, { ...request, flow: 'mobile_web' })).rejects.toThrow(/400 PARAM_ERROR.*payer_client_ip/);
    await expect(adapter.createPayment(ctx, { ...request, flow: 'in_app' })).rejects.toThrow(/400 PARAM_ERROR.*openid/);
    // One out_trade_no is one trade type: the Native order cannot become a JSAPI one.
    await adapter.createPayment(ctx, { ...request, flow: 'qr_code' });
    await expect(adapter.createPayment(ctx, { ...request, flow: 'in_app', payer: { openid: OPENID } })).rejects.toThrow(/OUT_TRADE_NO_USED/);
    expect(wechat.calls.slice(before).map((c) => c.status)).toEqual([400, 400, 200, 400]);
  });

  it("UnionPay mobile_web: the same signed front-consume form with channelType 08, for UnionPay's phone page; paid there", async () => {
    const { order, payment } = await checkout('unionpay', { paymentFlow: 'mobile_web' });
    expect(payment.action).toMatchObject({ type: 'form_post', fields: { channelType: '08', txnType: '01', bizType: '000201' } });
    const page = await fetch(payment.action.url, { method: 'POST', body: new URLSearchParams(payment.action.fields) });
    expect(await page.text()).toContain('UnionPay mobile');
    const orderId: string = payment.action.fields.orderId;
    expect(unionpay.received('front', orderId).at(-1)?.respCode).toBe('00');
    // Another channel is not the gateway payment product's.
    const other = await fetch(payment.action.url, { method: 'POST', body: new URLSearchParams({ ...payment.action.fields, channelType: '09' }) });
    expect(await other.text()).toMatch(/11 验证签名失败|10 报文格式错误/);
    expect(unionpay.pay(orderId)).toBe('paid');
    expect((await paid(order.id)).paidAmount).toBe(order.total);
  });

  it('chooses the flow from payer.userAgent when the storefront names none', async () => {
    const flowOf = async (paymentMethod: string, payer: Record<string, string>) => (await checkout(paymentMethod, { payer })).payment.action;
    expect(new URL((await flowOf('alipay', { userAgent: USER_AGENTS.iphone })).url).searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(new URL((await flowOf('alipay', { userAgent: USER_AGENTS.desktop })).url).searchParams.get('method')).toBe('alipay.trade.page.pay');
    expect((await flowOf('wechatpay', { userAgent: USER_AGENTS.android, clientIp: SHOPPER_IP })).url).toContain('/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=');
    expect((await flowOf('wechatpay', { userAgent: USER_AGENTS.wechat, openid: OPENID })).type).toBe('wechat_jsapi');
    expect((await flowOf('wechatpay', { userAgent: USER_AGENTS.wechat })).type).toBe('qr_code');
    expect((await flowOf('unionpay', { userAgent: USER_AGENTS.android })).fields.channelType).toBe('08');
  });

  it('refuses a flow the gateway lacks (naming those it has) and a flow without what it needs of the payer, with 422', async () => {
    const refused = (paymentMethod: string, body: Record<string, unknown>) => stack.checkout(merchant, { paymentMethod, body });
    const lacking = await refused('alipay', { paymentFlow: 'in_app' });
    expect(lacking.status).toBe(422);
    expect(lacking.body.error).toMatchObject({ code: 'payment_flow_not_supported', message: 'alipay has no in_app payment flow; it supports redirect, qr_code, mobile_web.' });
    // WeChat Pay has no desktop page: before, this silently became a QR code.
    expect((await refused('wechatpay', { paymentFlow: 'redirect' })).body.error.code).toBe('payment_flow_not_supported');
    expect((await refused('sandbox', { paymentFlow: 'mobile_web' })).body.error.code).toBe('payment_flow_not_supported');
    const jsapi = await refused('wechatpay', { paymentFlow: 'in_app' });
    expect(jsapi.status).toBe(422);
    expect(jsapi.body.error).toMatchObject({ code: 'payer_details_required', message: "wechatpay's in_app payment flow needs payer.openid." });
    expect((await refused('wechatpay', { paymentFlow: 'mobile_web', payer: { openid: OPENID } })).body.error.message).toContain('payer.clientIp');
    // A malformed payer is a malformed request.
    expect((await refused('wechatpay', { paymentFlow: 'mobile_web', payer: { clientIp: 'not-an-address' } })).status).toBe(400);
    expect((await refused('wechatpay', { paymentFlow: 'in_app', payer: { openid: OPENID, unknown: 1 } })).status).toBe(400);
  });
});
