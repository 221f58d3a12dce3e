import { raw } from 'hono/html';
import { actionAllowed, REFUNDS_ALLOWED } from '../../../domain/order-actions.js';
import type { DeliveryView } from '../../../services/merchant-webhooks.js';
import type { OrderView } from '../../../services/order-reads.js';
import { money } from '../../shared/format.js';
import { gatewayName } from '../gateway-fields.js';
import { Message } from '../../i18n/message.js';
import { StatusBadge, Time } from '../../shared/ui.js';
import type { Flash } from '../session.js';
import type { Words } from '../../../core/i18n/messages.js';
import { statusReasonWords } from '../../shared/status-reason.js';
import { actorWords, eventWords } from '../../shared/timeline-words.js';
import { refundText, timelineDetail } from '../../../domain/timeline-words.js';
import { AdminLayout, CsrfField, Field, FlashMessage, type PageChrome } from './common.js';
import { RefundRequestIdField } from '../../shared/refund-request-id.js';
import { payablePayment } from '../../shared/payable-payment.js';
import { PaymentQr, QR_SCRIPT } from '../../shared/qr-code.js';
import { OrderDeliveriesSection } from './webhooks.js';

export interface OrderPageProps extends PageChrome {
  csrfToken: string;
  order: OrderView;
  /** What can still be refunded (paid minus pending, processing and succeeded refunds). */
  refundable: number;
  /** The run in the Temporal Web UI, when the deployment says where that is. */
  workflow?: { id: string; url: string };
  /** Webhooks sent to the merchant's endpoints about this order. */
  deliveries: DeliveryView[];
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
      <h2 id="payment-code-heading">{words.t('admin.payment_code')}</h2>
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

function Actions({ order, refundable, csrfToken, words: w }: Pick<OrderPageProps, 'order' | 'refundable' | 'csrfToken' | 'words'>) {
  const base = `/admin/orders/${encodeURIComponent(order.id)}`;
  const pending = order.refunds.filter((r) => r.status === 'pending_approval');
  const canRefund = refundable > 0 && REFUNDS_ALLOWED[order.status];
  const forms = [];
  if (actionAllowed('confirm', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="confirm-heading">
        <h3 id="confirm-heading">{w.t('admin.action.confirm.heading')}</h3>
        <p>{w.t('admin.action.confirm.text')}</p>
        <form method="post" action={`${base}/confirm`}>
          <CsrfField token={csrfToken} />
          <button type="submit">{w.t('admin.action.confirm.submit')}</button>
        </form>
      </section>,
    );
  }
  if (actionAllowed('decline', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="decline-heading">
        <h3 id="decline-heading">{w.t('admin.action.decline.heading')}</h3>
        <form method="post" action={`${base}/decline`} class="stacked">
          <CsrfField token={csrfToken} />
          <Field id="decline-reason" name="reason" label={w.t('field.reason')} hint={w.t('admin.action.decline.hint')} required maxlength={500} />
          <div>
            <button type="submit" class="danger">
              {w.t('admin.action.decline.submit')}
            </button>
          </div>
        </form>
      </section>,
    );
  }
  if (actionAllowed('ship', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="ship-heading">
        <h3 id="ship-heading">{w.t('admin.action.ship.heading')}</h3>
        <form method="post" action={`${base}/ship`} class="stacked">
          <CsrfField token={csrfToken} />
          <Field id="ship-carrier" name="carrier" label={w.t('field.carrier')} hint={w.t('admin.action.ship.carrier_hint')} required maxlength={100} />
          <Field id="ship-tracking" name="trackingNumber" label={w.t('field.tracking')} required maxlength={100} />
          <div>
            <button type="submit">{w.t('admin.action.ship.submit')}</button>
          </div>
        </form>
      </section>,
    );
  }
  if (actionAllowed('deliver', order.status)) {
    forms.push(
      <section class="card" aria-labelledby="deliver-heading">
        <h3 id="deliver-heading">{w.t('admin.action.deliver.heading')}</h3>
        <form method="post" action={`${base}/deliver`}>
          <CsrfField token={csrfToken} />
          <button type="submit">{w.t('admin.action.deliver.submit')}</button>
        </form>
      </section>,
    );
  }
  if (actionAllowed('accept-payment', order.status)) {
    const payment = order.payments[0];
    const captured = money(payment?.capturedAmount ?? 0, payment?.capturedCurrency ?? order.currency);
    forms.push(
      <section class="card" aria-labelledby="review-heading">
        <h3 id="review-heading">{w.t('admin.action.review.heading')}</h3>
        <p>
          <Message words={w} id="admin.action.review.text" params={{ captured: <span class="amount">{captured}</span>, total: <span class="amount">{money(order.total, order.currency)}</span> }} />
        </p>
        <div class="grid">
          <form method="post" action={`${base}/accept-payment`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id="accept-payment-note" name="note" label={w.t('admin.action.note_optional')} maxlength={500} />
            <div>
              <button type="submit">{w.t('admin.action.accept.submit', { amount: captured })}</button>
            </div>
          </form>
          <form method="post" action={`${base}/refund-payment`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id="refund-payment-reason" name="reason" label={w.t('field.reason')} hint={w.t('admin.action.refund_payment.hint')} required maxlength={500} />
            <div>
              <button type="submit" class="danger">
                {w.t('admin.action.refund_payment.submit', { amount: captured })}
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
          <Message words={w} id="admin.action.decide.heading" params={{ amount: <span class="amount">{money(refund.amount, refund.currency)}</span> }} />
        </h3>
        <p>
          <Message words={w} id="admin.action.decide.reason" params={{ reason: <q>{refund.reason}</q> }} />
        </p>
        <div class="grid">
          <form method="post" action={`${base}/refunds/${id}/approve`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id={`approve-note-${refund.id}`} name="note" label={w.t('admin.action.note_optional')} maxlength={500} />
            <div>
              <button type="submit">{w.t('admin.action.approve.submit')}</button>
            </div>
          </form>
          <form method="post" action={`${base}/refunds/${id}/reject`} class="stacked">
            <CsrfField token={csrfToken} />
            <Field id={`reject-note-${refund.id}`} name="note" label={w.t('admin.action.reject.note')} hint={w.t('admin.action.reject.hint')} required maxlength={500} />
            <div>
              <button type="submit" class="danger">
                {w.t('admin.action.reject.submit')}
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
        <h3 id="refund-heading">{w.t('admin.action.refund.heading')}</h3>
        <form method="post" action={`${base}/refunds`} class="stacked">
          <CsrfField token={csrfToken} />
          <RefundRequestIdField />
          <Field
            id="refund-amount"
            name="amount"
            label={w.t('admin.action.refund.amount', { currency: order.currency })}
            hint={w.t('admin.action.refund.hint', { amount: money(refundable, order.currency) })}
            inputmode="decimal"
            maxlength={20}
          />
          <Field id="refund-reason" name="reason" label={w.t('field.reason')} required maxlength={500} />
          <div>
            <button type="submit">{w.t('admin.action.refund.submit')}</button>
          </div>
        </form>
      </section>,
    );
  }
  if (forms.length === 0) return <p class="muted">{w.t('admin.action.none', { status: w.t(`badge.${order.status}`).toLocaleLowerCase(w.locale) })}</p>;
  return <div class="grid">{forms}</div>;
}

export function OrderPage(props: OrderPageProps) {
  const { order, refundable, workflow, flash, csrfToken, words: w } = props;
  const c = order.currency;
  // What was paid is held in the currency it was captured in (another one only when the merchant accepted it).
  const paidIn = order.payments[0]?.capturedCurrency ?? c;
  const inFlight = order.status === 'awaiting_payment' || order.refunds.some((r) => r.status === 'processing');
  return (
    <AdminLayout {...props} title={w.t('order.title', { orderNo: order.orderNo })} current="orders" tail={inFlight ? <script nonce={props.nonce}>{raw(REFRESH_SCRIPT + QR_SCRIPT)}</script> : undefined}>
      <p>
        <a href="/admin">{w.t('admin.all_orders')}</a>
      </p>
      <article id="order" data-updated={order.updatedAt ?? ''}>
        <h1>
          {w.t('order.title', { orderNo: order.orderNo })} <StatusBadge status={order.status} words={w} />
        </h1>
        <FlashMessage flash={flash} />
        {order.alerts.includes('projection_failed') && (
          <div role="alert" class="flash flash-error">
            {w.t('admin.projection_failed')}
          </div>
        )}
        <dl class="facts card">
          <dt>{w.t('admin.status')}</dt>
          <dd>
            {w.t(`badge.${order.status}`)}
            {order.statusReason && <span class="muted"> — {statusReasonWords(order, w)}</span>}
          </dd>
          <dt>{w.t('admin.total')}</dt>
          <dd class="amount">{money(order.total, c)}</dd>
          <dt>{w.t('admin.paid')}</dt>
          <dd class="amount">{money(order.paidAmount, paidIn)}</dd>
          <dt>{w.t('admin.refunded')}</dt>
          <dd class="amount">{money(order.refundedAmount, paidIn)}</dd>
          <dt>{w.t('admin.placed')}</dt>
          <dd>
            <Time value={order.createdAt} words={w} />
          </dd>
          <dt>{w.t('admin.last_change')}</dt>
          <dd>
            <Time value={order.updatedAt} words={w} />
          </dd>
          <dt>{w.t('admin.order_id')}</dt>
          <dd class="mono">{order.id}</dd>
          {workflow && (
            <>
              <dt>{w.t('admin.workflow_run')}</dt>
              <dd>
                <a class="mono" href={workflow.url} rel="noopener noreferrer">
                  {workflow.id}
                </a>{' '}
                <span class="muted">{w.t('admin.temporal_ui')}</span>
              </dd>
            </>
          )}
        </dl>

        <PaymentCode order={order} merchantName={props.merchantName ?? ''} words={props.words} />

        <h2>{w.t('admin.actions')}</h2>
        <Actions order={order} refundable={refundable} csrfToken={csrfToken} words={w} />

        <h2 id="items-heading">{w.t('admin.items')}</h2>
        <table class="stack" aria-labelledby="items-heading">
          <thead>
            <tr>
              <th scope="col">{w.t('admin.product')}</th>
              <th scope="col">{w.t('admin.sku')}</th>
              <th scope="col" class="num">
                {w.t('admin.quantity')}
              </th>
              <th scope="col" class="num">
                {w.t('admin.unit_price')}
              </th>
              <th scope="col" class="num">
                {w.t('admin.line_total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr>
                <td data-label={w.t('admin.product')}>{item.name}</td>
                <td data-label={w.t('admin.sku')} class="mono">
                  {item.sku}
                </td>
                <td data-label={w.t('admin.quantity')} class="num">
                  {item.quantity}
                </td>
                <td data-label={w.t('admin.unit_price')} class="num amount">
                  {money(item.unitAmount, c)}
                </td>
                <td data-label={w.t('admin.line_total')} class="num amount">
                  {money(item.lineTotal, c)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="facts card" aria-label={w.t('admin.order_totals')}>
          <dt>{w.t('admin.subtotal')}</dt>
          <dd class="amount">{money(order.subtotal, c)}</dd>
          <dt>{w.t('admin.shipping')}</dt>
          <dd class="amount">{money(order.shippingFee, c)}</dd>
          {!order.taxIncluded && (
            <>
              <dt>{w.t('admin.tax')}</dt>
              <dd class="amount">{money(order.tax, c)}</dd>
            </>
          )}
          <dt>{w.t('admin.total')}</dt>
          <dd class="amount">
            <strong>{money(order.total, c)}</strong>
            {/* Tax-inclusive prices: the tax is in the prices, shown, not added. */}
            {order.taxIncluded && <span class="muted"> {w.t('admin.tax_included', { amount: money(order.tax, c) })}</span>}
          </dd>
        </dl>

        <div class="grid">
          <section class="card" aria-labelledby="customer-heading">
            <h2 id="customer-heading">{w.t('admin.customer')}</h2>
            <dl class="facts">
              <dt>{w.t('admin.name')}</dt>
              <dd>{order.customer.name}</dd>
              <dt>{w.t('admin.email')}</dt>
              <dd>
                <a href={`mailto:${order.customer.email}`}>{order.customer.email}</a>
              </dd>
              <dt>{w.t('admin.phone')}</dt>
              <dd>
                <a href={`tel:${order.customer.phone.replace(/[^+0-9]/g, '')}`}>{order.customer.phone}</a>
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="address-heading">
            <h2 id="address-heading">{w.t('admin.shipping_address')}</h2>
            <Address order={order} />
          </section>
          <section class="card" aria-labelledby="shipment-heading" id="shipment">
            <h2 id="shipment-heading">{w.t('admin.shipment')}</h2>
            {order.shipment ? (
              <dl class="facts">
                <dt>{w.t('admin.carrier')}</dt>
                <dd>{order.shipment.carrier}</dd>
                <dt>{w.t('admin.tracking')}</dt>
                <dd class="mono">{order.shipment.trackingNumber}</dd>
                <dt>{w.t('admin.shipped')}</dt>
                <dd>
                  <Time value={order.shipment.shippedAt} words={w} />
                </dd>
                <dt>{w.t('admin.delivered')}</dt>
                <dd>
                  <Time value={order.shipment.deliveredAt} words={w} />
                </dd>
              </dl>
            ) : (
              <p>{w.t('admin.not_shipped')}</p>
            )}
          </section>
        </div>

        <h2 id="payments-heading">{w.t('admin.payments')}</h2>
        {order.payments.length === 0 ? (
          <p>{w.t('admin.no_payment')}</p>
        ) : (
          <table class="stack" aria-labelledby="payments-heading">
            <thead>
              <tr>
                <th scope="col">{w.t('admin.payment')}</th>
                <th scope="col">{w.t('admin.gateway')}</th>
                <th scope="col">{w.t('admin.gateway_reference')}</th>
                <th scope="col" class="num">
                  {w.t('admin.amount')}
                </th>
                <th scope="col" class="num">
                  {w.t('admin.captured')}
                </th>
                <th scope="col">{w.t('admin.status')}</th>
                <th scope="col">{w.t('admin.created')}</th>
                <th scope="col">{w.t('admin.paid_at')}</th>
                <th scope="col">{w.t('admin.expires')}</th>
              </tr>
            </thead>
            <tbody>
              {order.payments.map((p) => (
                <tr>
                  <td data-label={w.t('admin.payment')} class="mono">
                    {p.id}
                  </td>
                  <td data-label={w.t('admin.gateway')}>{gatewayName(p.gateway, w)}</td>
                  <td data-label={w.t('admin.gateway_reference')} class="mono">
                    {p.gatewayReference ?? '—'}
                  </td>
                  <td data-label={w.t('admin.amount')} class="num amount">
                    {money(p.amount, p.currency)}
                  </td>
                  <td data-label={w.t('admin.captured')} class="num amount">
                    {p.capturedAmount == null ? '—' : money(p.capturedAmount, p.capturedCurrency ?? p.currency)}
                  </td>
                  <td data-label={w.t('admin.status')}>
                    <StatusBadge status={p.status} words={w} />
                  </td>
                  <td data-label={w.t('admin.created')}>
                    <Time value={p.createdAt} words={w} />
                  </td>
                  <td data-label={w.t('admin.paid_at')}>
                    <Time value={p.paidAt} words={w} />
                  </td>
                  <td data-label={w.t('admin.expires')}>
                    <Time value={p.expiresAt} words={w} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 id="refunds-heading">{w.t('admin.refunds')}</h2>
        {order.refunds.length === 0 ? (
          <p>{w.t('admin.no_refunds')}</p>
        ) : (
          <table class="stack" id="refunds" aria-labelledby="refunds-heading">
            <thead>
              <tr>
                <th scope="col">{w.t('admin.refund')}</th>
                <th scope="col" class="num">
                  {w.t('admin.amount')}
                </th>
                <th scope="col">{w.t('admin.status')}</th>
                <th scope="col">{w.t('admin.reason')}</th>
                <th scope="col">{w.t('admin.requested_by')}</th>
                <th scope="col">{w.t('admin.note')}</th>
                <th scope="col">{w.t('admin.gateway')}</th>
                <th scope="col">{w.t('admin.requested')}</th>
                <th scope="col">{w.t('admin.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {order.refunds.map((r) => (
                <tr>
                  <td data-label={w.t('admin.refund')} class="mono">
                    {r.id}
                  </td>
                  <td data-label={w.t('admin.amount')} class="num amount">
                    {money(r.amount, r.currency)}
                  </td>
                  <td data-label={w.t('admin.status')}>
                    <StatusBadge status={r.status} words={w} />
                  </td>
                  <td data-label={w.t('admin.reason')}>{refundText(r, 'reason', w)}</td>
                  <td data-label={w.t('admin.requested_by')}>{actorWords(r.initiatedBy, w)}</td>
                  <td data-label={w.t('admin.note')}>{refundText(r, 'note', w) ?? '—'}</td>
                  <td data-label={w.t('admin.gateway')}>
                    {r.failureReason ? <span>{w.t('admin.refund_failed', { reason: refundText(r, 'failure', w) ?? r.failureReason })}</span> : <span class="mono">{r.gatewayReference ?? '—'}</span>}
                  </td>
                  <td data-label={w.t('admin.requested')}>
                    <Time value={r.createdAt} words={w} />
                  </td>
                  <td data-label={w.t('admin.updated')}>
                    <Time value={r.updatedAt} words={w} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 id="timeline-heading">{w.t('admin.timeline')}</h2>
        <table class="stack" id="timeline" aria-labelledby="timeline-heading">
          <thead>
            <tr>
              <th scope="col">{w.t('admin.time')}</th>
              <th scope="col">{w.t('admin.event')}</th>
              <th scope="col">{w.t('admin.actor')}</th>
              <th scope="col">{w.t('admin.status')}</th>
              <th scope="col">{w.t('admin.message')}</th>
            </tr>
          </thead>
          <tbody>
            {order.timeline.map((entry) => (
              <tr>
                <td data-label={w.t('admin.time')}>
                  <Time value={entry.at} words={w} />
                </td>
                <td data-label={w.t('admin.event')}>{eventWords(entry.event, w)}</td>
                <td data-label={w.t('admin.actor')}>{actorWords(entry.actor, w)}</td>
                <td data-label={w.t('admin.status')}>{w.t(`badge.${entry.status}`)}</td>
                <td data-label={w.t('admin.message')}>{timelineDetail(entry, w) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <OrderDeliveriesSection orderId={order.id} deliveries={props.deliveries} csrfToken={props.csrfToken} words={w} />
      </article>
    </AdminLayout>
  );
}
