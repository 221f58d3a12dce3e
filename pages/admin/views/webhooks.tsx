// Webhooks on the admin pages: the endpoints section of the settings page, the deliveries section of an
// order page, and the page that shows a new signing secret once.
import type { Words } from '../../../core/i18n/messages.js';
import { MERCHANT_EVENT_TYPES } from '../../../domain/merchant-events.js';
import type { DeliveryView, EndpointView } from '../../../services/merchant-webhooks.js';
import { Time } from '../../shared/ui.js';
import { AdminLayout, CsrfField, Field, type PageChrome } from './common.js';

function EndpointActions({ endpoint, csrfToken }: { endpoint: EndpointView; csrfToken: string }) {
  const post = (action: string, label: string) => (
    <form method="post" action={`/admin/settings/webhooks/${encodeURIComponent(endpoint.id)}/${action}`} class="inline">
      <CsrfField token={csrfToken} />
      <button type="submit" class={action === 'delete' ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="inline">
      {endpoint.enabled ? post('disable', 'Disable') : post('enable', 'Enable')}
      {post('rotate', 'Rotate secret')}
      {post('delete', 'Delete')}
    </div>
  );
}

/** The endpoints of the page's mode; a disabled one says why (a failing endpoint is disabled after 3 days). */
export function WebhookEndpointsSection({ endpoints, csrfToken, words }: { endpoints: EndpointView[]; csrfToken: string; words: Words }) {
  return (
    <section class="card" aria-labelledby="webhooks-heading" id="webhooks">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p class="hint">Signed events about your orders, sent to your server (see the README for verifying them). Each endpoint gets the events of this mode only.</p>
      {endpoints.map((endpoint) => (
        <section class="card" aria-label={endpoint.url} id={`webhook-${endpoint.id}`}>
          <p>
            <span class="mono">{endpoint.url}</span> · {endpoint.enabled ? 'enabled' : 'disabled'}
          </p>
          {!endpoint.enabled && endpoint.disabledReason && (
            <p class="flash flash-error" role="alert">
              Disabled: {endpoint.disabledReason}
            </p>
          )}
          {endpoint.enabled && endpoint.failingSince && (
            <p class="flash flash-error" role="alert">
              Failing since <Time value={endpoint.failingSince} words={words} />: deliveries are retried for 3 days, then the endpoint is disabled.
            </p>
          )}
          <p class="hint">{endpoint.eventTypes.join(', ')}</p>
          {endpoint.previousSecretExpiresAt && (
            <p class="hint">
              The previous secret signs too until <Time value={endpoint.previousSecretExpiresAt} words={words} />.
            </p>
          )}
          <EndpointActions endpoint={endpoint} csrfToken={csrfToken} />
        </section>
      ))}
      <form method="post" action="/admin/settings/webhooks">
        <CsrfField token={csrfToken} />
        <Field id="webhook-url" name="url" label="Endpoint URL" hint="https only in live mode; test mode may use http://localhost." required maxlength={2000} />
        <fieldset>
          <legend>Events</legend>
          {MERCHANT_EVENT_TYPES.map((type) => (
            <div class="check">
              <input type="checkbox" id={`webhook-type-${type}`} name={`eventType-${type}`} value="on" checked />
              <label for={`webhook-type-${type}`}>{type}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Add endpoint</button>
      </form>
    </section>
  );
}

/** The new secret, on a page of its own: shown this once, never stored in the clear. */
export function WebhookSecretPage(props: PageChrome & { endpoint: EndpointView; secret: string }) {
  return (
    <AdminLayout {...props} title="Webhook signing secret" current="settings">
      <h1>Webhook signing secret</h1>
      <p>
        The signing secret of <span class="mono">{props.endpoint.url}</span>. Copy it now: it is not shown again.
      </p>
      <p class="mono" id="webhook-secret">
        {props.secret}
      </p>
      <p>
        <a href="/admin/settings#webhooks">Back to settings</a>
      </p>
    </AdminLayout>
  );
}

/** The order's webhook deliveries, each with its attempts and a resend button. */
export function OrderDeliveriesSection({ orderId, deliveries, csrfToken, words }: { orderId: string; deliveries: DeliveryView[]; csrfToken: string; words: Words }) {
  return (
    <section aria-labelledby="deliveries-heading" id="deliveries">
      <h2 id="deliveries-heading">Webhook deliveries</h2>
      {deliveries.length === 0 ? (
        <p>No webhooks sent for this order.</p>
      ) : (
        <table class="stack" aria-labelledby="deliveries-heading">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Resend</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => {
              const last = d.attempts.at(-1);
              return (
                <tr>
                  <td data-label="Event">
                    {d.type} <Time value={d.createdAt} words={words} />
                  </td>
                  <td data-label="Endpoint" class="mono">
                    {d.url}
                  </td>
                  <td data-label="Status">{d.status}</td>
                  <td data-label="Attempts">{d.attempts.length}</td>
                  <td data-label="Last answer">{last ? (last.statusCode !== null ? `${last.statusCode} in ${last.durationMs} ms` : (last.error ?? '')) : '—'}</td>
                  <td data-label="Resend">
                    <form method="post" action={`/admin/orders/${encodeURIComponent(orderId)}/webhooks/${encodeURIComponent(d.id)}/resend`}>
                      <CsrfField token={csrfToken} />
                      <button type="submit">Resend</button>
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
