// The merchant's actions on an order, one row each: its name (the path segment of both faces), the workflow
// update it sends, the schema of its input and the sentence (from the catalogs) that reports it done. The JSON API
// (`/v1/admin/...`) and the admin page's form posts both loop over these tables.
import { z } from '@hono/zod-openapi';
import type { WorkflowHandle } from '@temporalio/client';
import { ApiError } from '../core/errors.js';
import type { Words } from '../core/i18n/messages.js';
import type { MerchantScope } from '../core/modes.js';
import { findRefundOrderId } from '../db/order-reads.js';
import { formatMoney } from '../domain/money.js';
import type { OrderAction } from '../domain/order-actions.js';
import type { OrderState, Refund } from '../domain/order.js';
import {
  acceptPaymentUpdate,
  approveRefundUpdate,
  cancelUpdate,
  confirmUpdate,
  declineUpdate,
  deliverUpdate,
  refundPaymentUpdate,
  rejectRefundUpdate,
  shipUpdate,
} from '../workflows/messages.js';
import type { AppDeps } from './deps.js';
import { orderWorkflowId, updateOrder } from './order-updates.js';

const Note = z.string().trim().min(1).max(500);

/** An action's input as its schema gives it; none for an action without a body. */
type InputOf<S> = S extends z.ZodType ? z.infer<S> : undefined;

interface ActionRow<Name extends string, S extends z.ZodObject | undefined, Args extends unknown[], Result> {
  name: Name;
  /** What the action does, as the API documents it. */
  summary: string;
  input: S;
  // Methods, so a row with a typed input is still a row of the erased type the faces loop over.
  update(handle: WorkflowHandle, input: InputOf<S>, ...args: Args): Promise<Result>;
  /** The outcome in the reader's words. */
  done(input: InputOf<S>, result: Result, w: Words): string;
}

type OrderActionName = Exclude<OrderAction, 'cancel'>;
type RefundDecisionName = 'approve' | 'reject';

/** A row of either table with its input type erased: the faces validate input with `row.input` first. */
export type OrderActionRow = ActionRow<OrderActionName, z.ZodObject | undefined, [], OrderState>;
export type RefundDecisionRow = ActionRow<RefundDecisionName, z.ZodObject, [refundId: string], Refund>;
/** What a row's schema gives: an object of its fields, or nothing for an action without input. */
export type ActionInput = InputOf<z.ZodObject | undefined>;

/** Types each row's input from its schema, for the row's own update and message. */
const orderAction = <S extends z.ZodObject | undefined>(row: ActionRow<OrderActionName, S, [], OrderState>) => row;
const refundDecision = <S extends z.ZodObject>(row: ActionRow<RefundDecisionName, S, [refundId: string], Refund>) => row;

const refundAmount = (refund: Refund) => formatMoney(refund.amount, refund.currency);
/** An order status inside a sentence: `the order is paid`. */
const statusInSentence = (order: OrderState, w: Words) => w.t(`badge.${order.status}`).toLocaleLowerCase(w.locale);
const capturedMoney = (order: OrderState) => {
  const payment = order.payments[0];
  return formatMoney(payment?.capturedAmount ?? 0, payment?.capturedCurrency ?? order.currency);
};

/** Actions on an order in the merchant's hands; `domain/order-actions.ts` says from which statuses. */
export const ORDER_ACTION_ROWS: readonly OrderActionRow[] = [
  orderAction({
    name: 'confirm',
    summary: 'Confirm a paid order',
    input: undefined,
    update: (h) => h.executeUpdate(confirmUpdate),
    done: (_input, _order, w) => w.t('admin.done.confirm'),
  }),
  orderAction({
    name: 'decline',
    summary: 'Decline a paid order: refunded in full and cancelled',
    input: z.object({ reason: Note }).strict(),
    update: (h, input) => h.executeUpdate(declineUpdate, { args: [input] }),
    done: (_input, _order, w) => w.t('admin.done.decline'),
  }),
  orderAction({
    name: 'ship',
    summary: 'Ship a confirmed order with carrier and tracking number (the customer is notified)',
    input: z.object({ carrier: z.string().trim().min(1).max(100), trackingNumber: z.string().trim().min(1).max(100) }).strict(),
    update: (h, input) => h.executeUpdate(shipUpdate, { args: [input] }),
    done: (input, _order, w) => w.t('admin.done.ship', { carrier: input.carrier, trackingNumber: input.trackingNumber }),
  }),
  orderAction({
    name: 'deliver',
    summary: 'Mark a shipped order delivered; the refund window starts',
    input: undefined,
    update: (h) => h.executeUpdate(deliverUpdate),
    done: (_input, _order, w) => w.t('admin.done.deliver'),
  }),
  orderAction({
    name: 'accept-payment',
    summary: 'Accept a payment captured with another amount or currency (needs_review): the order is paid with what was captured',
    input: z.object({ note: Note.optional() }).strict(),
    update: (h, input) => h.executeUpdate(acceptPaymentUpdate, { args: [input] }),
    done: (_input, order, w) => w.t('admin.done.accept-payment', { amount: capturedMoney(order), status: statusInSentence(order, w) }),
  }),
  orderAction({
    name: 'refund-payment',
    summary: 'Refund a payment captured with another amount or currency (needs_review), in the captured currency, and cancel the order',
    input: z.object({ reason: Note }).strict(),
    update: (h, input) => h.executeUpdate(refundPaymentUpdate, { args: [input] }),
    done: (_input, order, w) => w.t('admin.done.refund-payment', { amount: capturedMoney(order) }),
  }),
];

/** Decisions on a refund waiting for the merchant. */
export const REFUND_DECISION_ROWS: readonly RefundDecisionRow[] = [
  refundDecision({
    name: 'approve',
    summary: 'Approve a refund waiting for the merchant',
    input: z.object({ note: Note.optional() }).strict(),
    update: (h, input, refundId) => h.executeUpdate(approveRefundUpdate, { args: [{ refundId, note: input.note }] }),
    done: (_input, refund, w) => w.t('admin.done.approve', { amount: refundAmount(refund) }),
  }),
  refundDecision({
    name: 'reject',
    summary: 'Reject a refund waiting for the merchant, with a note for the customer',
    input: z.object({ note: Note }).strict(),
    update: (h, input, refundId) => h.executeUpdate(rejectRefundUpdate, { args: [{ refundId, note: input.note }] }),
    done: (_input, refund, w) => w.t('admin.done.reject', { amount: refundAmount(refund) }),
  }),
];

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config'>;

/** Runs an order action with input its schema has validated; a refusal comes back as an `ApiError`. */
export async function runOrderAction(deps: Deps, scope: MerchantScope, orderId: string, row: OrderActionRow, input: ActionInput): Promise<OrderState> {
  const workflowId = await orderWorkflowId(deps.db, scope, orderId);
  return updateOrder(deps.temporal, workflowId, (handle) => row.update(handle, input), deps.config.bounds.actionSeconds);
}

/** Runs a refund decision on a refund of this order, with input its schema has validated. */
export async function runRefundDecision(deps: Deps, scope: MerchantScope, orderId: string, refundId: string, row: RefundDecisionRow, input: NonNullable<ActionInput>): Promise<Refund> {
  const workflowId = await orderWorkflowId(deps.db, scope, orderId);
  return updateOrder(deps.temporal, workflowId, (handle) => row.update(handle, input, refundId), deps.config.bounds.actionSeconds);
}

/** The order one of the scope's refunds belongs to, or a 404. */
export async function refundOrderId(deps: Pick<AppDeps, 'db'>, scope: MerchantScope, refundId: string): Promise<string> {
  const orderId = await findRefundOrderId(deps.db, scope, refundId);
  if (!orderId) throw new ApiError(404, 'not_found', 'No such refund.');
  return orderId;
}

/** The customer cancels an order before paying for it. */
export async function cancelOrder(deps: Deps, scope: MerchantScope, orderId: string): Promise<OrderState> {
  const workflowId = await orderWorkflowId(deps.db, scope, orderId);
  return updateOrder(deps.temporal, workflowId, (handle) => handle.executeUpdate(cancelUpdate, { args: [{ actor: 'customer' }] }), deps.config.bounds.actionSeconds);
}
