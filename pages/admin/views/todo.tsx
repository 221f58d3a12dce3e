// The page the admin opens on: what waits for the merchant, each item one link from where it is dealt with.
import type { Child } from 'hono/jsx';
import type { MessageKey, Words } from '../../../core/i18n/messages.js';
import type { TodoOverview } from '../../../services/todo.js';
import { StatusBadge } from '../../shared/ui.js';
import { AdminLayout, type PageChrome } from './common.js';
import { listUrl } from './orders.js';

type OrderItem = TodoOverview['lists']['confirm'][number];

const orderUrl = (id: string, anchor: string) => `/admin/orders/${encodeURIComponent(id)}#${anchor}`;

/** One kind of work: its heading with the count, its items, and the way to all of them when more wait. */
function Section(props: { id: string; title: string; count: number; shown: number; all?: string; words: Words; children?: Child }) {
  const { id, title, count, shown, all, words: w, children } = props;
  if (count === 0) return null;
  return (
    <section class="card" aria-labelledby={`${id}-heading`} id={id}>
      <h2 id={`${id}-heading`}>
        {title} <span class="badge badge-warn todo-count">{count}</span>
      </h2>
      {children}
      {count > shown && (
        <p class="muted">
          {w.t('admin.todo.more', { shown })} {all && <a href={all}>{w.t('admin.todo.see_all')}</a>}
        </p>
      )}
    </section>
  );
}

function OrderLine({ order, href, action, extra, words }: { order: OrderItem; href: string; action: MessageKey & `admin.todo.go_${string}`; extra?: Child; words: Words }) {
  return (
    <li>
      <a href={href}>
        {order.orderNo} — {words.t(action)}
      </a>{' '}
      <span class="muted">
        {order.customerName} · {words.money(order.total, order.currency)}
      </span>{' '}
      {extra}
    </li>
  );
}

export function TodoPage(props: PageChrome & { todo: TodoOverview }) {
  const w = props.words;
  const { counts, lists, emailConfigured } = props.todo;
  const nothing = Object.values(counts).every((n) => n === 0);
  return (
    <AdminLayout {...props} title={w.t('admin.todo.title')} current="todo">
      <h1>{w.t('admin.todo.title')}</h1>
      {nothing && <p id="all-clear">{w.t('admin.todo.all_clear')}</p>}
      <Section id="todo-confirm" title={w.t('admin.todo.confirm')} count={counts.confirm} shown={lists.confirm.length} all={listUrl({ status: 'paid' })} words={w}>
        <ul>
          {lists.confirm.map((order) => (
            <OrderLine order={order} href={orderUrl(order.id, 'confirm-heading')} action="admin.todo.go_confirm" words={w} />
          ))}
        </ul>
      </Section>
      <Section id="todo-ship" title={w.t('admin.todo.ship')} count={counts.ship} shown={lists.ship.length} all={listUrl({ status: 'confirmed' })} words={w}>
        <ul>
          {lists.ship.map((order) => (
            <OrderLine order={order} href={orderUrl(order.id, 'ship-heading')} action="admin.todo.go_ship" words={w} />
          ))}
        </ul>
      </Section>
      <Section id="todo-refunds" title={w.t('admin.todo.refunds')} count={counts.refunds} shown={lists.refunds.length} words={w}>
        <ul>
          {lists.refunds.map((refund) => (
            <OrderLine
              order={refund}
              href={orderUrl(refund.id, `decide-${refund.refundId}`)}
              action="admin.todo.go_decide"
              extra={<strong>{w.t('admin.todo.refund_of', { amount: w.money(refund.refundAmount, refund.currency) })}</strong>}
              words={w}
            />
          ))}
        </ul>
      </Section>
      <Section id="todo-review" title={w.t('admin.todo.review')} count={counts.review} shown={lists.review.length} all={listUrl({ status: 'needs_review' })} words={w}>
        <ul>
          {lists.review.map((order) => (
            <OrderLine
              order={order}
              href={orderUrl(order.id, order.status === 'needs_review' ? 'review-heading' : 'order')}
              action="admin.todo.go_review"
              extra={
                <>
                  <StatusBadge status={order.status} words={w} />
                  {order.alerts.map((code) => (
                    <>
                      {' '}
                      <span class="badge badge-bad mono">{code}</span>
                    </>
                  ))}
                </>
              }
              words={w}
            />
          ))}
        </ul>
      </Section>
      <Section id="todo-webhooks" title={w.t('admin.todo.webhooks')} count={counts.webhooks} shown={lists.webhooks.length} words={w}>
        <ul>
          {lists.webhooks.map((endpoint) => (
            <li>
              <a href={`/admin/settings#webhook-${encodeURIComponent(endpoint.id)}`}>
                <span class="mono">{endpoint.url}</span> — {w.t('admin.todo.go_webhook')}
              </a>{' '}
              <span class="muted">{endpoint.enabled ? w.t('admin.todo.failing') : w.t('admin.todo.disabled', { reason: endpoint.disabledReason ?? '' })}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section id="todo-email" title={w.t('admin.todo.email')} count={counts.email} shown={counts.email} words={w}>
        <p>{w.t(emailConfigured ? 'admin.todo.email_waiting' : 'admin.todo.email_unconfigured', { count: counts.email })}</p>
      </Section>
    </AdminLayout>
  );
}
