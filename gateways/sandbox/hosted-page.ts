// The sandbox's hosted payment page: where a customer is redirected to "pay". Plain HTML forms, so it
// works without JavaScript; every value is escaped by the `html` template. No authentication: the payment
// id in the URL is unguessable.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { TEST_ORDER_NOTICE } from '../../core/mode-notices.js';
import { formatMoney } from '../../domain/money.js';
import type { Db } from '../../db/database.js';
import { findSandboxPayment, type SandboxPayment } from '../../db/sandbox-ledger.js';
import { isExpired, type Simulator } from './simulator.js';
import { isLiveOrderPayment } from './test-orders.js';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

interface Page {
  status: 200 | 400 | 403 | 404 | 409;
  title: string;
  content: Markup;
}

function layout({ title, content }: Page): Markup {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title} · Paystead sandbox</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
      .notice { background: #fff4d6; padding: 0.5rem 0.75rem; border-radius: 0.25rem; }
      dt { font-weight: 600; }
      dd { margin: 0 0 0.75rem; }
      form { display: inline-block; margin-right: 0.5rem; }
      button { font: inherit; padding: 0.5rem 1rem; cursor: pointer; }
      button:focus-visible, a:focus-visible { outline: 3px solid #1f5fbf; outline-offset: 2px; }
    </style>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      <p class="notice"><strong>${TEST_ORDER_NOTICE.title}</strong> — ${TEST_ORDER_NOTICE.text} This is the Paystead sandbox: the payment is simulated.</p>
      ${content}
    </main>
  </body>
</html>`;
}

function summary(payment: SandboxPayment, amount: string): Markup {
  return html`<dl>
        <dt>Order</dt>
        <dd>${payment.orderNo}</dd>
        <dt>Description</dt>
        <dd>${payment.description}</dd>
        <dt>Amount</dt>
        <dd>${amount}</dd>
      </dl>`;
}

const backLink = (payment: SandboxPayment) => html`<p><a href="${payment.returnUrl}">Return to the shop</a></p>`;

function pageFor(payment: SandboxPayment, capturedCurrency: string): Page {
  const amount = formatMoney(payment.amount, payment.currency);
  if (payment.status === 'succeeded') {
    const paid = formatMoney(payment.capturedAmount ?? payment.amount, capturedCurrency);
    return { status: 200, title: 'Payment received', content: html`${summary(payment, paid)}<p>This payment has been made.</p>${backLink(payment)}` };
  }
  if (payment.status === 'failed') {
    return { status: 200, title: 'Payment failed', content: html`${summary(payment, amount)}<p>This payment failed; nothing was charged.</p>${backLink(payment)}` };
  }
  if (payment.status === 'closed') {
    return { status: 409, title: 'Payment closed', content: html`${summary(payment, amount)}<p role="alert">The shop closed this payment; it can no longer be paid and nothing was charged.</p>${backLink(payment)}` };
  }
  if (isExpired(payment)) {
    return { status: 409, title: 'Payment expired', content: html`${summary(payment, amount)}<p role="alert">The time to pay has run out; it can no longer be paid and nothing was charged.</p>${backLink(payment)}` };
  }
  return {
    status: 200,
    title: 'Pay with the sandbox',
    content: html`${summary(payment, amount)}
      <form method="post">
        <input type="hidden" name="outcome" value="succeeded">
        <button type="submit">Pay ${amount}</button>
      </form>
      <form method="post">
        <input type="hidden" name="outcome" value="failed">
        <button type="submit">Simulate a failed payment</button>
      </form>`,
  };
}

const NOT_FOUND: Page = { status: 404, title: 'Payment not found', content: html`<p role="alert">There is no sandbox payment at this address.</p>` };
const NOT_TEST: Page = { status: 403, title: 'Not a test order', content: html`<p role="alert">The sandbox takes payments for test orders only; this one cannot be paid here.</p>` };

/** The payment at this address, or the page that refuses it: none, or a live order's. */
async function payablePayment(db: Db, paymentId: string): Promise<SandboxPayment | Page> {
  const payment = await findSandboxPayment(db, paymentId);
  if (!payment) return NOT_FOUND;
  return (await isLiveOrderPayment(db, payment)) ? NOT_TEST : payment;
}

const isPage = (found: SandboxPayment | Page): found is Page => 'content' in found;

export function registerHostedPage(app: Hono, deps: { db: Db; simulator: Simulator }): void {
  const { db, simulator } = deps;

  app.use('/pay/*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });

  app.get('/pay/:paymentId', async (c) => {
    const payment = await payablePayment(db, c.req.param('paymentId'));
    const page = isPage(payment) ? payment : pageFor(payment, simulator.capturedCurrency(payment));
    return c.html(layout(page), page.status);
  });

  app.post('/pay/:paymentId', async (c) => {
    const payment = await payablePayment(db, c.req.param('paymentId'));
    if (isPage(payment)) return c.html(layout(payment), payment.status);
    const { outcome } = await c.req.parseBody();
    if (outcome !== 'succeeded' && outcome !== 'failed') {
      const page: Page = { status: 400, title: 'Unknown choice', content: html`<p role="alert">Choose Pay or Fail on the payment page.</p>${backLink(payment)}` };
      return c.html(layout(page), page.status);
    }
    const result = await simulator.complete(payment, { outcome }, { mode: 'deliver', delayMs: 0 });
    if (result.kind === 'completed') return c.redirect(payment.returnUrl, 303);
    // Paid twice, closed or expired: show where the payment stands; nothing more was charged.
    const current = (await findSandboxPayment(db, payment.id)) ?? payment;
    const page = pageFor(current, simulator.capturedCurrency(current));
    return c.html(layout(page), page.status);
  });
}
