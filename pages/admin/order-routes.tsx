// Orders: the list, one order in full, and the merchant's actions on it as plain form posts. The actions are
// the rows of services/order-actions.ts, the same the JSON API (`/v1/admin/...`) serves.
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { Config } from '../../core/config.js';
import { ApiError } from '../../core/errors.js';
import type { Words } from '../../core/i18n/messages.js';
import { refundableAmount, type Refund } from '../../domain/order.js';
import { emailBacklog } from '../../services/customer-email.js';
import { listOrders, OrderListQuery, type OrderListPage } from '../../services/order-list.js';
import { ORDER_ACTION_ROWS, REFUND_DECISION_ROWS, runOrderAction, runRefundDecision, type OrderActionRow } from '../../services/order-actions.js';
import { deliveriesOf } from '../../services/merchant-webhooks.js';
import { loadOrderView, type OrderView } from '../../services/order-reads.js';
import { orderWorkflowId, RefundRequestSchema, requestRefund } from '../../services/order-updates.js';
import { money } from '../shared/format.js';
import { refundRequestIdOf } from '../shared/refund-request-id.js';
import { chrome, pageWords, redirectWithFlash, sessionOf, type AdminContext, type AdminEnv, type AdminPagesDeps } from './context.js';
import { describeIssues, field, parseMoney, type FieldInfo, type FormBody, type Problem } from './forms.js';
import { refusalWords } from './refusal-words.js';
import { OrderPage } from './views/order.js';
import { OrdersPage } from './views/orders.js';

const LIST_FIELDS: Record<string, FieldInfo> = {
  status: { id: 'filter-status', label: 'field.status' },
  q: { id: 'filter-q', label: 'field.search' },
};

/** The run in the Temporal Web UI, when `TEMPORAL_UI_URL` is configured; otherwise no link is shown. */
export function workflowUrl(config: Config, workflowId: string): string | undefined {
  const base = config.temporal.uiUrl;
  if (!base || !/^https?:\/\//.test(base)) return undefined;
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** What can still be refunded, by the domain's own rule (the view's refunds carry what it reads). */
const refundableOf = (order: OrderView) => refundableAmount({ paidAmount: order.paidAmount, refunds: order.refunds.map(({ amount, status }) => ({ amount, status }) as Refund) });

/** The inputs of each action's form on the order page: their ids (the flash's problems name them) and labels. */
const ACTION_FIELDS: Record<OrderActionRow['name'], Record<string, FieldInfo>> = {
  confirm: {},
  decline: { reason: { id: 'decline-reason', label: 'field.reason' } },
  ship: { carrier: { id: 'ship-carrier', label: 'field.carrier' }, trackingNumber: { id: 'ship-tracking', label: 'field.tracking' } },
  deliver: {},
  'accept-payment': { note: { id: 'accept-payment-note', label: 'field.note' } },
  'refund-payment': { reason: { id: 'refund-payment-reason', label: 'field.reason' } },
};

/** The form's fields that the schema names, as typed; an optional one left empty is left out. */
function formInput(schema: z.ZodObject, body: FormBody): Record<string, string> {
  return Object.fromEntries(
    Object.entries(schema.shape).flatMap(([name, type]) => {
      const value = field(body, name);
      return value.trim() === '' && type.safeParse(undefined).success ? [] : [[name, value]];
    }),
  );
}

/** A form that does not pass its schema: one sentence per problem, shown as the flash after the redirect. */
class FormRejected extends Error {}

function validated<T>(result: { success: true; data: T } | { success: false; error: { issues: Parameters<typeof describeIssues>[0] } }, fields: Record<string, FieldInfo>, currency: string, w: Words): T {
  if (result.success) return result.data;
  throw new FormRejected(describeIssues(result.error.issues, fields, currency, w).map((p) => p.message).join(' '));
}

export function registerOrderPages(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  const { db, temporal, config } = deps;

  admin.get('/', async (c) => {
    const filters = { status: c.req.query('status') ?? '', q: (c.req.query('q') ?? '').trim(), cursor: c.req.query('cursor') || undefined };
    const flash = await deps.sessions.takeFlash(sessionOf(c), c.req.query('flash'));
    const parsed = OrderListQuery.safeParse({ status: filters.status || undefined, q: filters.q || undefined, cursor: filters.cursor });
    let page: OrderListPage | undefined;
    let problems: Problem[] | undefined;
    if (!parsed.success) {
      problems = describeIssues(parsed.error.issues, LIST_FIELDS, 'CNY', pageWords(c));
    } else {
      try {
        page = await listOrders(db, sessionOf(c), parsed.data);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 400) throw error;
        problems = [{ message: refusalWords(error, pageWords(c)) }];
      }
    }
    const email = await emailBacklog(db, config, sessionOf(c));
    return c.html(<OrdersPage {...chrome(c)} filters={filters} page={page} problems={problems} flash={flash} email={email} />, problems ? 400 : 200);
  });

  admin.get('/orders/:id', async (c) => {
    const order = await loadOrderView(db, sessionOf(c), c.req.param('id'));
    if (!order) throw new ApiError(404, 'not_found', 'No such order.');
    const workflowId = await orderWorkflowId(db, sessionOf(c), order.id);
    const url = workflowUrl(config, workflowId);
    const flash = await deps.sessions.takeFlash(sessionOf(c), c.req.query('flash'));
    const deliveries = await deliveriesOf(deps, sessionOf(c), { orderId: order.id });
    return c.html(<OrderPage {...chrome(c)} order={order} refundable={refundableOf(order)} workflow={url ? { id: workflowId, url } : undefined} deliveries={deliveries} flash={flash} />);
  });

  /**
   * One action: run it, then redirect (303) to the order with its outcome as the flash, in the reader's
   * words. A refusal is said by refusalWords (in English the workflow's own "Only an order that is
   * confirmed can be shipped; this order is paid."); another merchant's order is a 404 page.
   */
  function action(path: string, run: (c: AdminContext, order: OrderView, body: FormBody, w: Words) => Promise<string>) {
    admin.post(`/orders/:id/${path}`, async (c) => {
      const order = await loadOrderView(db, sessionOf(c), c.req.param('id'));
      if (!order) throw new ApiError(404, 'not_found', 'No such order.');
      const back = `/admin/orders/${encodeURIComponent(order.id)}`;
      const w = pageWords(c);
      try {
        const message = await run(c, order, await c.req.parseBody(), w);
        return await redirectWithFlash(c, deps, back, { kind: 'success', message });
      } catch (error) {
        if (error instanceof FormRejected) return await redirectWithFlash(c, deps, back, { kind: 'error', message: error.message });
        if (error instanceof ApiError && error.status !== 404) {
          const message = error.code === 'refund_exceeds_paid' ? w.t('admin.done.refund_exceeds', { amount: money(refundableOf(order), order.currency) }) : refusalWords(error, w);
          return await redirectWithFlash(c, deps, back, { kind: 'error', message });
        }
        throw error;
      }
    });
  }

  for (const row of ORDER_ACTION_ROWS) {
    action(row.name, async (c, order, body, w) => {
      const input = row.input && validated(row.input.safeParse(formInput(row.input, body)), ACTION_FIELDS[row.name], order.currency, w);
      return row.done(input, await runOrderAction(deps, sessionOf(c), order.id, row, input), w);
    });
  }

  action('refunds', async (c, order, body, w) => {
    const amountInfo = { id: 'refund-amount', label: 'field.amount', units: 'money' } as const;
    const problems: Problem[] = [];
    const typed = field(body, 'amount').trim();
    // Entered by a person in major units (`12.50`), converted exactly; empty means everything refundable.
    const amount = typed === '' ? undefined : parseMoney(typed, order.currency, amountInfo, problems, w);
    if (problems.length) throw new FormRejected(problems.map((p) => p.message).join(' '));
    const input = validated(RefundRequestSchema.safeParse({ amount, reason: field(body, 'reason') }), { amount: amountInfo, reason: { id: 'refund-reason', label: 'field.reason' } }, order.currency, w);
    const refund = await requestRefund({ db, temporal, config }, sessionOf(c), order.id, { ...input, actor: 'merchant', idempotencyKey: refundRequestIdOf(body) });
    return w.t('admin.done.refund', { amount: money(refund.amount, refund.currency) });
  });

  /** Approve or reject a refund waiting for the merchant; the refund must belong to this order. */
  for (const row of REFUND_DECISION_ROWS) {
    action(`refunds/:refundId/${row.name}`, async (c, order, body, w) => {
      const refundId = c.req.param('refundId') ?? '';
      if (!order.refunds.some((r) => r.id === refundId)) throw new ApiError(404, 'not_found', 'No such refund.');
      const input = validated(row.input.safeParse(formInput(row.input, body)), { note: { id: `${row.name}-note-${refundId}`, label: 'field.note' } }, order.currency, w);
      return row.done(input, await runRefundDecision(deps, sessionOf(c), order.id, refundId, row, input), w);
    });
  }
}
