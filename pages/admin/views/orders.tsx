import { ORDER_STATUSES } from '../../../domain/order.js';
import type { EmailBacklog } from '../../../services/customer-email.js';
import type { OrderListPage } from '../../../services/order-list.js';
import { money } from '../../shared/format.js';
import { gatewayName } from '../gateway-fields.js';
import { StatusBadge, Time } from '../../shared/ui.js';
import type { Problem } from '../forms.js';
import type { Flash } from '../session.js';
import type { Words } from '../../../core/i18n/messages.js';
import { AdminLayout, ErrorSummary, FlashMessage, type PageChrome } from './common.js';

export interface OrdersPageProps extends PageChrome {
  filters: { status: string; q: string; cursor?: string };
  page?: OrderListPage;
  problems?: Problem[];
  flash?: Flash;
  email?: EmailBacklog;
}

/** `/admin?status=..&q=..&cursor=..`, leaving out what is empty. */
export function listUrl(filters: { status?: string; q?: string; cursor?: string }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `/admin?${query}` : '/admin';
}

export function OrdersPage(props: OrdersPageProps) {
  const w = props.words;
  const { filters, page, problems, flash, email } = props;
  const filtered = Boolean(filters.status || filters.q);
  return (
    <AdminLayout {...props} title={w.t('admin.orders')} current="orders">
      <h1>{w.t('admin.orders')}</h1>
      <FlashMessage flash={flash} />
      <EmailNotice email={email} words={w} />
      <ErrorSummary problems={problems} words={w} />
      <section class="card" aria-labelledby="filter-heading">
        <h2 id="filter-heading" class="visually-hidden">
          {w.t('admin.list.find')}
        </h2>
        <form method="get" action="/admin" class="inline" role="search">
          <div class="field">
            <label for="filter-status">{w.t('field.status')}</label>
            <select id="filter-status" name="status">
              <option value="" selected={!filters.status}>
                {w.t('admin.list.all_statuses')}
              </option>
              {ORDER_STATUSES.map((status) => (
                <option value={status} selected={filters.status === status}>
                  {w.t(`badge.${status}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-q">{w.t('field.search')}</label>
            <input id="filter-q" name="q" type="search" value={filters.q} maxlength={200} aria-describedby="filter-q-hint" />
            <span class="hint" id="filter-q-hint">
              {w.t('admin.list.search_hint')}
            </span>
          </div>
          <div class="field">
            <button type="submit">{w.t('admin.list.show')}</button>
          </div>
          {filtered && (
            <div class="field">
              <a class="button secondary" href="/admin">
                {w.t('admin.list.clear')}
              </a>
            </div>
          )}
        </form>
      </section>
      {page && page.orders.length === 0 && <p>{w.t(filtered ? 'admin.list.none_match' : 'admin.list.none')}</p>}
      {page && page.orders.length > 0 && (
        <table class="stack">
          <caption>{w.t(filtered ? 'admin.list.matching' : 'admin.list.all')}</caption>
          <thead>
            <tr>
              <th scope="col">{w.t('admin.list.order')}</th>
              <th scope="col">{w.t('admin.placed')}</th>
              <th scope="col">{w.t('admin.customer')}</th>
              <th scope="col">{w.t('admin.status')}</th>
              <th scope="col">{w.t('admin.payment')}</th>
              <th scope="col" class="num">
                {w.t('admin.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {page.orders.map((order) => (
              <tr>
                <td data-label={w.t('admin.list.order')}>
                  <a href={`/admin/orders/${encodeURIComponent(order.id)}`}>{order.orderNo}</a>
                </td>
                <td data-label={w.t('admin.placed')}>
                  <Time value={order.createdAt} words={props.words} />
                </td>
                <td data-label={w.t('admin.customer')}>
                  <span>
                    {order.customer.name}
                    <br />
                    <span class="muted">{order.customer.email}</span>
                  </span>
                </td>
                <td data-label={w.t('admin.status')}>
                  <StatusBadge status={order.status} words={props.words} />
                </td>
                <td data-label={w.t('admin.payment')}>{gatewayName(order.paymentMethod, w)}</td>
                <td data-label={w.t('admin.total')} class="num">
                  <span>
                    <span class="amount">{money(order.total, order.currency)}</span>
                    {order.refundedAmount > 0 && (
                      <>
                        <br />
                        <span class="muted amount">{w.t('admin.list.refunded', { amount: money(order.refundedAmount, order.currency) })}</span>
                      </>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (page.nextCursor || filters.cursor) && (
        <nav class="pager" aria-label={w.t('admin.list.pages')}>
          {filters.cursor && <a href={listUrl({ status: filters.status, q: filters.q })}>{w.t('admin.list.newest')}</a>}
          {page.nextCursor && (
            <a href={listUrl({ status: filters.status, q: filters.q, cursor: page.nextCursor })} rel="next">
              {w.t('admin.list.older')}
            </a>
          )}
        </nav>
      )}
    </AdminLayout>
  );
}

/** Customer e-mail that has not gone out: because SMTP is not configured, or still being retried. */
function EmailNotice({ email, words: w }: { email?: EmailBacklog; words: Words }) {
  if (!email || (email.configured && email.waiting === 0)) return null;
  const count = new Intl.PluralRules(w.locale).select(email.waiting) === 'one' ? 'one' : 'other';
  return (
    <p class="notice" id="email-notice">
      {w.t(`admin.list.${email.configured ? 'email_waiting' : 'email_unconfigured'}.${count}`, { count: email.waiting })}
    </p>
  );
}
