// WeChat Pay's JSAPI flow on the order page. Inside WeChat's browser the page's script hands the signed
// parameters to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`, which opens WeChat's payment sheet, as
// soon as the bridge is ready and again on "Pay"; the order then follows the payment live like any other.
// Anywhere else (no bridge, or no script) the page shows a code to scan with WeChat, which opens this same
// page in WeChat. Not a Native code: WeChat Pay takes one trade type per out_trade_no, so a JSAPI payment
// cannot also be scanned (and two payments could both be paid).
import type { WechatPayRequest } from '../../domain/order.js';

/** The bridge's answers the page tells the shopper about; anything else is a failure. */
const RESULT_WORDS = {
  ok: 'Payment sent. This page changes to paid as soon as WeChat Pay confirms it.',
  cancel: 'You closed WeChat Pay without paying. Tap the button to try again.',
  fail: 'WeChat Pay could not open the payment. Tap the button to try again, or scan the code from another device.',
};

export function WechatPayAction({ payRequest, total, pageUrl }: { payRequest: WechatPayRequest; total: string; pageUrl: string | undefined }) {
  return (
    <div class="wechat-pay" data-wechat-pay={JSON.stringify(payRequest)} data-ok={RESULT_WORDS.ok} data-cancel={RESULT_WORDS.cancel} data-fail={RESULT_WORDS.fail}>
      <p class="wechat-in-app">
        <button type="button" class="pay-now" data-wechat-pay-button>
          Pay {total} with WeChat Pay
        </button>
      </p>
      <p class="wechat-result" role="status" aria-live="polite"></p>
      <div class="wechat-elsewhere">
        <p>This payment is made in WeChat. Scan this code with WeChat to open this page there, then pay {total}:</p>
        {pageUrl && <p class="card mono qr-code">{pageUrl}</p>}
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
