// The order's payment: created at the gateway when the storefront checks out, then awaited within the
// payment window (by notification, or by asking the gateway at each check interval), cancelled or closed
// when it does not come, and refunded automatically if it succeeds after all.
import { condition, isCancellation } from '@temporalio/workflow';
import type { Actor, OrderState } from '../domain/order.js';
import type { PaymentResult } from '../domain/gateway-reports.js';
import { reason, stated, type Reason } from '../domain/timeline.js';
import { boundedPaymentCreation, db, deepestMessage, finalFailure, gateway, gatewayRejection, localActivities } from './activity-proxies.js';
import { REJECTION, type CheckoutResult, type PaymentSignal } from './messages.js';
import { now, seconds, type OrderEntity } from './order-entity.js';
import { record, recordPayment } from './order-state.js';
import { boundedPaymentCreationPatch, closingNoticesPatch } from './patches.js';
import type { OrderRefunds } from './refunds.js';
import { reject } from './rejections.js';

/** For orders whose input does not say (started before the bound was configurable). */
const DEFAULT_PAYMENT_CREATION_SECONDS = 60;

/** Why the checkout is refused: the failure type the API maps, its (English) message for the caller, and the order's reason. */
type CheckoutRefusal = { type: string; message: string; reason?: Reason };

type PaymentOutcome = Pick<PaymentSignal, 'status' | 'amount' | 'currency' | 'gatewayReference' | 'occurredAt'>;

export class OrderPayment {
  private checkout: CheckoutResult | undefined;
  private checkoutRefusal: CheckoutRefusal | undefined;
  private outcome: PaymentSignal | undefined;
  private cancelRequest: { actor: Actor; reason?: string } | undefined;

  constructor(
    private readonly order: OrderEntity,
    private readonly refunds: OrderRefunds,
  ) {}

  // ---- Handlers ---------------------------------------------------------------------------------------

  /** Answers the storefront once the gateway has created the payment (or refused to). */
  async answerCheckout(): Promise<CheckoutResult> {
    await condition(() => this.checkout !== undefined || this.checkoutRefusal !== undefined);
    if (this.checkoutRefusal !== undefined) reject(this.checkoutRefusal.type, this.checkoutRefusal.message);
    return { ...this.checkout!, order: this.order.state };
  }

  validateCheckout({ requestHash }: { requestHash: string }): void {
    if (requestHash !== this.order.input.requestHash) {
      reject(REJECTION.idempotencyMismatch, 'This Idempotency-Key was already used for a different checkout request.');
    }
  }

  /** A verified payment notification: a hint that moves state forward only, so a pending never overrides an outcome. */
  hear(signal: PaymentSignal): void {
    if (signal.paymentId !== this.order.payment()?.id || !this.order.firstHeard(signal.eventId)) return;
    if (signal.status === 'succeeded' || signal.status === 'failed') this.outcome ??= signal;
  }

  /** Cancels an unpaid order, unless the gateway says it was paid after all: answered once projected. */
  async cancel(request: { actor: Actor; reason?: string }): Promise<OrderState> {
    this.cancelRequest ??= request;
    await condition(() => this.order.state.status !== 'awaiting_payment');
    await this.order.projected();
    if (this.order.state.status !== 'cancelled') reject(REJECTION.conflict, `The order could not be cancelled: it is ${this.order.state.status}.`);
    return this.order.state;
  }

  // ---- The run ----------------------------------------------------------------------------------------

  /**
   * Creates the payment at the gateway and answers the checkout; false when the gateway refused it or, with
   * `bounded-payment-creation`, could not be reached within the bound (the order is then cancelled).
   */
  async create(): Promise<boolean> {
    const { order } = this;
    const { state, input } = order;
    const calls = order.patches.checkoutInOneTask ? localActivities : { db, gateway };
    const bound = boundedPaymentCreationPatch() ? (input.paymentCreationSeconds ?? DEFAULT_PAYMENT_CREATION_SECONDS) : undefined;
    const createGatewayPayment = bound === undefined ? calls.gateway.createGatewayPayment : boundedPaymentCreation(order.patches.checkoutInOneTask, bound);
    const expiresAt = new Date(Date.parse(input.createdAt) + seconds(order.policy.paymentWindowSeconds)).toISOString();
    state.payments.push({ id: input.paymentId, gateway: input.paymentMethod, status: 'pending', amount: input.total, currency: input.currency, expiresAt, createdAt: input.createdAt });
    try {
      const created = await createGatewayPayment({
        ...order.gatewayRef,
        request: {
          paymentId: input.paymentId,
          orderNo: input.orderNo,
          amount: input.total,
          currency: input.currency,
          description: `Order ${input.orderNo}`,
          returnUrl: input.returnUrl ?? '',
          expiresAt,
          createdAt: input.createdAt,
          ...(input.paymentFlow && { flow: input.paymentFlow }),
          ...(input.payer && { payer: input.payer }),
        },
      });
      order.payment().action = created.action;
      order.payment().gatewayReference = created.gatewayReference;
      record(state, now(), 'payment_created', 'system', { gateway: input.paymentMethod });
    } catch (error) {
      const refusal = this.creationRefusal(error, bound);
      if (refusal === undefined) throw error;
      this.checkoutRefusal = refusal;
      const { reason } = refusal;
      order.payment().status = 'failed';
      record(state, now(), 'payment_creation_failed', 'gateway', { reason }, { status: 'cancelled', reason });
      await order.persist(undefined, calls.db);
      return false;
    }
    await order.persistWithNewNotice('order_received', { amount: input.total, currency: input.currency, expiresAt }, 'order_received', calls.db);
    if (!order.isProjected()) {
      // Nobody could read the order: the storefront hears why, the order waits out its window.
      this.checkoutRefusal = { type: REJECTION.projectionFailed, message: 'The order could not be saved; the merchant has been alerted.' };
      return true;
    }
    this.checkout = {
      order: state,
      viewToken: input.viewToken,
      payment: { id: order.payment().id, gateway: input.paymentMethod, status: order.payment().status, action: order.payment().action!, expiresAt },
    };
    return true;
  }

  /**
   * Why payment creation failed for good: the gateway's refusal; with a bound, also a gateway that could
   * not be reached in time (the last attempt's error). Undefined for a failure that is not the gateway's.
   */
  private creationRefusal(error: unknown, bound: number | undefined): (CheckoutRefusal & { reason: Reason }) | undefined {
    const rejection = gatewayRejection(error);
    if (rejection !== undefined) return { type: 'GatewayRejected', message: rejection, reason: reason('gateway_rejected', { detail: rejection }) };
    if (bound === undefined || isCancellation(error)) return undefined;
    const final = finalFailure(error);
    if (final !== undefined) return { type: REJECTION.gatewayUnavailable, message: final, reason: reason('failed', { detail: final }) };
    const gatewayName = this.order.input.paymentMethod;
    const detail = deepestMessage(error);
    return {
      type: REJECTION.gatewayUnavailable,
      message: `The ${gatewayName} gateway could not be reached within ${bound} s: ${detail}`,
      reason: reason('gateway_unreachable', { gateway: gatewayName, seconds: bound, detail }),
    };
  }

  /** Waits for the verified payment result within the window, querying the gateway at each check interval. */
  async awaitPayment(): Promise<void> {
    const { state } = this.order;
    const deadline = Date.parse(this.order.payment().expiresAt);
    while (state.status === 'awaiting_payment') {
      const remaining = deadline - Date.now();
      if (this.outcome) {
        await this.applyOutcome(this.outcome);
      } else if (this.cancelRequest) {
        const paid = await this.closeAtGateway();
        if (paid) await this.applyOutcome(paid);
        else {
          const { actor, reason: why } = this.cancelRequest;
          const byCustomer = why === undefined && actor === 'customer';
          record(state, now(), 'cancelled', actor, {}, { status: 'cancelled', reason: why !== undefined ? stated(why) : reason(byCustomer ? 'cancelled_by_customer' : 'cancelled_before_payment') });
          // The customer's e-mail is worded in English from this payload.
          await this.closeBeforePayment('order_cancelled', { reason: why ?? (byCustomer ? 'Cancelled by the customer before payment.' : 'Cancelled before payment.') });
        }
      } else if (remaining <= 0) {
        const paid = await this.closeAtGateway();
        if (paid) await this.applyOutcome(paid);
        else {
          record(state, now(), 'expired', 'system', {}, { status: 'expired', reason: reason('payment_window_expired') });
          await this.closeBeforePayment('order_expired', {});
        }
      } else {
        const woke = await condition(() => this.outcome !== undefined || this.cancelRequest !== undefined, Math.min(remaining, seconds(this.order.policy.paymentCheckIntervalSeconds)));
        // Nothing arrived by the check interval: ask the gateway, so a lost notification never loses a sale.
        if (!woke && Date.now() < deadline) this.outcome ??= this.fromQuery(await this.query());
      }
    }
  }

  /** Persists a cancellation or expiry and tells the customer (nothing was charged); replays of runs from before `closing-notices` only persist. */
  private async closeBeforePayment(kind: 'order_cancelled' | 'order_expired', payload: Record<string, unknown>): Promise<void> {
    if (closingNoticesPatch()) await this.order.persistAndNotify(kind, payload);
    else await this.order.persist();
  }

  /** After expiry or cancellation, a payment that still succeeds is refunded automatically. */
  async refundLatePayment(): Promise<void> {
    const { state } = this.order;
    if (state.paidAmount > 0 || this.order.payment() === undefined) return;
    const arrived = await condition(() => this.outcome?.status === 'succeeded', seconds(this.order.policy.latePaymentGraceSeconds));
    const late = arrived ? this.outcome : this.fromQuery(await this.query());
    if (late?.status !== 'succeeded') return;
    recordPayment(state, this.order.payment(), late);
    record(state, now(), 'late_payment', 'gateway', { ...reported(late), status: state.status });
    if (state.paidAmount > 0) {
      this.refunds.start(state.paidAmount, `Automatic refund: payment arrived after the order was ${state.status}.`, 'system', 'processing', reason('late_payment_refund', { status: state.status }));
    }
    await this.order.persist();
  }

  // ---- Steps ------------------------------------------------------------------------------------------

  /** Applies a verified payment outcome (from a notification or a query): paid, needs review, or failed. */
  private async applyOutcome(outcome: PaymentOutcome): Promise<void> {
    const { state, policy } = this.order;
    const at = now();
    if (outcome.status === 'failed') {
      this.order.payment().status = 'failed';
      record(state, at, 'payment_failed', 'gateway', {}, { status: 'cancelled', reason: reason('payment_failed') });
      await this.order.persistWithNewNotice('payment_failed', { amount: state.total, currency: state.currency });
      return;
    }
    recordPayment(state, this.order.payment(), outcome);
    if (outcome.currency !== state.currency || outcome.amount !== state.total) {
      // Never mark paid without matching amount and currency: a person must look at this one.
      record(state, at, 'payment_mismatch', 'gateway', reported(outcome), {
        status: 'needs_review',
        reason: reason('amount_mismatch', { ...reported(outcome), total: state.total, orderCurrency: state.currency }),
      });
      await this.order.persist();
      return;
    }
    record(state, at, 'payment_succeeded', 'gateway', { amount: state.total, currency: state.currency }, { status: 'paid' });
    if (policy.autoConfirm) record(state, at, 'confirmed', 'system', { automatic: true }, { status: 'confirmed' });
    await this.order.persistAndNotify('payment_receipt', { amount: state.total, currency: state.currency, items: state.items });
  }

  /** Asks the gateway how the payment stands; undefined when it refused to say. */
  private query(): Promise<PaymentResult | undefined> {
    return this.order.askGateway('payment_query', () => gateway.queryGatewayPayment({ ...this.order.gatewayRef, ...this.order.paymentRef() }));
  }

  private fromQuery(result: PaymentResult | undefined): PaymentSignal | undefined {
    if (!result) return undefined;
    if (result.status !== 'succeeded' && result.status !== 'failed') return undefined;
    return { eventId: 'query', paymentId: this.order.payment().id, status: result.status, amount: result.amount, currency: result.currency, gatewayReference: result.gatewayReference, occurredAt: result.paidAt ?? now() };
  }

  /** Closes the payment at the gateway; the outcome when the gateway says it was paid after all. */
  private async closeAtGateway(): Promise<PaymentSignal | undefined> {
    const result = await this.order.askGateway('close', () => gateway.closeGatewayPayment({ ...this.order.gatewayRef, ...this.order.paymentRef() }));
    if (result?.status === 'succeeded') return this.fromQuery(result);
    this.order.payment().status = 'closed';
    return undefined;
  }
}

/** What a gateway reported it captured; either part may be missing. */
function reported(outcome: Pick<PaymentOutcome, 'amount' | 'currency'>): { amount?: number; currency?: string } {
  return { ...(outcome.amount !== undefined && { amount: outcome.amount }), ...(outcome.currency !== undefined && { currency: outcome.currency }) };
}
