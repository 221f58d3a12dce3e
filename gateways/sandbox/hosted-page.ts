// The sandbox's hosted payment page: where a customer is redirected to "pay". Plain HTML forms, so it
// works without JavaScript; every value is escaped by the `html` template. No authentication: the payment
// id in the URL is unguessable. In the shopper's language (`?lang=`, the switch's cookie, Accept-Language,
// else the merchant's default), with a switch of its own.
import type { Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isLocale, LOCALE_COOKIE, LOCALES, negotiateLocale } from '../../core/i18n/locales.js';
import { CATALOGS, wordsFor, type Words } from '../../core/i18n/messages.js';
import type { Db } from '../../db/database.js';
import { getSettings } from '../../db/merchants.js';
import { findSandboxPayment, type SandboxPayment } from '../../db/sandbox-ledger.js';
import { isExpired, type Simulator } from './simulator.js';
import { isLiveOrderPayment } from './test-orders.js';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

interface Page {
  status: 200 | 400 | 403 | 404 | 409;
  title: string;
  content: Markup;
}

function localeSwitch(w: Words, path: string): Markup {
  const links = LOCALES.filter((locale) => locale !== w.locale).map(
    (locale) => html`<a href="${path}?lang=${locale}" lang="${locale}" hreflang="${locale}">${CATALOGS[locale]['locale.name']}</a>`,
  );
  return html`<nav class="locale-switch" aria-label="${w.t('locale.switch')}">${links}</nav>`;
}

function layout({ title, content }: Page, w: Words, path: string): Markup {
  return html`<!doctype html>
<html lang="${w.locale}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title} · ${w.t('sandbox.site')}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
      .notice { background: #fff4d6; padding: 0.5rem 0.75rem; border-radius: 0.25rem; }
      dt { font-weight: 600; }
      dd { margin: 0 0 0.75rem; }
      form { display: inline-block; margin-right: 0.5rem; }
      button { font: inherit; padding: 0.5rem 1rem; cursor: pointer; }
      button:focus-visible, a:focus-visible { outline: 3px solid #1f5fbf; outline-offset: 2px; }
      .locale-switch { text-align: right; }
    </style>
  </head>
  <body>
    ${localeSwitch(w, path)}
    <main>
      <h1>${title}</h1>
      <p class="notice"><strong>${w.t('test.title')}</strong> — ${w.t('test.text')} ${w.t('sandbox.simulated')}</p>
      ${content}
    </main>
  </body>
</html>`;
}

function summary(payment: SandboxPayment, amount: string, w: Words): Markup {
  return html`<dl>
        <dt>${w.t('sandbox.order')}</dt>
        <dd>${payment.orderNo}</dd>
        <dt>${w.t('sandbox.description')}</dt>
        <dd>${payment.description}</dd>
        <dt>${w.t('sandbox.amount')}</dt>
        <dd>${amount}</dd>
      </dl>`;
}

const backLink = (payment: SandboxPayment, w: Words) => html`<p><a href="${payment.returnUrl}">${w.t('sandbox.back')}</a></p>`;

function pageFor(payment: SandboxPayment, capturedCurrency: string, w: Words): Page {
  const amount = w.money(payment.amount, payment.currency);
  const ended = (status: Page['status'], state: 'received' | 'failed' | 'closed' | 'expired', shown = amount): Page => ({
    status,
    title: w.t(`sandbox.${state}.title`),
    content: html`${summary(payment, shown, w)}<p${status === 409 ? html` role="alert"` : ''}>${w.t(`sandbox.${state}.text`)}</p>${backLink(payment, w)}`,
  });
  if (payment.status === 'succeeded') return ended(200, 'received', w.money(payment.capturedAmount ?? payment.amount, capturedCurrency));
  if (payment.status === 'failed') return ended(200, 'failed');
  if (payment.status === 'closed') return ended(409, 'closed');
  if (isExpired(payment)) return ended(409, 'expired');
  return {
    status: 200,
    title: w.t('sandbox.pay.title'),
    content: html`${summary(payment, amount, w)}
      <form method="post">
        <input type="hidden" name="outcome" value="succeeded">
        <button type="submit">${w.t('sandbox.pay', { amount })}</button>
      </form>
      <form method="post">
        <input type="hidden" name="outcome" value="failed">
        <button type="submit">${w.t('sandbox.fail')}</button>
      </form>`,
  };
}

const notFound = (w: Words): Page => ({ status: 404, title: w.t('sandbox.not_found.title'), content: html`<p role="alert">${w.t('sandbox.not_found.text')}</p>` });
const notTest = (w: Words): Page => ({ status: 403, title: w.t('sandbox.not_test.title'), content: html`<p role="alert">${w.t('sandbox.not_test.text')}</p>` });

/** The shopper's words; no times are shown here, so the zone is the merchant's only for consistency. */
async function wordsOf(c: Context, db: Db, payment: SandboxPayment | undefined): Promise<Words> {
  const query = c.req.query('lang');
  if (isLocale(query)) setCookie(c, LOCALE_COOKIE, query, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', httpOnly: true });
  const settings = payment ? await getSettings(db, payment.merchantId).catch(() => undefined) : undefined;
  const locale = negotiateLocale({ query, cookie: getCookie(c, LOCALE_COOKIE), acceptLanguage: c.req.header('accept-language') }, settings?.locale ?? 'en');
  return wordsFor(locale, settings?.timeZone ?? 'UTC');
}

/** The payment at this address and the shopper's words, or the page that refuses it: none, or a live order's. */
async function payablePayment(c: Context, db: Db, paymentId: string): Promise<{ w: Words; payment: SandboxPayment; refusal?: undefined } | { w: Words; refusal: Page }> {
  const payment = await findSandboxPayment(db, paymentId);
  const w = await wordsOf(c, db, payment);
  if (!payment) return { w, refusal: notFound(w) };
  return (await isLiveOrderPayment(db, payment)) ? { w, refusal: notTest(w) } : { w, payment };
}

export function registerHostedPage(app: Hono, deps: { db: Db; simulator: Simulator }): void {
  const { db, simulator } = deps;

  app.use('/pay/*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });

  app.get('/pay/:paymentId', async (c) => {
    const found = await payablePayment(c, db, c.req.param('paymentId'));
    const page = found.refusal ?? pageFor(found.payment, simulator.capturedCurrency(found.payment), found.w);
    return c.html(layout(page, found.w, c.req.path), page.status);
  });

  app.post('/pay/:paymentId', async (c) => {
    const found = await payablePayment(c, db, c.req.param('paymentId'));
    const { w } = found;
    if (found.refusal) return c.html(layout(found.refusal, w, c.req.path), found.refusal.status);
    const { payment } = found;
    const { outcome } = await c.req.parseBody();
    if (outcome !== 'succeeded' && outcome !== 'failed') {
      const page: Page = { status: 400, title: w.t('sandbox.unknown.title'), content: html`<p role="alert">${w.t('sandbox.unknown.text')}</p>${backLink(payment, w)}` };
      return c.html(layout(page, w, c.req.path), page.status);
    }
    const result = await simulator.complete(payment, { outcome }, { mode: 'deliver', delayMs: 0 });
    if (result.kind === 'completed') return c.redirect(payment.returnUrl, 303);
    // Paid twice, closed or expired: show where the payment stands; nothing more was charged.
    const current = (await findSandboxPayment(db, payment.id)) ?? payment;
    const page = pageFor(current, simulator.capturedCurrency(current), w);
    return c.html(layout(page, w, c.req.path), page.status);
  });
}
