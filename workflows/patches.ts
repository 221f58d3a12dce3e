// Every patch of the order workflow, in one place. `patched()` records its marker only in runs that take the
// new path, so the histories of orders begun before a patch keep replaying down the old path; and the
// markers sit in those histories at fixed points among the other commands, so each patch is asked exactly
// where it always was: the first three at the very start, `lean-projection` once the handlers are set (after
// the checkout update has been accepted), both before any activity.
import { patched } from '@temporalio/workflow';

export interface OrderPatches {
  noticeWithProjection: boolean;
  shortRefundIds: boolean;
  checkoutInOneTask: boolean;
}

/** The patches asked first thing in the run, before the handlers are set. */
export function orderPatches(): OrderPatches {
  return {
    // Orders begun before this patch send customer notifications in an activity of their own.
    noticeWithProjection: patched('notice-with-projection'),
    // Refund ids shaped like our other ids, so gateways with short order numbers (UnionPay: 32) take them.
    shortRefundIds: patched('short-refund-ids'),
    // Checkout creates the gateway payment and writes the first projection as local activities, inside the
    // workflow task that accepted the checkout: the storefront waits for one workflow task instead of three.
    // Safe only there: until checkout answers, no handler issues commands (a local activity finishing beside
    // another handler's commands can replay in a different order), since nobody knows the order yet.
    checkoutInOneTask: patched('checkout-in-one-task'),
  };
}

/**
 * Asked once the handlers are set, right before the first projection or payment creation. Orders started
 * before this change also wrote the projection before creating the payment and once more at the very end;
 * both writes were redundant (the checkout answers only after the projection that follows payment creation,
 * and every change is already projected when the run ends).
 */
export function leanProjectionPatch(): boolean {
  return patched('lean-projection');
}

/**
 * Asked only when a projection write has failed for good (the database refused the data), which orders
 * from before this change never saw: they retried the write for ever. Now the order is marked for people
 * and every call waiting on the projection is answered.
 */
export function projectionAlertsPatch(): boolean {
  return patched('projection-alerts');
}

/**
 * Asked right before payment creation (after `lean-projection`): payment creation ends within a bound,
 * and a gateway that cannot be reached cancels the order with its reason.
 */
export function boundedPaymentCreationPatch(): boolean {
  return patched('bounded-payment-creation');
}

/**
 * Asked when the merchant declines. Orders declined before this change refunded `refundableAmount` whatever
 * it was, so a decline over a refund waiting for approval started a refund of 0 (see `refundRest`).
 */
export function declineRefundsRestPatch(): boolean {
  return patched('decline-refunds-rest');
}

/**
 * Asked when an order is cancelled or expires before payment. Orders from before this change told the
 * customer nothing then; now an `order_cancelled` or `order_expired` notification rides on the projection.
 */
export function closingNoticesPatch(): boolean {
  return patched('closing-notices');
}

/**
 * The customer messages orders from before this change never sent, by the patch asked right where each is
 * due: `order_received` once the payment exists (in the checkout's workflow task, before its projection),
 * `payment_failed` when the gateway reports a failed payment, `order_delivered` when the merchant marks it
 * delivered, `refund_requested` when a request waits for approval, `refund_approved` on approval. Each rides
 * on the projection write that was there already; older histories keep that write without it.
 */
const NOTICE_PATCHES = {
  order_received: 'order-received-notice',
  payment_failed: 'payment-failed-notice',
  order_delivered: 'delivered-notice',
  refund_requested: 'refund-requested-notice',
  refund_approved: 'refund-approved-notice',
} as const;

export type PatchedNotice = keyof typeof NOTICE_PATCHES;

export function noticePatch(kind: PatchedNotice): boolean {
  return patched(NOTICE_PATCHES[kind]);
}
