// The customer's order page, server-rendered with hono/jsx (every value escaped). `OrderSection` is both
// part of the page and the fragment the page's script swaps in when the order changes.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Words } from '../../core/i18n/messages.js';
import { currencyExponent } from '../../domain/money.js';
import type { PaymentAction } from '../../domain/order.js';
import { LocaleSwitch } from '../i18n/locale-switch.js';
import { Message } from '../i18n/message.js';
import { Layout } from '../shared/layout.js';
import { statusReasonWords } from '../shared/status-reason.js';
import { refundText } from '../../domain/timeline-words.js';
import { Time } from '../shared/ui.js';
import { CLIENT_SCRIPT } from './client-script.js';
import type { CustomerOrder } from '../../services/order-reads.js';
import type { Tone } from '../shared/ui.js';
import { gatewayName, orderStatusWords, paymentStatusWords, refundStatusWords } from './words.js';
import { RefundRequestIdField } from '../shared/refund-request-id.js';
import { payablePayment } from '../shared/payable-payment.js';
import { PaymentQr, QR_SCRIPT } from '../shared/qr-code.js';
import { WECHAT_PAY_SCRIPT, WECHAT_PAY_STYLE, WechatPayAction } from './wechat-pay.js';

type Order = CustomerOrder['order'];

export interface Notice {
  kind: 'success' | 'error';
  text: string;
}

/** The page's own address: the only place its view token appears. */
export const orderPath = (token: string) => `/o/${token}`;

function Badge({ tone, children }: { tone: Tone; children: Child }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** Links and forms leave only for http(s) gateway pages: never a `javascript:` or other scheme. */
function isWebUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The origin a `form_post` payment action posts to, for the page's `form-action` CSP directive. */
export function formPostOrigin(order: Order): string | undefined {
  const action = payablePayment(order)?.action;
  return action?.type === 'form_post' && isWebUrl(action.url) ? new URL(action.url).origin : undefined;
}

type PendingPayment = NonNullable<ReturnType<typeof payablePayment>>;

function PayAction({ payment, action, total, merchantName, pageUrl, w }: { payment: PendingPayment; action: PaymentAction; total: string; merchantName: string; pageUrl: string | undefined; w: Words }) {
  const unavailable = <p>{w.t('pay.unavailable')}</p>;
  switch (action.type) {
    case 'redirect':
      return isWebUrl(action.url) ? (
        <p>
          <a class="button pay-now" href={action.url} rel="noreferrer">
            {w.t('pay.now')}
          </a>
        </p>
      ) : (
        unavailable
      );
    case 'qr_code':
      return (
        <>
          <p>{w.t('pay.scan')}</p>
          <PaymentQr code={action.code} amount={total} merchantName={merchantName} gateway={payment.gateway} expiresAt={payment.expiresAt} id={payment.id} words={w} />
          {isWebUrl(action.url) && (
            <p>
              <a class="button pay-now" href={action.url} rel="noreferrer">
                {w.t('pay.now')}
              </a>
            </p>
          )}
        </>
      );
    case 'form_post':
      return isWebUrl(action.url) ? (
        <form method="post" action={action.url} rel="noreferrer">
          {Object.entries(action.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="pay-now">
            {w.t('pay.now')}
          </button>
        </form>
      ) : (
        unavailable
      );
    case 'wechat_jsapi':
      return <WechatPayAction payment={payment} payRequest={action.payRequest} total={total} merchantName={merchantName} pageUrl={pageUrl} w={w} />;
  }
}

function PaySection({ order, merchantName, pageUrl, w }: { order: Order; merchantName: string; pageUrl: string | undefined; w: Words }) {
  const payment = payablePayment(order);
  if (!payment?.action) return null;
  const total = w.money(order.total, order.currency);
  return (
    <section class="card" aria-labelledby="pay-heading">
      <h2 id="pay-heading">{w.t('pay.heading', { amount: total })}</h2>
      <p>
        <Message words={w} id="pay.deadline" params={{ deadline: <strong><Time value={payment.expiresAt} words={w} /></strong> }} />
      </p>
      <PayAction payment={payment} action={payment.action} total={total} merchantName={merchantName} pageUrl={pageUrl} w={w} />
      <p class="hint">{w.t('pay.live')}</p>
    </section>
  );
}

function ItemsSection({ order, w }: { order: Order; w: Words }) {
  const m = (amount: number) => w.money(amount, order.currency);
  const [item, quantity, unitPrice, lineTotal] = [w.t('items.item'), w.t('items.quantity'), w.t('items.unit_price'), w.t('items.line_total')];
  return (
    <section class="card" aria-labelledby="items-heading">
      <h2 id="items-heading">{w.t('items.heading')}</h2>
      <table class="stack items">
        <caption class="visually-hidden">{w.t('items.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{item}</th>
            <th scope="col" class="num">{quantity}</th>
            <th scope="col" class="num">{unitPrice}</th>
            <th scope="col" class="num">{lineTotal}</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr>
              <th scope="row" data-label={item}>{line.name}</th>
              <td class="num" data-label={quantity}>{line.quantity}</td>
              <td class="num amount" data-label={unitPrice}>{m(line.unitAmount)}</td>
              <td class="num amount" data-label={lineTotal}>{m(line.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="totals">
        <caption class="visually-hidden">{w.t('totals.caption')}</caption>
        <tbody>
          <tr>
            <th scope="row">{w.t('totals.subtotal')}</th>
            <td class="num amount">{m(order.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row">{w.t('totals.shipping')}</th>
            <td class="num amount">{m(order.shippingFee)}</td>
          </tr>
          {!order.taxIncluded && (
            <tr>
              <th scope="row">{w.t('totals.tax')}</th>
              <td class="num amount">{m(order.tax)}</td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{w.t('totals.total')}</th>
            <td class="num amount">
              <strong>{m(order.total)}</strong>
            </td>
          </tr>
          {/* Tax-inclusive prices: the tax is in the prices, shown, not added. */}
          {order.taxIncluded && (
            <tr class="tax-included">
              <td colspan={2} class="num muted">{w.t('totals.tax_included', { amount: m(order.tax) })}</td>
            </tr>
          )}
        </tfoot>
      </table>
    </section>
  );
}

function PaymentSection({ order, w }: { order: Order; w: Words }) {
  const m = (amount: number) => w.money(amount, order.currency);
  return (
    <section class="card" aria-labelledby="payment-heading">
      <h2 id="payment-heading">{w.t('payments.heading')}</h2>
      {order.paidAmount > 0 && (
        <dl class="facts">
          <dt>{w.t('payments.paid')}</dt>
          <dd class="amount">{m(order.paidAmount)}</dd>
          {order.refundedAmount > 0 && (
            <>
              <dt>{w.t('payments.refunded')}</dt>
              <dd class="amount">{m(order.refundedAmount)}</dd>
            </>
          )}
        </dl>
      )}
      {order.payments.length > 0 && (
        <ul class="payments">
          {order.payments.map((payment) => {
            const words = paymentStatusWords(payment.status, w);
            return (
              <li>
                {gatewayName(payment.gateway, w)}, {w.money(payment.amount, payment.currency)}: <Badge tone={words.tone}>{words.label}</Badge>
                {payment.paidAt && (
                  <>
                    {' '}
                    <Message words={w} id="payments.paid_on" params={{ date: <Time value={payment.paidAt} words={w} /> }} />
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function notShippedWords(status: Order['status'], w: Words): string {
  if (status === 'awaiting_payment') return w.t('delivery.after_payment');
  if (status === 'paid' || status === 'confirmed') return w.t('delivery.not_yet');
  return w.t('delivery.not_shipped');
}

function DeliverySection({ order, w }: { order: Order; w: Words }) {
  const { shipment, shippingAddress: address, customer } = order;
  return (
    <section class="card" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">{w.t('delivery.heading')}</h2>
      {shipment ? (
        <dl class="facts shipment">
          <dt>{w.t('delivery.carrier')}</dt>
          <dd>{shipment.carrier}</dd>
          <dt>{w.t('delivery.tracking')}</dt>
          <dd class="mono">{shipment.trackingNumber}</dd>
          <dt>{w.t('delivery.shipped')}</dt>
          <dd>
            <Time value={shipment.shippedAt} words={w} />
          </dd>
          {shipment.deliveredAt && (
            <>
              <dt>{w.t('delivery.delivered')}</dt>
              <dd>
                <Time value={shipment.deliveredAt} words={w} />
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p>{notShippedWords(order.status, w)}</p>
      )}
      <h3>{w.t('delivery.ship_to')}</h3>
      <address>
        {customer.name}
        <br />
        {address.line1}
        {address.line2 && (
          <>
            <br />
            {address.line2}
          </>
        )}
        <br />
        {[address.postalCode, address.city, address.region].filter(Boolean).join(' ')}
        <br />
        {address.country}
      </address>
    </section>
  );
}

function RefundsSection({ order, w }: { order: Order; w: Words }) {
  if (order.refunds.length === 0) return null;
  return (
    <section class="card" aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">{w.t('refunds.heading')}</h2>
      <ul class="refunds">
        {order.refunds.map((refund) => {
          const words = refundStatusWords(refund.status, w);
          return (
            <li class="refund" id={`refund-${refund.id}`}>
              <p>
                <strong class="amount">{w.money(refund.amount, refund.currency)}</strong> <Badge tone={words.tone}>{words.label}</Badge>
              </p>
              <p class="hint">{words.detail}</p>
              <dl class="facts">
                <dt>{w.t('refunds.requested')}</dt>
                <dd>
                  <Time value={refund.createdAt} words={w} />
                </dd>
                <dt>{w.t(refund.initiatedBy === 'customer' ? 'refunds.your_reason' : 'refunds.reason')}</dt>
                <dd>{refundText(refund, 'reason', w)}</dd>
                {refund.note && (
                  <>
                    <dt>{w.t('refunds.note')}</dt>
                    <dd>{refundText(refund, 'note', w)}</dd>
                  </>
                )}
                {refund.status === 'failed' && refund.failureReason && (
                  <>
                    <dt>{w.t('refunds.failure')}</dt>
                    <dd>{refundText(refund, 'failure', w)}</dd>
                  </>
                )}
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function RefundForm({ data, token, formToken, w }: { data: CustomerOrder; token: string; formToken: string; w: Words }) {
  const { order, refund } = data;
  if (!refund) return null;
  const exponent = currencyExponent(order.currency);
  const refundable = w.money(refund.refundable, order.currency);
  const policy = refund.afterShipping ? w.t('refund_form.after_shipping') : w.t('refund_form.threshold', { amount: w.money(refund.approvalThreshold, order.currency) });
  return (
    <section class="card" aria-labelledby="refund-heading">
      <h2 id="refund-heading">{w.t('refund_form.heading')}</h2>
      <p>
        {policy} <Message words={w} id="refund_form.left" params={{ amount: <span class="amount">{refundable}</span> }} />
      </p>
      <form class="stacked refund-form" method="post" action={`${orderPath(token)}/refunds`}>
        <input type="hidden" name="form_token" value={formToken} />
        <RefundRequestIdField />
        <div class="field">
          <label for="refund-amount">
            {w.t('refund_form.amount', { currency: order.currency })} <span class="hint">{w.t('refund_form.optional')}</span>
          </label>
          <span class="hint" id="refund-amount-hint">
            {w.t('refund_form.amount_hint', { amount: refundable })}
          </span>
          <input
            id="refund-amount"
            name="amount"
            type="text"
            inputmode="decimal"
            autocomplete="off"
            pattern={exponent === 0 ? '[0-9]+' : `[0-9]+([.][0-9]{1,${exponent}})?`}
            aria-describedby="refund-amount-hint"
          />
        </div>
        <div class="field">
          <label for="refund-reason">{w.t('refund_form.reason')}</label>
          <span class="hint" id="refund-reason-hint">
            {w.t('refund_form.reason_hint')}
          </span>
          <textarea id="refund-reason" name="reason" required maxlength={500} rows={3} aria-describedby="refund-reason-hint"></textarea>
        </div>
        <p>
          <button type="submit">{w.t('refund_form.submit')}</button>
        </p>
      </form>
    </section>
  );
}

/** Everything that changes as the order moves on: the page's live part, and the `/fragment` response. `baseUrl`: the public one, for codes that open this page elsewhere. */
export function OrderSection({ data, token, formToken, words: w, baseUrl }: { data: CustomerOrder; token: string; formToken: string; words: Words; baseUrl?: string }) {
  const { order } = data;
  const status = orderStatusWords(order, w, statusReasonWords(order, w));
  return (
    <div
      id="order-live"
      data-base={orderPath(token)}
      data-version={String(data.version)}
      data-status={order.status}
      data-status-label={status.label}
      data-status-tone={status.tone}
      data-status-detail={status.detail}
    >
      <PaySection order={order} merchantName={data.merchantName} pageUrl={baseUrl && `${baseUrl}${orderPath(token)}`} w={w} />
      <ItemsSection order={order} w={w} />
      <PaymentSection order={order} w={w} />
      <DeliverySection order={order} w={w} />
      <RefundsSection order={order} w={w} />
      <RefundForm data={data} token={token} formToken={formToken} w={w} />
    </div>
  );
}

/** Above a test order's page: the shopper must not mistake it for a purchase. */
const testOrderBanner = (w: Words) => ({
  label: w.t('test.title'),
  content: (
    <p>
      <strong>{w.t('test.title')}</strong> — {w.t('test.text')}
    </p>
  ),
});

export function OrderPage({ data, token, formToken, nonce, notice, words: w, baseUrl }: { data: CustomerOrder; token: string; formToken: string; nonce: string; notice?: Notice; words: Words; baseUrl?: string }) {
  const { order } = data;
  const status = orderStatusWords(order, w, statusReasonWords(order, w));
  const wechatPay = payablePayment(order)?.action?.type === 'wechat_jsapi';
  return (
    <Layout
      title={w.t('order.title', { orderNo: order.orderNo })}
      site={data.merchantName}
      home={orderPath(token)}
      nonce={nonce}
      referrer="no-referrer"
      words={w}
      nav={<LocaleSwitch words={w} here={orderPath(token)} />}
      banner={data.livemode ? undefined : testOrderBanner(w)}
      tail={
        <>
          <script nonce={nonce}>{raw(CLIENT_SCRIPT + QR_SCRIPT)}</script>
          {wechatPay && (
            <>
              <style nonce={nonce}>{raw(WECHAT_PAY_STYLE)}</style>
              <script nonce={nonce}>{raw(WECHAT_PAY_SCRIPT)}</script>
            </>
          )}
        </>
      }
    >
      <h1>
        {w.t('order.heading')} <span class="mono">{order.orderNo}</span>
      </h1>
      <p class="muted">
        {w.t('order.from', { merchant: data.merchantName })} <Time value={order.createdAt} words={w} />
      </p>
      <div class="card">
        <p id="order-status" role="status" aria-live="polite">
          {w.t('order.status')} <span id="status-label" class={`badge badge-${status.tone}`}>{status.label}</span> <span id="status-detail">{status.detail}</span>
        </p>
      </div>
      {notice && (
        <p id="notice" class={`flash flash-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : undefined}>
          {notice.text}
        </p>
      )}
      <OrderSection data={data} token={token} formToken={formToken} words={w} baseUrl={baseUrl} />
    </Layout>
  );
}

/** 404, 403 and 500 pages: nothing about any order. */
export function MessagePage({ title, message, nonce, words }: { title: string; message: string; nonce: string; words: Words }) {
  return (
    <Layout title={title} home="#main" nonce={nonce} referrer="no-referrer" words={words}>
      <h1>{title}</h1>
      <p>{message}</p>
    </Layout>
  );
}

type Rendered = { toString(): string | Promise<string> };
const render = async (node: unknown): Promise<string> => (node as Rendered).toString();

export type OrderPageProps = Parameters<typeof OrderPage>[0];

export const renderOrderPage = (props: OrderPageProps) => render(<OrderPage {...props} />);
export const renderOrderSection = (props: Parameters<typeof OrderSection>[0]) => render(<OrderSection {...props} />);
export const renderMessagePage = (props: Parameters<typeof MessagePage>[0]) => render(<MessagePage {...props} />);
