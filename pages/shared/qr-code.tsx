// A payment code drawn as a QR code for the shopper's phone: inline SVG made on the server by `qrcode` (no
// image request, no script, nothing the pages' CSP has to allow), with what the shopper checks before
// scanning: the amount, who is paid, through which gateway, and the time left to pay. The code's text
// stays available, folded away, for paying from the same computer.
import { raw } from 'hono/html';
import QRCode from 'qrcode';
import type { Words } from '../../core/i18n/messages.js';
import type { GatewayName } from '../../domain/gateways.js';
import { Message } from '../i18n/message.js';

/** Medium error correction and the standard quiet zone of 4 modules, which scanners need to find the code. */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4 } as const;

/** The code as an `<svg>` element: path data and two colours only, never the code's text itself. */
export function qrSvg(code: string): Promise<string> {
  return QRCode.toString(code, QR_OPTIONS);
}

/** `ms` left as `m:ss`, or `h:mm:ss` from an hour up; the page's script counts down in the same format. */
export function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${hours > 0 ? `${hours}:${pad(minutes)}` : minutes}:${pad(seconds % 60)}`;
}

export interface PaymentQrProps {
  /** The gateway's code, exactly as it gave it (`weixin://wxpay/bizpayurl?…`, `https://qr.alipay.com/…`). */
  code: string;
  /** The amount to pay, formatted. */
  amount: string;
  merchantName: string;
  gateway: GatewayName;
  /** The payment's deadline (ISO), when it has one. */
  expiresAt: string | null;
  /** Tells apart the ids of several codes on one page. */
  id: string;
  words: Words;
  now?: number;
}

/** The time left to pay, counted down by `QR_SCRIPT`; without script, as it was when the page was made. */
function Countdown({ deadline, now, words }: { deadline: string; now: number; words: Words }) {
  const left = new Date(deadline).getTime() - now;
  const timeUp = words.t('qr.time_up');
  return (
    <p class="qr-deadline">
      {words.t('qr.time_left')}{' '}
      <strong class="countdown" role="timer" data-deadline={new Date(deadline).toISOString()} data-passed={timeUp}>
        {left > 0 ? timeLeft(left) : timeUp}
      </strong>{' '}
      <span class="hint">{words.t('qr.until', { deadline: words.dateTime(deadline) })}</span>
    </p>
  );
}

/** The QR with its caption; `.qr` holds the SVG alone (what a scanner, or a test, reads). */
export async function PaymentQr({ code, amount, merchantName, gateway, expiresAt, id, words, now = Date.now() }: PaymentQrProps) {
  const svg = await qrSvg(code);
  const label = words.t(`gateway.${gateway}`);
  const field = `qr-text-${id}`;
  return (
    <figure class="qr-pay" data-gateway={gateway}>
      <div class="qr" role="img" aria-label={words.t('qr.label', { amount, merchant: merchantName, gateway: label })}>
        {raw(svg)}
      </div>
      <figcaption>
        <p class="qr-amount amount">{amount}</p>
        <p>
          <Message words={words} id="qr.to" params={{ merchant: <strong>{merchantName}</strong>, gateway: <strong class="qr-gateway">{label}</strong> }} />
        </p>
        {expiresAt && <Countdown deadline={expiresAt} now={now} words={words} />}
      </figcaption>
      <details class="qr-text">
        <summary>{words.t('qr.as_text')}</summary>
        <label class="visually-hidden" for={field}>
          {words.t('qr.code')}
        </label>
        <input id={field} class="mono" type="text" readonly value={code} />{' '}
        <button type="button" class="secondary" data-copy={field} data-copied={words.t('qr.copied')} hidden>
          {words.t('qr.copy')}
        </button>
      </details>
    </figure>
  );
}

/** Styles for the above, part of the pages' one stylesheet. */
export const QR_CSS = `
.qr-pay{display:grid;gap:.5rem;justify-items:center;text-align:center;margin:0 0 1rem}
.qr{width:min(16rem,100%);background:#fff}
.qr svg{display:block;width:100%;height:auto}
.qr-pay figcaption p{margin:.25rem 0}
.qr-amount{font-size:1.5rem;font-weight:700}
.qr-text{font-size:.875rem;width:min(32rem,100%)}
.qr-text input{width:calc(100% - 5rem)}
`;

/**
 * Counts every `[data-deadline]` down each second (the same format as `timeLeft`) and offers the copy
 * buttons where the clipboard can be written. Reads the document each time, so swapped-in fragments count
 * too; writes text only. Part of each page's nonce'd script.
 */
export const QR_SCRIPT = `
(function () {
  'use strict';
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function timeLeft(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    return (h > 0 ? h + ':' + pad(m) : String(m)) + ':' + pad(s % 60);
  }
  var canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);
  function tick() {
    var timers = document.querySelectorAll('[data-deadline]');
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      var left = Date.parse(t.getAttribute('data-deadline')) - Date.now();
      if (isNaN(left)) continue;
      var text = left > 0 ? timeLeft(left) : t.getAttribute('data-passed');
      if (t.textContent !== text) t.textContent = text;
    }
    if (!canCopy) return;
    var buttons = document.querySelectorAll('button[data-copy][hidden]');
    for (var j = 0; j < buttons.length; j++) buttons[j].hidden = false;
  }
  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('button[data-copy]') : null;
    var field = button && document.getElementById(button.getAttribute('data-copy'));
    if (!field || !canCopy) return;
    navigator.clipboard.writeText(field.value).then(function () { button.textContent = button.getAttribute('data-copied'); }, function () { field.select(); });
  });
  tick();
  setInterval(tick, 1000);
})();
`;
