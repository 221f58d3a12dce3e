// Webhooks on the admin pages: the endpoints section of the settings page, the deliveries section of an
// order page, and the page that shows a new signing secret once.
import type { PlainKey, Words } from '../../../core/i18n/messages.js';
import { MERCHANT_EVENT_TYPES } from '../../../domain/merchant-events.js';
import type { DeliveryView, EndpointView } from '../../../services/merchant-webhooks.js';
import { Time } from '../../shared/ui.js';
import { Message } from '../../i18n/message.js';
import { AdminLayout, CsrfField, Field, type PageChrome } from './common.js';

/** A delivery's status as a badge's words where the catalogs have them (`pending`, `succeeded`, `failed`), else as stored. */
const deliveryStatus = (status: string, w: Words) => {
  const key = `badge.${status}`;
  return w.has(key) ? w.t(key as PlainKey) : status;
};

function EndpointActions({ endpoint, csrfToken, words: w }: { endpoint: EndpointView; csrfToken: string; words: Words }) {
  const post = (action: 'enable' | 'disable' | 'rotate' | 'delete', label: string) => (
    <form method="post" action={`/admin/settings/webhooks/${encodeURIComponent(endpoint.id)}/${action}`} class="inline">
      <CsrfField token={csrfToken} />
      <button type="submit" class={action === 'delete' ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="inline">
      {endpoint.enabled ? post('disable', w.t('admin.webhooks.disable')) : post('enable', w.t('admin.webhooks.enable'))}
      {post('rotate', w.t('admin.webhooks.rotate'))}
      {post('delete', w.t('admin.webhooks.delete'))}
    </div>
  );
}

/** The endpoints of the page's mode; a disabled one says why (a failing endpoint is disabled after 3 days). */
export function WebhookEndpointsSection({ endpoints, csrfToken, words: w }: { endpoints: EndpointView[]; csrfToken: string; words: Words }) {
  return (
    <section class="card" aria-labelledby="webhooks-heading" id="webhooks">
      <h2 id="webhooks-heading">{w.t('admin.webhooks.heading')}</h2>
      <p class="hint">{w.t('admin.webhooks.hint')}</p>
      {endpoints.map((endpoint) => (
        <section class="card" aria-label={endpoint.url} id={`webhook-${endpoint.id}`}>
          <p>
            <span class="mono">{endpoint.url}</span> · {w.t(endpoint.enabled ? 'admin.webhooks.enabled' : 'admin.webhooks.disabled')}
          </p>
          {!endpoint.enabled && endpoint.disabledReason && (
            <p class="flash flash-error" role="alert">
              {w.t('admin.webhooks.disabled_because', { reason: endpoint.disabledReason })}
            </p>
          )}
          {endpoint.enabled && endpoint.failingSince && (
            <p class="flash flash-error" role="alert">
              <Message words={w} id="admin.webhooks.failing_since" params={{ time: <Time value={endpoint.failingSince} words={w} /> }} />
            </p>
          )}
          <p class="hint">{endpoint.eventTypes.join(', ')}</p>
          {endpoint.previousSecretExpiresAt && (
            <p class="hint">
              <Message words={w} id="admin.webhooks.previous_secret" params={{ time: <Time value={endpoint.previousSecretExpiresAt} words={w} /> }} />
            </p>
          )}
          <EndpointActions endpoint={endpoint} csrfToken={csrfToken} words={w} />
        </section>
      ))}
      <form method="post" action="/admin/settings/webhooks">
        <CsrfField token={csrfToken} />
        <Field id="webhook-url" name="url" label={w.t('admin.webhooks.url')} hint={w.t('admin.webhooks.url_hint')} required maxlength={2000} />
        <fieldset>
          <legend>{w.t('admin.webhooks.events')}</legend>
          {MERCHANT_EVENT_TYPES.map((type) => (
            <div class="check">
              <input type="checkbox" id={`webhook-type-${type}`} name={`eventType-${type}`} value="on" checked />
              <label for={`webhook-type-${type}`}>{type}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{w.t('admin.webhooks.add')}</button>
      </form>
    </section>
  );
}

/** The new secret, on a page of its own: shown this once, never stored in the clear. */
export function WebhookSecretPage(props: PageChrome & { endpoint: EndpointView; secret: string }) {
  const w = props.words;
  return (
    <AdminLayout {...props} title={w.t('admin.webhooks.secret_title')} current="settings">
      <h1>{w.t('admin.webhooks.secret_title')}</h1>
      <p>
        <Message words={w} id="admin.webhooks.secret_text" params={{ url: <span class="mono">{props.endpoint.url}</span> }} />
      </p>
      <p class="mono" id="webhook-secret">
        {props.secret}
      </p>
      <p>
        <a href="/admin/settings#webhooks">{w.t('admin.webhooks.back')}</a>
      </p>
    </AdminLayout>
  );
}

/** The order's webhook deliveries, each with its attempts and a resend button. */
export function OrderDeliveriesSection({ orderId, deliveries, csrfToken, words: w }: { orderId: string; deliveries: DeliveryView[]; csrfToken: string; words: Words }) {
  return (
    <section aria-labelledby="deliveries-heading" id="deliveries">
      <h2 id="deliveries-heading">{w.t('admin.deliveries.heading')}</h2>
      {deliveries.length === 0 ? (
        <p>{w.t('admin.deliveries.none')}</p>
      ) : (
        <table class="stack" aria-labelledby="deliveries-heading">
          <thead>
            <tr>
              <th scope="col">{w.t('admin.deliveries.event')}</th>
              <th scope="col">{w.t('admin.deliveries.endpoint')}</th>
              <th scope="col">{w.t('admin.deliveries.status')}</th>
              <th scope="col">{w.t('admin.deliveries.attempts')}</th>
              <th scope="col">{w.t('admin.deliveries.last_answer')}</th>
              <th scope="col">{w.t('admin.deliveries.resend')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => {
              const last = d.attempts.at(-1);
              return (
                <tr>
                  <td data-label={w.t('admin.deliveries.event')}>
                    {d.type} <Time value={d.createdAt} words={w} />
                  </td>
                  <td data-label={w.t('admin.deliveries.endpoint')} class="mono">
                    {d.url}
                  </td>
                  <td data-label={w.t('admin.deliveries.status')}>{deliveryStatus(d.status, w)}</td>
                  <td data-label={w.t('admin.deliveries.attempts')}>{d.attempts.length}</td>
                  <td data-label={w.t('admin.deliveries.last_answer')}>{last ? (last.statusCode !== null ? w.t('admin.deliveries.answer', { status: last.statusCode, ms: last.durationMs }) : (last.error ?? '')) : '—'}</td>
                  <td data-label={w.t('admin.deliveries.resend')}>
                    <form method="post" action={`/admin/orders/${encodeURIComponent(orderId)}/webhooks/${encodeURIComponent(d.id)}/resend`}>
                      <CsrfField token={csrfToken} />
                      <button type="submit">{w.t('admin.deliveries.resend')}</button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
