// WeChat Pay's JSAPI flow on the order page. Inside WeChat's browser the page's script hands the signed
// parameters to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, which opens WeChat's payment sheet, as
// soon as the bridge is ready and again on "Pay"; the order then follows the payment live like any other.
// Anywhere else (no bridge, or no script) the page shows a code to scan with WeChat, which opens this same
// page in WeChat. Not a Native code: WeChat Pay takes one trade type per out_trade_no, so a JSAPI payment
// cannot also be scanned (and two payments could both be paid).
import type { Words } from '../../core/i18n/messages.js';
import type { GatewayName } from '../../domain/gateways.js';
import type { WechatPayRequest } from '../../domain/order.js';
import { PaymentQr } from '../shared/qr-code.js';

interface JsapiPayment {
  id: string;
  gateway: GatewayName;
  expiresAt: string | null;
}

export function WechatPayAction({ payment, payRequest, total, merchantName, pageUrl, w }: { payment: JsapiPayment; payRequest: WechatPayRequest; total: string; merchantName: string; pageUrl: string | undefined; w: Words }) {
  return (
    <div class="wechat-pay" data-wechat-pay={JSON.stringify(payRequest)} data-ok={w.t('wechat.ok')} data-cancel={w.t('wechat.cancel')} data-fail={w.t('wechat.fail')}>
      <p class="wechat-in-app">
        <button type="button" class="pay-now" data-wechat-pay-button>
          {w.t('wechat.pay', { amount: total })}
        </button>
      </p>
      <p class="wechat-result" role="status" aria-live="polite"></p>
      <div class="wechat-elsewhere">
        <p>{w.t('wechat.elsewhere', { amount: total })}</p>
        {pageUrl && <PaymentQr code={pageUrl} amount={total} merchantName={merchantName} gateway={payment.gateway} expiresAt={payment.expiresAt} id={payment.id} words={w} />}
      </div>
    </div>
  );
}

/** Shows the button or the code, whichever fits, also in fragments swapped in later (by a class on `<html>`). */
export const WECHAT_PAY_STYLE = `
.wechat-in-app{display:none}
.wechat-bridge .wechat-in-app{display:block}
.wechat-bridge .wechat-elsewhere{display:none}
`;

export const WECHAT_PAY_SCRIPT = `
(function () {
  'use strict';
  var box = function () { return document.querySelector('[data-wechat-pay]'); };
  function pay() {
    var el = box();
    if (!el || !window.WeixinJSBridge) return;
    var request = JSON.parse(el.getAttribute('data-wechat-pay'));
    window.WeixinJSBridge.invoke('getBrandWCPayRequest', request, function (res) {
      var answer = String(res && res.err_msg || '').split(':')[1];
      var word = el.getAttribute('data-' + (answer === 'ok' || answer === 'cancel' ? answer : 'fail'));
      var status = el.querySelector('.wechat-result');
      if (status) status.textContent = word;
    });
  }
  function ready() {
    document.documentElement.classList.add('wechat-bridge');
    pay();
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target && target.closest && target.closest('[data-wechat-pay-button]')) { event.preventDefault(); pay(); }
  });
  if (window.WeixinJSBridge) ready();
  else document.addEventListener('WeixinJSBridgeReady', ready, false);
})();
`;
