// The order's refunds: asked for by the customer or merchant (the policy decides whether a person must
// approve), started by the workflow itself (decline, late payment), settled at the gateway, and moved on
// by its notifications or queries.
import { condition, uuid4 } from '@temporalio/workflow';
import { decideRefund, refundableAmount, refundFingerprint, type Refund } from '../domain/order.js';
import type { RefundResult } from '../domain/gateway-reports.js';
import { gateway, gatewayRejection } from './activity-proxies.js';
import { REJECTION, type RefundRequest, type RefundSignal } from './messages.js';
import { now, seconds, type OrderEntity } from './order-entity.js';
import { findRefund, hasOpenRefunds, record, refundId } from './order-state.js';
import { reason, stated, type Reason, type RefundCodes } from '../domain/timeline.js';
import { reject, requireText } from './rejections.js';

/** The merchant's decision on a refund waiting for approval. */
export type RefundDecision = 'approve' | 'reject';

export class OrderRefunds {
  private readonly inflight: Array<Promise<void>> = [];

  constructor(private readonly order: OrderEntity) {}

  async request(request: RefundRequest): Promise<Refund> {
    const { state, policy } = this.order;
    const earlier = this.earlierRefund(request);
    if (earlier) return earlier;
    const amount = request.amount ?? refundableAmount(state);
    const decision = decideRefund(state, { amount, actor: request.actor }, policy);
    if (decision.outcome === 'refuse') reject(decision.code, decision.message);
    const refund = this.start(amount, request.reason, request.actor, decision.outcome, stated(request.reason));
    if (request.idempotencyKey !== undefined) state.refundRequests.push({ idempotencyKey: request.idempotencyKey, fingerprint: refundFingerprint(request), refundId: refund.id });
    // A refund under way is followed by its outcome's message soon; one waiting for the merchant is acknowledged now.
    if (refund.status === 'pending_approval') {
      await this.order.persistWithNewNotice('refund_requested', { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason: refund.reason }, `refund-requested:${refund.id}`);
    } else await this.order.persist();
    return refund;
  }

  validateRequest(request: RefundRequest): void {
    // A retry is answered with the refund it made, even when the policy would now say no (say, because
    // that refund used up the refundable amount).
    if (this.earlierRefund(request)) return;
    requireText(request.reason, 'reason');
    const amount = request.amount ?? refundableAmount(this.order.state);
    const decision = decideRefund(this.order.state, { amount, actor: request.actor }, this.order.policy);
    // The policy's own code is the failure type, so the API can name the reason.
    if (decision.outcome === 'refuse') reject(decision.code, decision.message);
  }

  /** Approves (the gateway is asked at once) or rejects (the customer is told) a refund waiting for approval. */
  async decide(decision: RefundDecision, { refundId, note }: { refundId: string; note?: string }): Promise<Refund> {
    const refund = findRefund(this.order.state, refundId)!;
    if (decision === 'approve') {
      this.approve(refund, note, note === undefined ? undefined : stated(note));
      await this.order.persistWithNewNotice('refund_approved', { refundId, amount: refund.amount, currency: refund.currency, reason: refund.reason, note }, `refund-approved:${refundId}`);
    } else {
      refund.status = 'rejected';
      refund.note = note;
      if (note !== undefined) addCodes(refund, { note: stated(note) });
      refund.updatedAt = now();
      record(this.order.state, refund.updatedAt, 'refund_rejected', 'merchant', note === undefined ? {} : { note });
      await this.order.persistAndNotify('refund_rejected', { refundId, amount: refund.amount, currency: refund.currency, reason: note }, `refund:${refundId}`);
    }
    return refund;
  }

  /**
   * Gives back everything still held when the merchant gives the order up: refunds waiting for approval are
   * approved (the customer asked for that money and gets it under their own request, rather than being told
   * "rejected" while it is refunded anyway), and only a positive remainder is refunded anew. `reason` and
   * `note` are the refund's words as the gateway and the refund record get them; `coded`, the same as codes.
   * The caller persists.
   */
  refundRest(reason: string, note: string, coded: { reason: Reason; note: Reason }): void {
    const { state } = this.order;
    for (const refund of state.refunds.filter((r) => r.status === 'pending_approval')) this.approve(refund, note, coded.note);
    const rest = refundableAmount(state);
    if (rest > 0) this.start(rest, reason, 'merchant', 'processing', coded.reason);
  }

  /** A rejection must say why; either decision needs a refund that is waiting for one. */
  validateDecision(decision: RefundDecision, { refundId, note }: { refundId: string; note?: string }): void {
    if (decision === 'reject') requireText(note, 'note');
    const refund = findRefund(this.order.state, refundId);
    if (!refund) reject(REJECTION.notFound, `No refund ${refundId} on this order.`);
    if (refund.status !== 'pending_approval') reject(REJECTION.conflict, `The refund is ${refund.status}, not pending approval.`);
  }

  /** A verified refund notification from the gateway. */
  hear(signal: RefundSignal): void {
    if (!this.order.firstHeard(signal.eventId)) return;
    const refund = findRefund(this.order.state, signal.refundId);
    if (refund) this.applyResult(refund, { status: signal.status, gatewayReference: signal.gatewayReference, failureReason: signal.failureReason });
  }

  /** Starts a refund; `reason` as the gateway and the refund record get it, `coded` as the timeline's code. */
  start(amount: number, reason: string, actor: Refund['initiatedBy'], status: 'processing' | 'pending_approval', coded: Reason): Refund {
    const { state } = this.order;
    const at = now();
    const refund: Refund = {
      id: this.order.patches.shortRefundIds ? refundId(uuid4()) : `rf_${uuid4().replaceAll('-', '')}`,
      paymentId: this.order.payment().id,
      amount,
      // Money goes back in the currency it was taken in: the order's, unless a capture in another was accepted.
      currency: this.order.payment().capturedCurrency ?? state.currency,
      reason,
      status,
      initiatedBy: actor,
      codes: { reason: coded },
      createdAt: at,
      updatedAt: at,
    };
    state.refunds.push(refund);
    record(state, at, status === 'processing' ? 'refund_started' : 'refund_requested', actor, { amount, currency: refund.currency, reason: coded });
    if (status === 'processing') this.inflight.push(this.settle(refund));
    return refund;
  }

  /** Waits until every refund is settled, including any still waiting for the merchant's decision. */
  async settled(): Promise<void> {
    await Promise.all(this.inflight);
    // A refund still waiting for the merchant's decision keeps the order open until it is decided.
    await condition(() => !hasOpenRefunds(this.order.state));
  }

  /** Approves a refund waiting for the merchant and asks the gateway for it; the caller persists. */
  private approve(refund: Refund, note: string | undefined, coded: Reason | undefined): void {
    refund.status = 'processing';
    refund.note = note;
    if (coded !== undefined) addCodes(refund, { note: coded });
    refund.updatedAt = now();
    record(this.order.state, refund.updatedAt, 'refund_approved', 'merchant', coded === undefined ? {} : { note: coded });
    this.inflight.push(this.settle(refund));
  }

  /** The refund an earlier request with this Idempotency-Key made; the same key with another request is refused. */
  private earlierRefund(request: RefundRequest): Refund | undefined {
    if (request.idempotencyKey === undefined) return undefined;
    const earlier = this.order.state.refundRequests.find((r) => r.idempotencyKey === request.idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.fingerprint !== refundFingerprint(request)) reject(REJECTION.idempotencyMismatch, 'This Idempotency-Key was already used for a different refund request.');
    return findRefund(this.order.state, earlier.refundId);
  }

  /** Asks the gateway to refund (idempotent by refund id), then waits for the result by notification or query. */
  private async settle(refund: Refund): Promise<void> {
    const { order } = this;
    let result: RefundResult;
    try {
      result = await gateway.refundGatewayPayment({
        ...order.gatewayRef,
        request: {
          refundId: refund.id,
          paymentId: refund.paymentId,
          gatewayReference: order.payment().gatewayReference,
          amount: refund.amount,
          paymentAmount: order.state.paidAmount,
          ...(order.payment().paidAt !== undefined && { paidAt: order.payment().paidAt }),
          currency: refund.currency,
          reason: refund.reason,
          createdAt: refund.createdAt,
        },
      });
    } catch (error) {
      const message = gatewayRejection(error);
      if (message === undefined) throw error;
      result = { status: 'failed', failureReason: message };
    }
    this.applyResult(refund, result);
    while (refund.status === 'processing') {
      const settled = await condition(() => refund.status !== 'processing', seconds(order.policy.paymentCheckIntervalSeconds));
      if (!settled) {
        const result = await order.askGateway('refund_query', () => gateway.queryGatewayRefund({ ...order.gatewayRef, refundId: refund.id, paymentId: refund.paymentId, createdAt: refund.createdAt, refundReference: refund.gatewayReference }));
        if (result) this.applyResult(refund, result);
      }
    }
    await order.persistAndNotify(
      refund.status === 'succeeded' ? 'refund_succeeded' : 'refund_failed',
      { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason: refund.reason, failureReason: refund.failureReason },
      `refund:${refund.id}`,
    );
  }

  /** Moves a refund forward only: processing -> succeeded | failed, never back. */
  private applyResult(refund: Refund, result: Pick<RefundResult, 'status' | 'gatewayReference' | 'failureReason'>): void {
    const { state } = this.order;
    if (refund.status !== 'processing' || result.status === 'processing' || result.status === 'not_found') return;
    const at = now();
    refund.status = result.status;
    refund.updatedAt = at;
    refund.gatewayReference = result.gatewayReference ?? refund.gatewayReference;
    if (result.status === 'failed') {
      refund.failureReason = result.failureReason ?? 'The gateway refused the refund.';
      const failure = result.failureReason === undefined ? reason('refund_refused') : reason('gateway_rejected', { detail: result.failureReason });
      addCodes(refund, { failure });
      record(state, at, 'refund_failed', 'gateway', { reason: failure });
      return;
    }
    state.refundedAmount += refund.amount;
    const fullyRefunded = state.refundedAmount === state.paidAmount;
    const keepsStatus = state.status === 'cancelled' || state.status === 'expired';
    record(state, at, 'refund_succeeded', 'gateway', { amount: refund.amount, currency: refund.currency }, fullyRefunded && !keepsStatus ? { status: 'refunded', reason: refund.codes?.reason ?? stated(refund.reason) } : undefined);
  }
}

/** Adds codes to a refund's (each refund has its reason's code from the start). */
function addCodes(refund: Refund, codes: Partial<RefundCodes>): void {
  refund.codes = { reason: stated(refund.reason), ...refund.codes, ...codes };
}
