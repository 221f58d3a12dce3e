// What the shop page in WeChat's browser needs to open WeChat Pay's payment sheet for a JSAPI prepay:
// `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`'s parameters, signed as WeChat Pay documents it (SHA256
// with RSA, by the merchant's API private key, over appId, timeStamp, nonceStr and package, each followed by
// a line feed), with the API library's own helpers.
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import type { WechatPayRequest } from '../../domain/order.js';
import type { WechatPayMerchant } from './merchant.js';

export function jsapiPayRequest(merchant: Pick<WechatPayMerchant, 'appId' | 'privateKey'>, prepayId: string, now: Date): WechatPayRequest {
  const appId = merchant.appId;
  const timeStamp = String(Math.floor(now.getTime() / 1000));
  const nonceStr = Formatter.nonce();
  const prepay = `prepay_id=${prepayId}`;
  const paySign = Rsa.sign(Formatter.joinedByLineFeed(appId, timeStamp, nonceStr, prepay), merchant.privateKey);
  return { appId, timeStamp, nonceStr, package: prepay, signType: 'RSA', paySign };
}

/** H5 pay's `h5_url`, bringing the shopper back to `returnUrl` once WeChat Pay is done (URL-encoded, as documented). */
export function h5RedirectUrl(h5Url: string, returnUrl: string): string {
  return returnUrl ? `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(returnUrl)}` : h5Url;
}
