import { raw } from 'hono/html';
import { actionAllowed, REFUNDS_ALLOWED } from '../../../domain/order-actions.js';
import type { OrderView } from '../../../services/order-reads.js';
import { humanize, money } from '../../shared/format.js';
import { StatusBadge, Time } from '../../shared/ui.js';
import type { Flash } from '../session.js';
import type { Words } from '../../../core/i18n/messages.js';
import { AdminLayout, CsrfField, Field, FlashMessage, type PageChrome } from './common.js';
import { RefundRequestIdField } from '../../shared/refund-request-id.js';
import { payablePayment } from '../../shared/payable-payment.js';
import { PaymentQr, QR_SCRIPT } from '../../shared/qr-code.js';

export interface OrderPageProps extends PageChrome {
  csrfToken: string;
  order: OrderView;
  /** What can still be refunded (paid minus pending, processing and succeeded refunds). */
  refundable: number;
  /** The run in the Temporal Web UI, when the deployment says where that is. */
  workflow?: { id: string; url: string };
  flash?: Flash;
}

/**
 * Progressive enhancement only (the page is complete without it): while a payment or refund is in
 * flight, look for a newer version of this order every 5 s and reload when there is one, unless the
 * person is typing in a form. A constant script, allowed by the page's CSP nonce.
 */
const REFRESH_SCRIPT = `(function(){
var el=document.getElementById('order');if(!el)return;
function busy(){var a=document.activeElement;if(a&&/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))return true;
return Array.prototype.some.call(document.querySelectorAll('input:not([type=hidden]),textarea'),function(f){return f.value!==f.defaultValue;});}
setInterval(function(){if(document.hidden||busy())return;
fetch(location.pathname,{credentials:'same-origin',cache:'no-store'}).then(function(r){return r.ok?r.text():'';}).then(function(t){
var m=/data-updated="([^"]*)"/.exec(t);if(m&&m[1]!==el.getAttribute('data-updated'))location.replace(location.pathname);}).catch(function(){});},5000);})();`;

function Address({ order }: { order: OrderView }) {
  const a = order.shippingAddress;
  return (
    <address>
      {a.line1}
      <br />
      {a.line2 && (
        <>
          {a.line2}
          <br />
        </>
      )}
      {a.city}
      {a.region ? `, ${a.region}` : ''} {a.postalCode}
      <br />
      {a.country}
    </address>
  );
}

/** The code the shopper is asked to scan, as they see it, while it can still be paid. */
function PaymentCode({ order, merchantName, words }: { order: OrderView; merchantName: string; words: Words }) {
  const payment = payablePayment(order);
  if (payment?.action?.type !== 'qr_code') return null;
  return (
    <section class="card" aria-labelledby="payment-code-heading">
      <h2 id="payment-code-heading">Payment code</h2>
      <PaymentQr
        code={payment.action.code}
        amount={words.money(payment.amount, payment.currency)}
        merchantName={merchantName}
        gateway={payment.gateway}
        expiresAt={payment.expiresAt}
        id={payment.id}
        words={words}
      />
    </section>
  );
}

function Actions({ order, refundable, csrfToken }: Pick<OrderPageProps, 'order' | 'refundable' | 'csrfToken'>) {
  const base = `/admin/orders/${encodeURIComponent(order.id)}`;
  const pending = order.refunds.filter((r) => r.status === 'pending_approval');
  const canRefund = refundable > 0 && REFUNDS_ALLOWED[order.status];
  const forms = [];
  if (actionAllowed('confirm', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="confirm-heading">
        <h3 id="confirm-heading">Confirm the order</h3>
        <p>The payment has arrived. Confirm to prepare the goods for shipping.</p>
        <form method="post" action={`${base}/confirm`}>
          <CsrfField token={csrfToken} />
          <button type="submit">Confirm order</button>
        </form>
      </section>,
    );
  }
  if (actionAllowed('decline', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="decline-heading">
        <h3 id="decline-heading">Decline the order</h3>
        <form method="post" action={`${base}/decline`} class="stacked">
          <CsrfField token={csrfToken} />
          <Field id="decline-reason" name="reason" label="Reason" hint="Shown to the customer; the payment is refunded in full." required maxlength={500} />
          <div>
            <button type="submit" class="danger">
              Decline and refund
            </button>
          </div>
        </form>
      </section>,
    );
  }
  if (actionAllowed('ship', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="ship-heading">
        <h3 id="ship-heading">Ship the order</h3>
        <form method="post" action={`${base}/ship`} class="stacked">
          <CsrfField token={csrfToken} />
          <Field id="ship-carrier" name="carrier" label="Carrier" hint="For example SF Express" required maxlength={100} />
          <Field id="ship-tracking" name="trackingNumber" label="Tracking number" required maxlength={100} />
          <div>
            <button type="submit">Mark as shipped</button>
          </div>
        </form>
      </section>,
    );
  }
  if (actionAllowed('deliver', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="deliver-heading">
        <h3 id="deliver-heading">Delivery</h3>
        <form method="post" action={`${base}/deliver`}>
          <CsrfField token={csrfToken} />
          <button type="submit">Mark as delivered</button>
        </form>
      </section>,
    );
  }
  if (actionAllowed('accept-payment', order.status)) {
    const payment = order.payments[0];
    const captured = money(payment?.capturedAmount ?? 0, payment?.capturedCurrency ?? order.currency);
    forms.push(
      <section class="card" aria-labelledby="review-heading">
        <h3 id="review-heading">Review the payment</h3>
        <p>
          The gateway captured <span class="amount">{captured}</span>; the order total is <span class="amount">{money(order.total, order.currency)}</span>. Keep the
          payment and go on with the order, or refund what was captured and cancel it.
        </p>
        <div class="grid">
          <form method="post" action={`${base}/accept-payment`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id="accept-payment-note" name="note" label="Note (optional)" maxlength={500} />
            <div>
              <button type="submit">Accept {captured}</button>
            </div>
          </form>
          <form method="post" action={`${base}/refund-payment`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id="refund-payment-reason" name="reason" label="Reason" hint="Shown to the customer; what was captured is refunded in its currency." required maxlength={500} />
            <div>
              <button type="submit" class="danger">
                Refund {captured} and cancel
              </button>
            </div>
          </form>
        </div>
      </section>,
    );
  }
  for (const refund of pending) {
    const id = encodeURIComponent(refund.id);
    forms.push(
      <section class="card" aria-labelledby={`decide-${refund.id}`}>
        <h3 id={`decide-${refund.id}`}>
          Refund request of <span class="amount">{money(refund.amount, refund.currency)}</span>
        </h3>
        <p>
          Reason given: <q>{refund.reason}</q>
        </p>
        <div class="grid">
          <form method="post" action={`${base}/refunds/${id}/approve`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id={`approve-note-${refund.id}`} name="note" label="Note (optional)" maxlength={500} />
            <div>
              <button type="submit">Approve refund</button>
            </div>
          </form>
          <form method="post" action={`${base}/refunds/${id}/reject`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id={`reject-note-${refund.id}`} name="note" label="Note for the customer" hint="Required: why the refund is rejected." required maxlength={500} />
            <div>
              <button type="submit" class="danger">
                Reject refund
              </button>
            </div>
          </form>
        </div>
      </section>,
    );
  }
  if (canRefund) {
    forms.push(
      <section class="card" aria-labelledby="refund-heading">
        <h3 id="refund-heading">Refund</h3>
        <form method="post" action={`${base}/refunds`} class="stacked">
          <CsrfField token={csrfToken} />
          <RefundRequestIdField />
          <Field
            id="refund-amount"
            name="amount"
            label={`Amount (${order.currency})`}
            hint={`Up to ${money(refundable, order.currency)}. Leave empty to refund all of it.`}
            inputmode="decimal"
            maxlength={20}
          />
          <Field id="refund-reason" name="reason" label="Reason" required maxlength={500} />
          <div>
            <button type="submit">Refund</button>
          </div>
        </form>
      </section>,
    );
  }
  if (forms.length === 0) return <p class="muted">No action is open for an order that is {humanize(order.status).toLowerCase()}.</p>;
  return <div class="grid">{forms}</div>;
}

export function OrderPage(props: OrderPageProps) {
  const { order, refundable, workflow, flash, csrfToken } = props;
  const c = order.currency;
  // What was paid is held in the currency it was captured in (another one only when the merchant accepted it).
  const paidIn = order.payments[0]?.capturedCurrency ?? c;
  const inFlight = order.status === 'awaiting_payment' || order.refunds.some((r) => r.status === 'processing');
  return (
    <AdminLayout {...props} title={`Order ${order.orderNo}`} current="orders" tail={inFlight ? <script nonce={props.nonce}>{raw(REFRESH_SCRIPT + QR_SCRIPT)}</script> : undefined}>
      <p>
        <a href="/admin">← All orders</a>
      </p>
      <article id="order" data-updated={order.updatedAt ?? ''}>
        <h1>
          Order {order.orderNo} <StatusBadge status={order.status} />
        </h1>
        <FlashMessage flash={flash} />
        {order.alerts.includes('projection_failed') && (
          <div role="alert" class="flash flash-error">
            Needs attention: a change to this order could not be saved for display (projection_failed). The order's run in Temporal holds its true state.
          </div>
        )}
        <dl class="facts card">
          <dt>Status</dt>
          <dd>
            {humanize(order.status)}
            {order.statusReason && <span class="muted"> — {order.statusReason}</span>}
          </dd>
          <dt>Total</dt>
          <dd class="amount">{money(order.total, c)}</dd>
          <dt>Paid</dt>
          <dd class="amount">{money(order.paidAmount, paidIn)}</dd>
          <dt>Refunded</dt>
          <dd class="amount">{money(order.refundedAmount, paidIn)}</dd>
          <dt>Placed</dt>
          <dd>
            <Time value={order.createdAt} />
          </dd>
          <dt>Last change</dt>
          <dd>
            <Time value={order.updatedAt} />
          </dd>
          <dt>Order id</dt>
          <dd class="mono">{order.id}</dd>
          {workflow && (
            <>
              <dt>Workflow run</dt>
              <dd>
                <a class="mono" href={workflow.url} rel="noopener noreferrer">
                  {workflow.id}
                </a>{' '}
                <span class="muted">(Temporal Web UI)</span>
              </dd>
            </>
          )}
        </dl>

        <PaymentCode order={order} merchantName={props.merchantName ?? ''} words={props.words} />

        <h2>Actions</h2>
        <Actions order={order} refundable={refundable} csrfToken={csrfToken} />

        <h2 id="items-heading">Items</h2>
        <table class="stack" aria-labelledby="items-heading">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">SKU</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Unit price
              </th>
              <th scope="col" class="num">
                Line total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr>
                <td data-label="Product">{item.name}</td>
                <td data-label="SKU" class="mono">
                  {item.sku}
                </td>
                <td data-label="Quantity" class="num">
                  {item.quantity}
                </td>
                <td data-label="Unit price" class="num amount">
                  {money(item.unitAmount, c)}
                </td>
                <td data-label="Line total" class="num amount">
                  {money(item.lineTotal, c)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="facts card" aria-label="Order totals">
          <dt>Subtotal</dt>
          <dd class="amount">{money(order.subtotal, c)}</dd>
          <dt>Shipping</dt>
          <dd class="amount">{money(order.shippingFee, c)}</dd>
          {!order.taxIncluded && (
            <>
              <dt>Tax</dt>
              <dd class="amount">{money(order.tax, c)}</dd>
            </>
          )}
          <dt>Total</dt>
          <dd class="amount">
            <strong>{money(order.total, c)}</strong>
            {/* Tax-inclusive prices: the tax is in the prices, shown, not added. */}
            {order.taxIncluded && <span class="muted"> {`incl. tax ${money(order.tax, c)}`}</span>}
          </dd>
        </dl>

        <div class="grid">
          <section class="card" aria-labelledby="customer-heading">
            <h2 id="customer-heading">Customer</h2>
            <dl class="facts">
              <dt>Name</dt>
              <dd>{order.customer.name}</dd>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${order.customer.email}`}>{order.customer.email}</a>
              </dd>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${order.customer.phone.replace(/[^+0-9]/g, '')}`}>{order.customer.phone}</a>
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="address-heading">
            <h2 id="address-heading">Shipping address</h2>
            <Address order={order} />
          </section>
          <section class="card" aria-labelledby="shipment-heading" id="shipment">
            <h2 id="shipment-heading">Shipment</h2>
            {order.shipment ? (
              <dl class="facts">
                <dt>Carrier</dt>
                <dd>{order.shipment.carrier}</dd>
                <dt>Tracking number</dt>
                <dd class="mono">{order.shipment.trackingNumber}</dd>
                <dt>Shipped</dt>
                <dd>
                  <Time value={order.shipment.shippedAt} />
                </dd>
                <dt>Delivered</dt>
                <dd>
                  <Time value={order.shipment.deliveredAt} />
                </dd>
              </dl>
            ) : (
              <p>Not shipped yet.</p>
            )}
          </section>
        </div>

        <h2 id="payments-heading">Payments</h2>
        {order.payments.length === 0 ? (
          <p>No payment yet.</p>
        ) : (
          <table class="stack" aria-labelledby="payments-heading">
            <thead>
              <tr>
                <th scope="col">Payment</th>
                <th scope="col">Gateway</th>
                <th scope="col">Gateway reference</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col" class="num">
                  Captured
                </th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Paid</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {order.payments.map((p) => (
                <tr>
                  <td data-label="Payment" class="mono">
                    {p.id}
                  </td>
                  <td data-label="Gateway">{humanize(p.gateway)}</td>
                  <td data-label="Gateway reference" class="mono">
                    {p.gatewayReference ?? '—'}
                  </td>
                  <td data-label="Amount" class="num amount">
                    {money(p.amount, p.currency)}
                  </td>
                  <td data-label="Captured" class="num amount">
                    {p.capturedAmount == null ? '—' : money(p.capturedAmount, p.capturedCurrency ?? p.currency)}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={p.status} />
                  </td>
                  <td data-label="Created">
                    <Time value={p.createdAt} />
                  </td>
                  <td data-label="Paid">
                    <Time value={p.paidAt} />
                  </td>
                  <td data-label="Expires">
                    <Time value={p.expiresAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 id="refunds-heading">Refunds</h2>
        {order.refunds.length === 0 ? (
          <p>No refunds.</p>
        ) : (
          <table class="stack" id="refunds" aria-labelledby="refunds-heading">
            <thead>
              <tr>
                <th scope="col">Refund</th>
                <th scope="col" class="num">
                  Amount
                </th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">Requested by</th>
                <th scope="col">Note</th>
                <th scope="col">Gateway</th>
                <th scope="col">Requested</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {order.refunds.map((r) => (
                <tr>
                  <td data-label="Refund" class="mono">
                    {r.id}
                  </td>
                  <td data-label="Amount" class="num amount">
                    {money(r.amount, r.currency)}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                  </td>
                  <td data-label="Reason">{r.reason}</td>
                  <td data-label="Requested by">{humanize(r.initiatedBy)}</td>
                  <td data-label="Note">{r.note ?? '—'}</td>
                  <td data-label="Gateway">
                    {r.failureReason ? <span>Failed: {r.failureReason}</span> : <span class="mono">{r.gatewayReference ?? '—'}</span>}
                  </td>
                  <td data-label="Requested">
                    <Time value={r.createdAt} />
                  </td>
                  <td data-label="Updated">
                    <Time value={r.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 id="timeline-heading">Timeline</h2>
        <table class="stack" id="timeline" aria-labelledby="timeline-heading">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Actor</th>
              <th scope="col">Status</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {order.timeline.map((entry) => (
              <tr>
                <td data-label="Time">
                  <Time value={entry.at} />
                </td>
                <td data-label="Event">{humanize(entry.event)}</td>
                <td data-label="Actor">{humanize(entry.actor)}</td>
                <td data-label="Status">{humanize(entry.status)}</td>
                <td data-label="Message">{entry.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </AdminLayout>
  );
}
