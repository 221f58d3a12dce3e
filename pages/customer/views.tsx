// The customer's order page, server-rendered with hono/jsx (every value escaped). `OrderSection` is both
// part of the page and the fragment the page's script swaps in when the order changes.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { TEST_ORDER_NOTICE } from '../../core/mode-notices.js';
import { currencyExponent } from '../../domain/money.js';
import type { PaymentAction } from '../../domain/order.js';
import { money } from '../shared/format.js';
import { Layout } from '../shared/layout.js';
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

function PayAction({ payment, action, total, merchantName, pageUrl }: { payment: PendingPayment; action: PaymentAction; total: string; merchantName: string; pageUrl: string | undefined }) {
  switch (action.type) {
    case 'redirect':
      return isWebUrl(action.url) ? (
        <p>
          <a class="button pay-now" href={action.url} rel="noreferrer">
            Pay now
          </a>
        </p>
      ) : (
        <p>The payment page is not available. Please contact the merchant.</p>
      );
    case 'qr_code':
      return (
        <>
          <p>Open your payment app and scan this code to pay:</p>
          <PaymentQr code={action.code} amount={total} merchantName={merchantName} gateway={payment.gateway} expiresAt={payment.expiresAt} id={payment.id} />
          {isWebUrl(action.url) && (
            <p>
              <a class="button pay-now" href={action.url} rel="noreferrer">
                Pay now
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
            Pay now
          </button>
        </form>
      ) : (
        <p>The payment page is not available. Please contact the merchant.</p>
      );
    case 'wechat_jsapi':
      return <WechatPayAction payRequest={action.payRequest} total={total} pageUrl={pageUrl} />;
  }
}

function PaySection({ order, merchantName, pageUrl }: { order: Order; merchantName: string; pageUrl: string | undefined }) {
  const payment = payablePayment(order);
  if (!payment?.action) return null;
  const total = money(order.total, order.currency);
  return (
    <section class="card" aria-labelledby="pay-heading">
      <h2 id="pay-heading">Pay {total}</h2>
      <p>
        Please pay by <strong><Time value={payment.expiresAt} /></strong>. If no payment has arrived by then, the order expires and
        nothing is charged.
      </p>
      <PayAction payment={payment} action={payment.action} total={total} merchantName={merchantName} pageUrl={pageUrl} />
      <p class="hint">This page updates by itself once your payment arrives.</p>
    </section>
  );
}

function ItemsSection({ order }: { order: Order }) {
  const m = (amount: number) => money(amount, order.currency);
  return (
    <section class="card" aria-labelledby="items-heading">
      <h2 id="items-heading">What you ordered</h2>
      <table class="stack items">
        <caption class="visually-hidden">Items, quantities and prices</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">Quantity</th>
            <th scope="col" class="num">Unit price</th>
            <th scope="col" class="num">Line total</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr>
              <th scope="row" data-label="Item">{item.name}</th>
              <td class="num" data-label="Quantity">{item.quantity}</td>
              <td class="num amount" data-label="Unit price">{m(item.unitAmount)}</td>
              <td class="num amount" data-label="Line total">{m(item.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="totals">
        <caption class="visually-hidden">Order total</caption>
        <tbody>
          <tr>
            <th scope="row">Subtotal</th>
            <td class="num amount">{m(order.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row">Shipping</th>
            <td class="num amount">{m(order.shippingFee)}</td>
          </tr>
          {!order.taxIncluded && (
            <tr>
              <th scope="row">Tax</th>
              <td class="num amount">{m(order.tax)}</td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="num amount">
              <strong>{m(order.total)}</strong>
            </td>
          </tr>
          {/* Tax-inclusive prices: the tax is in the prices, shown, not added. */}
          {order.taxIncluded && (
            <tr class="tax-included">
              <td colspan={2} class="num muted">{`incl. tax ${m(order.tax)}`}</td>
            </tr>
          )}
        </tfoot>
      </table>
    </section>
  );
}

function PaymentSection({ order }: { order: Order }) {
  const m = (amount: number) => money(amount, order.currency);
  return (
    <section class="card" aria-labelledby="payment-heading">
      <h2 id="payment-heading">Payment</h2>
      {order.paidAmount > 0 && (
        <dl class="facts">
          <dt>Paid</dt>
          <dd class="amount">{m(order.paidAmount)}</dd>
          {order.refundedAmount > 0 && (
            <>
              <dt>Refunded</dt>
              <dd class="amount">{m(order.refundedAmount)}</dd>
            </>
          )}
        </dl>
      )}
      {order.payments.length > 0 && (
        <ul class="payments">
          {order.payments.map((payment) => {
            const words = paymentStatusWords(payment.status);
            return (
              <li>
                {gatewayName(payment.gateway)}, {money(payment.amount, payment.currency)}: <Badge tone={words.tone}>{words.label}</Badge>
                {payment.paidAt && (
                  <>
                    {' '}
                    on <Time value={payment.paidAt} />
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

function notShippedWords(status: Order['status']): string {
  if (status === 'awaiting_payment') return 'The merchant ships your order once it is paid.';
  if (status === 'paid' || status === 'confirmed') return 'Not shipped yet. The carrier and tracking number appear here as soon as the merchant ships your order.';
  return 'Not shipped.';
}

function DeliverySection({ order }: { order: Order }) {
  const { shipment, shippingAddress: address, customer } = order;
  return (
    <section class="card" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">Delivery</h2>
      {shipment ? (
        <dl class="facts shipment">
          <dt>Carrier</dt>
          <dd>{shipment.carrier}</dd>
          <dt>Tracking number</dt>
          <dd class="mono">{shipment.trackingNumber}</dd>
          <dt>Shipped</dt>
          <dd>
            <Time value={shipment.shippedAt} />
          </dd>
          {shipment.deliveredAt && (
            <>
              <dt>Delivered</dt>
              <dd>
                <Time value={shipment.deliveredAt} />
              </dd>
            </>
          )}
        </dl>
      ) : (
        <p>{notShippedWords(order.status)}</p>
      )}
      <h3>Ship to</h3>
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

function RefundsSection({ order }: { order: Order }) {
  if (order.refunds.length === 0) return null;
  return (
    <section class="card" aria-labelledby="refunds-heading">
      <h2 id="refunds-heading">Refunds</h2>
      <ul class="refunds">
        {order.refunds.map((refund) => {
          const words = refundStatusWords(refund.status);
          return (
            <li class="refund" id={`refund-${refund.id}`}>
              <p>
                <strong class="amount">{money(refund.amount, refund.currency)}</strong> <Badge tone={words.tone}>{words.label}</Badge>
              </p>
              <p class="hint">{words.detail}</p>
              <dl class="facts">
                <dt>Requested</dt>
                <dd>
                  <Time value={refund.createdAt} />
                </dd>
                <dt>{refund.initiatedBy === 'customer' ? 'Your reason' : 'Reason'}</dt>
                <dd>{refund.reason}</dd>
                {refund.note && (
                  <>
                    <dt>The merchant’s note</dt>
                    <dd>{refund.note}</dd>
                  </>
                )}
                {refund.status === 'failed' && refund.failureReason && (
                  <>
                    <dt>What went wrong</dt>
                    <dd>{refund.failureReason}</dd>
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

function RefundForm({ data, token, formToken }: { data: CustomerOrder; token: string; formToken: string }) {
  const { order, refund } = data;
  if (!refund) return null;
  const exponent = currencyExponent(order.currency);
  const refundable = money(refund.refundable, order.currency);
  const policy = refund.afterShipping
    ? 'Your order has shipped, so the merchant reviews refund requests before the money is returned.'
    : `Requests of up to ${money(refund.approvalThreshold, order.currency)} are refunded straight away; larger ones are reviewed by the merchant first.`;
  return (
    <section class="card" aria-labelledby="refund-heading">
      <h2 id="refund-heading">Request a refund</h2>
      <p>
        {policy} The money goes back to the account you paid with. You can still ask for up to <span class="amount">{refundable}</span>.
      </p>
      <form class="stacked refund-form" method="post" action={`${orderPath(token)}/refunds`}>
        <input type="hidden" name="form_token" value={formToken} />
        <RefundRequestIdField />
        <div class="field">
          <label for="refund-amount">
            Amount in {order.currency} <span class="hint">(optional)</span>
          </label>
          <span class="hint" id="refund-amount-hint">
            Leave empty to ask for everything still refundable ({refundable}).
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
          <label for="refund-reason">Reason</label>
          <span class="hint" id="refund-reason-hint">
            Tell the merchant what went wrong; it sees this with your request.
          </span>
          <textarea id="refund-reason" name="reason" required maxlength={500} rows={3} aria-describedby="refund-reason-hint"></textarea>
        </div>
        <p>
          <button type="submit">Request refund</button>
        </p>
      </form>
    </section>
  );
}

/** Everything that changes as the order moves on: the page's live part, and the `/fragment` response. `baseUrl`: the public one, for codes that open this page elsewhere. */
export function OrderSection({ data, token, formToken, baseUrl }: { data: CustomerOrder; token: string; formToken: string; baseUrl?: string }) {
  const { order } = data;
  const status = orderStatusWords(order);
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
      <PaySection order={order} merchantName={data.merchantName} pageUrl={baseUrl && `${baseUrl}${orderPath(token)}`} />
      <ItemsSection order={order} />
      <PaymentSection order={order} />
      <DeliverySection order={order} />
      <RefundsSection order={order} />
      <RefundForm data={data} token={token} formToken={formToken} />
    </div>
  );
}

/** Above a test order's page: the shopper must not mistake it for a purchase. */
const TEST_ORDER_BANNER = {
  label: TEST_ORDER_NOTICE.title,
  content: (
    <p>
      <strong>{TEST_ORDER_NOTICE.title}</strong> — {TEST_ORDER_NOTICE.text}
    </p>
  ),
};

export function OrderPage({ data, token, formToken, nonce, notice, baseUrl }: { data: CustomerOrder; token: string; formToken: string; nonce: string; notice?: Notice; baseUrl?: string }) {
  const { order } = data;
  const status = orderStatusWords(order);
  const wechatPay = payablePayment(order)?.action?.type === 'wechat_jsapi';
  return (
    <Layout
      title={`Order ${order.orderNo}`}
      site={data.merchantName}
      home={orderPath(token)}
      nonce={nonce}
      referrer="no-referrer"
      banner={data.livemode ? undefined : TEST_ORDER_BANNER}
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
        Order <span class="mono">{order.orderNo}</span>
      </h1>
      <p class="muted">
        From {data.merchantName}, placed <Time value={order.createdAt} />
      </p>
      <div class="card">
        <p id="order-status" role="status" aria-live="polite">
          Status: <span id="status-label" class={`badge badge-${status.tone}`}>{status.label}</span> <span id="status-detail">{status.detail}</span>
        </p>
      </div>
      {notice && (
        <p id="notice" class={`flash flash-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : undefined}>
          {notice.text}
        </p>
      )}
      <OrderSection data={data} token={token} formToken={formToken} baseUrl={baseUrl} />
    </Layout>
  );
}

/** 404, 403 and 500 pages: nothing about any order. */
export function MessagePage({ title, message, nonce }: { title: string; message: string; nonce: string }) {
  return (
    <Layout title={title} home="#main" nonce={nonce} referrer="no-referrer">
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
