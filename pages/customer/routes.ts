// The customer's order page, `/o/{viewToken}`: the link the checkout returns as `orderUrl` and the default
// gateway return URL. Authorised by its unguessable token alone (no login); everything under it is
// no-store, no-referrer, framed by no one, and its one inline script runs under a per-response CSP nonce.
//
//   GET  /o/:token            the page (a wrong token: a plain 404 that says nothing about any order)
//   GET  /o/:token/fragment   the page's live part (`#order-live`), swapped in by the page's script
//   GET  /o/:token/events     Server-Sent Events: `order` with the projection version whenever it changes
//   POST /o/:token/refunds    the refund form (anti-forgery token required), then 303 back to the page
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../../core/errors.js';
import type { PagesDeps } from '../index.js';
import { findOrderRef, loadCustomerOrder, orderVersion, type CustomerOrder } from '../../services/order-reads.js';
import { requestRefund } from '../../services/order-updates.js';
import { currencyExponent, fromDecimalString } from '../../domain/money.js';
import { decideRefund, refundableAmount } from '../../domain/order.js';
import type { Words } from '../../core/i18n/messages.js';
import { requestWords } from '../i18n/request-locale.js';
import { DEFAULT_EVENTS_OPTIONS, orderEvents } from './events.js';
import { formToken, isValidFormToken } from './form-token.js';
import { formPostOrigin, orderPath, renderMessagePage, renderOrderPage, renderOrderSection, type Notice } from './views.js';
import { refundRequestIdOf } from '../shared/refund-request-id.js';

const REASON_MAX = 500;

/** What the redirect after a refund request may say; anything else in the query is ignored. */
const NOTICE_CODES = [
  'refund_pending_approval',
  'refund_processing',
  'refund_exceeds_paid',
  'invalid_amount',
  'reason_required',
  'refund_window_closed',
  'not_paid',
  'refund_unavailable',
] as const;
type NoticeCode = (typeof NOTICE_CODES)[number];

const isNoticeCode = (value: string | undefined): value is NoticeCode => (NOTICE_CODES as readonly string[]).includes(value ?? '');

function noticeFor(code: NoticeCode, data: CustomerOrder, refundId: string | undefined, w: Words): Notice {
  const { order } = data;
  const refund = refundId ? order.refunds.find((r) => r.id === refundId) : undefined;
  const amount = refund && w.money(refund.amount, refund.currency);
  const left = w.money(refundableAmount(order), order.currency);
  switch (code) {
    case 'refund_pending_approval':
      return { kind: 'success', text: amount ? w.t('notice.refund_pending_approval.amount', { amount }) : w.t('notice.refund_pending_approval') };
    case 'refund_processing':
      return { kind: 'success', text: amount ? w.t('notice.refund_processing.amount', { amount }) : w.t('notice.refund_processing') };
    case 'refund_exceeds_paid':
      return { kind: 'error', text: w.t('notice.refund_exceeds_paid', { amount: left }) };
    case 'invalid_amount': {
      const decimals = currencyExponent(order.currency);
      if (decimals === 0) return { kind: 'error', text: w.t('notice.invalid_amount.whole', { example: '120', amount: left }) };
      return { kind: 'error', text: w.t('notice.invalid_amount', { example: `12.${'5'.padEnd(decimals, '0')}`, decimals, amount: left }) };
    }
    case 'reason_required':
      return { kind: 'error', text: w.t('notice.reason_required', { max: REASON_MAX }) };
    case 'refund_window_closed':
    case 'not_paid':
    case 'refund_unavailable':
      return { kind: 'error', text: w.t(`notice.${code}`) };
  }
}

/** Script and styles only with this response's nonce; forms post only here (or to the gateway's form). */
function contentSecurityPolicy(nonce: string, extraFormAction?: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    `form-action 'self'${extraFormAction ? ` ${extraFormAction}` : ''}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function registerCustomerPages(app: Hono, deps: PagesDeps): void {
  const { db, config, temporal, logger, throttle } = deps;
  const masterKey = config.masterKey;
  const newNonce = () => randomBytes(16).toString('base64');
  const tokenOf = (c: Context) => c.req.param('token') ?? '';

  app.use('/o/*', async (c, next) => {
    await next();
    // The token is the page's only credential: never cached, never sent on as a Referer, never framed.
    const headers = c.res.headers;
    headers.set('Cache-Control', 'no-store');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('X-Robots-Tag', 'noindex, nofollow');
    // Fragments and event streams run nothing: the strictest policy.
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  });

  /** Pages about no particular order speak the reader's language, else English; they show no times. */
  const plainWords = (c: Context) => requestWords(c, { locale: 'en', timeZone: 'UTC' });
  type MessageOf = (w: Words) => { title: string; message: string };
  async function messagePage(c: Context, status: 403 | 404 | 413 | 429 | 500, text: MessageOf) {
    const nonce = newNonce();
    const words = plainWords(c);
    c.header('Content-Security-Policy', contentSecurityPolicy(nonce));
    return c.html(await renderMessagePage({ ...text(words), nonce, words }), status);
  }
  /** A limit reached (services/throttle.ts): a page that says when to come back, and `Retry-After`. */
  function tooMany(c: Context, retryAfterSeconds: number, why: 'error.too_many_windows' | 'error.too_many_refunds') {
    c.header('Retry-After', String(retryAfterSeconds));
    // Told in whole minutes: the wait is rounded up, never promised shorter than it is.
    const duration = Math.ceil(retryAfterSeconds / 60) * 60;
    return messagePage(c, 429, (w) => ({ title: w.t('error.wait.title'), message: `${w.t(why)} ${w.t('error.wait.retry', { duration: w.duration(duration) })}` }));
  }
  const notFound = (c: Context) => messagePage(c, 404, (w) => ({ title: w.t('error.not_found.title'), message: w.t('error.not_found.text') }));

  /** Page handlers answer with a page, never the API's JSON error. */
  const page =
    (handler: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        logger.error({ err: error, method: c.req.method, path: '/o/:token' }, 'customer order page failed');
        return messagePage(c, 500, (w) => ({ title: w.t('error.failed.title'), message: w.t('error.failed.text') }));
      }
    };

  app.get(
    '/o/:token',
    page(async (c) => {
      const token = tokenOf(c);
      const data = await loadCustomerOrder(db, token);
      if (!data) return notFound(c);
      const words = requestWords(c, data.language);
      const code = c.req.query('notice');
      const notice = isNoticeCode(code) ? noticeFor(code, data, c.req.query('refund'), words) : undefined;
      const nonce = newNonce();
      c.header('Content-Security-Policy', contentSecurityPolicy(nonce, formPostOrigin(data.order)));
      return c.html(await renderOrderPage({ data, token, formToken: formToken(masterKey, token), nonce, notice, words, baseUrl: config.http.publicBaseUrl }));
    }),
  );

  // Some gateways (UnionPay's frontUrl) bring the shopper back with a form POST of the payment result. It is
  // not trusted (only verified notifications and queries move an order), so it just becomes the page.
  app.post('/o/:token', (c) => c.redirect(orderPath(tokenOf(c)), 303));

  app.get(
    '/o/:token/fragment',
    page(async (c) => {
      const token = tokenOf(c);
      const data = await loadCustomerOrder(db, token);
      if (!data) return notFound(c);
      return c.html(await renderOrderSection({ data, token, formToken: formToken(masterKey, token), words: requestWords(c, data.language), baseUrl: config.http.publicBaseUrl }));
    }),
  );

  app.get(
    '/o/:token/events',
    page(async (c) => {
      const token = tokenOf(c);
      const ref = await findOrderRef(db, token);
      if (!ref) return notFound(c);
      // Each stream reads the order a few times a second: only so many at once per link, across instances.
      // A stream never outlives maxStreamMs, so neither does its place, even if this process dies.
      const place = await throttle.streams.open(ref.id, DEFAULT_EVENTS_OPTIONS.maxStreamMs + 30_000);
      if ('retryAfterSeconds' in place) return tooMany(c, place.retryAfterSeconds, 'error.too_many_windows');
      return orderEvents(
        c,
        () => orderVersion(db, token),
        (error) => logger.warn({ err: error }, 'order page event stream ended'),
        DEFAULT_EVENTS_OPTIONS,
        () => place.release().catch((error: unknown) => logger.warn({ err: error }, 'order page stream place not released')),
      );
    }),
  );

  app.post(
    '/o/:token/refunds',
    // A reason of 500 characters and an amount fit easily; anything bigger is not this form.
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => messagePage(c, 413, (w) => ({ title: w.t('error.too_large.title'), message: w.t('error.too_large.text') })) }),
    page(async (c) => {
      const token = tokenOf(c);
      const ref = await findOrderRef(db, token);
      if (!ref) return notFound(c);
      const refused = await throttle.refundPosts.hit(ref.id);
      if (refused) return tooMany(c, refused.retryAfterSeconds, 'error.too_many_refunds');
      const form = await c.req.parseBody();
      if (!isValidFormToken(masterKey, token, form.form_token)) {
        return messagePage(c, 403, (w) => ({ title: w.t('error.forbidden.title'), message: w.t('error.forbidden.text') }));
      }
      const back = (code: NoticeCode, refundId?: string) => {
        const query = new URLSearchParams({ notice: code, ...(refundId && { refund: refundId }) });
        return c.redirect(`${orderPath(token)}?${query}#notice`, 303);
      };

      const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
      if (reason.length === 0 || reason.length > REASON_MAX) return back('reason_required');
      const data = await loadCustomerOrder(db, token);
      if (!data) return notFound(c);
      const { order } = data;
      let amount: number | undefined;
      const rawAmount = typeof form.amount === 'string' ? form.amount.trim() : '';
      if (rawAmount !== '') {
        try {
          amount = fromDecimalString(rawAmount, order.currency);
        } catch {
          return back('invalid_amount');
        }
      }
      // The workflow decides (and says no with the same codes); asking first gives the customer a clear
      // answer without a round trip, e.g. for an amount above what is left. Not for a form that carries its
      // request id: sent again after it succeeded, it must find that refund, though nothing is left now.
      const idempotencyKey = refundRequestIdOf(form);
      if (idempotencyKey === undefined) {
        const decision = decideRefund(order, { amount: amount ?? refundableAmount(order), actor: 'customer' }, { refundApprovalThreshold: data.refund?.approvalThreshold ?? 0 });
        if (decision.outcome === 'refuse') return back(isNoticeCode(decision.code) ? decision.code : 'refund_unavailable');
      }

      try {
        const refund = await requestRefund({ db, temporal, config }, ref.scope, ref.id, { ...(amount !== undefined && { amount }), reason, actor: 'customer', idempotencyKey });
        return back(refund.status === 'pending_approval' ? 'refund_pending_approval' : 'refund_processing', refund.id);
      } catch (error) {
        if (error instanceof ApiError) return back(isNoticeCode(error.code) ? error.code : 'refund_unavailable');
        logger.error({ err: error, orderId: ref.id }, 'customer refund request failed');
        return back('refund_unavailable');
      }
    }),
  );
}
