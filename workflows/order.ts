// One durable workflow per order, the single writer of that order's state. Storefront calls, merchant
// actions and gateway notifications all arrive here as updates or signals; Postgres only ever holds the
// projection the `projectOrder` activity writes from this state.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { CustomerNotification } from '../domain/customer-notification.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import { decideRefund, FINAL_STATUSES, refundableAmount, refundFingerprint, type OrderInput, type OrderState, type Payment, type Refund } from '../domain/order.js';
import type { PaymentResult, RefundResult } from '../domain/gateway-reports.js';
import {
  approveRefundUpdate,
  cancelUpdate,
  checkoutUpdate,
  confirmUpdate,
  declineUpdate,
  deliverUpdate,
  paymentNotificationSignal,
  refundNotificationSignal,
  REJECTION,
  rejectRefundUpdate,
  requestRefundUpdate,
  shipUpdate,
  stateQuery,
  type CheckoutResult,
  type PaymentSignal,
  type RefundRequest,
} from './messages.js';
import { findRefund, hasOpenRefunds, initialState, record, refundId, touch } from './order-state.js';

// Activity profiles: projection writes are quick and retried until the database is back; gateway calls
// are slower and retried with backoff, except for rejections (bad parameters, auth), which are final.
const dbProfile = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
} satisfies ActivityOptions & LocalActivityOptions;
const db = proxyActivities<Activities>(dbProfile);
const gatewayProfile = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['GatewayRejected'] },
} satisfies ActivityOptions & LocalActivityOptions;
const gateway = proxyActivities<Activities>(gatewayProfile);
// The same two profiles as local activities, for checkout only (see `checkout-in-one-task` below).
const checkoutActivities = {
  db: proxyLocalActivities<Activities>(dbProfile),
  gateway: proxyLocalActivities<Activities>(gatewayProfile),
};

const now = () => new Date().toISOString();
const seconds = (n: number) => n * 1000;

function reject(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

function gatewayRejection(error: unknown): string | undefined {
  // Activities fail with an ActivityFailure around the cause; local activities with the cause itself.
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === 'GatewayRejected' ? failure.message : undefined;
}

export async function orderWorkflow(input: OrderInput): Promise<OrderState> {
  // Orders begun before this patch send customer notifications in an activity of their own.
  const noticeWithProjection = patched('notice-with-projection');
  // Refund ids shaped like our other ids, so gateways with short order numbers (UnionPay: 32) take them.
  const shortRefundIds = patched('short-refund-ids');
  // Checkout creates the gateway payment and writes the first projection as local activities, inside the
  // workflow task that accepted the checkout: the storefront waits for one workflow task instead of three.
  // Safe only there: until checkout answers, no handler issues commands (a local activity finishing beside
  // another handler's commands can replay in a different order), since nobody knows the order yet.
  const checkoutInOneTask = patched('checkout-in-one-task');
  const checkoutCalls = checkoutInOneTask ? checkoutActivities : { db, gateway };
  const state = initialState(input);
  const policy = input.policy;
  const seenEvents = new Set<string>();
  const inflight: Array<Promise<void>> = [];
  let checkout: CheckoutResult | undefined;
  let checkoutError: string | undefined;
  let paymentOutcome: PaymentSignal | undefined;
  let cancelRequest: { actor: 'customer' | 'merchant' | 'system' | 'gateway'; reason?: string } | undefined;
  let lastStatusIndexed = state.status;
  let projectedVersion = 0;

  const meta = { workflowId: workflowInfo().workflowId, idempotencyKey: input.idempotencyKey, requestHash: input.requestHash, viewToken: input.viewToken };
  const payment = (): Payment => state.payments[0]!;
  /** How the gateway finds the payment: our id, its creation time, and its reference once heard. */
  const paymentRef = () => ({ paymentId: payment().id, createdAt: payment().createdAt, gatewayReference: payment().gatewayReference });
  const gatewayRef = { merchantId: input.merchantId, gateway: input.paymentMethod };

  /** Writes the projection and keeps the search attributes in step with the status. */
  async function persist(notification?: CustomerNotification, activities = db): Promise<void> {
    if (state.status !== lastStatusIndexed) {
      lastStatusIndexed = state.status;
      upsertSearchAttributes([{ key: ORDER_SEARCH_KEYS.orderStatus, value: state.status }]);
    }
    const version = state.version;
    await activities.projectOrder({ meta, state, ...(notification && { notification }) });
    projectedVersion = Math.max(projectedVersion, version);
  }

  /** Persists a change the customer hears about; the notification is keyed by order and event, so sent once. */
  async function persistAndNotify(kind: string, payload: Record<string, unknown>, key = kind): Promise<void> {
    const notification = {
      id: `${state.orderId}:${key}`,
      merchantId: state.merchantId,
      orderId: state.orderId,
      kind,
      recipient: state.customer.email,
      payload: { orderNo: state.orderNo, ...payload },
    };
    if (noticeWithProjection) return persist(notification);
    await persist();
    await db.enqueueNotification(notification);
  }

  /** Lets an update answer only once the API can read what it changed. */
  async function projected(): Promise<void> {
    const version = state.version;
    await condition(() => projectedVersion >= version);
  }

  // ---- Messages -------------------------------------------------------------------------------------

  setHandler(stateQuery, () => state);

  setHandler(
    checkoutUpdate,
    async () => {
      await condition(() => checkout !== undefined || checkoutError !== undefined);
      if (checkoutError !== undefined) reject('GatewayRejected', checkoutError);
      return { ...checkout!, order: state };
    },
    {
      validator: ({ requestHash }) => {
        if (requestHash !== input.requestHash) {
          reject(REJECTION.idempotencyMismatch, 'This Idempotency-Key was already used for a different checkout request.');
        }
      },
    },
  );

  setHandler(paymentNotificationSignal, (signal) => {
    if (seenEvents.has(signal.eventId) || signal.paymentId !== payment()?.id) return;
    seenEvents.add(signal.eventId);
    // A notification is a hint that moves state forward only: a pending never overrides an outcome.
    if (signal.status === 'succeeded' || signal.status === 'failed') paymentOutcome ??= signal;
  });

  setHandler(refundNotificationSignal, (signal) => {
    if (seenEvents.has(signal.eventId)) return;
    seenEvents.add(signal.eventId);
    const refund = findRefund(state, signal.refundId);
    if (refund) applyRefundResult(refund, { status: signal.status, gatewayReference: signal.gatewayReference, failureReason: signal.failureReason });
  });

  setHandler(
    cancelUpdate,
    async (request) => {
      cancelRequest ??= request;
      await condition(() => state.status !== 'awaiting_payment');
      await projected();
      if (state.status !== 'cancelled') reject(REJECTION.conflict, `The order could not be cancelled: it is ${state.status}.`);
      return state;
    },
    { validator: (_request) => requireStatus('awaiting_payment', 'cancelled') },
  );

  setHandler(
    confirmUpdate,
    async () => {
      record(state, now(), 'confirmed', 'merchant', { status: 'confirmed' });
      await persist();
      return state;
    },
    { validator: () => requireStatus('paid', 'confirmed') },
  );

  setHandler(
    declineUpdate,
    async ({ reason }) => {
      record(state, now(), 'declined', 'merchant', { status: 'cancelled', reason, message: reason });
      startRefund(refundableAmount(state), `Order declined by the merchant: ${reason}`, 'merchant', 'processing');
      await persist();
      return state;
    },
    { validator: ({ reason }) => { requireText(reason, 'reason'); requireStatus('paid', 'declined'); } },
  );

  setHandler(
    shipUpdate,
    async ({ carrier, trackingNumber }) => {
      state.shipment = { carrier, trackingNumber, shippedAt: now() };
      record(state, state.shipment.shippedAt, 'shipped', 'merchant', { status: 'shipped', message: `${carrier} ${trackingNumber}` });
      await persistAndNotify('order_shipped', { carrier, trackingNumber });
      return state;
    },
    {
      validator: ({ carrier, trackingNumber }) => {
        requireText(carrier, 'carrier');
        requireText(trackingNumber, 'trackingNumber');
        requireStatus('confirmed', 'shipped');
      },
    },
  );

  setHandler(
    deliverUpdate,
    async () => {
      state.shipment!.deliveredAt = now();
      record(state, state.shipment!.deliveredAt, 'delivered', 'merchant', { status: 'delivered' });
      await persist();
      return state;
    },
    { validator: () => requireStatus('shipped', 'marked delivered') },
  );

  setHandler(
    requestRefundUpdate,
    async (request) => {
      const earlier = earlierRefund(request);
      if (earlier) return earlier;
      const amount = request.amount ?? refundableAmount(state);
      const decision = decideRefund(state, { amount, actor: request.actor }, policy);
      if (decision.outcome === 'refuse') reject(decision.code, decision.message);
      const refund = startRefund(amount, request.reason, request.actor, decision.outcome);
      if (request.idempotencyKey !== undefined) state.refundRequests.push({ idempotencyKey: request.idempotencyKey, fingerprint: refundFingerprint(request), refundId: refund.id });
      await persist();
      return refund;
    },
    {
      validator: (request) => {
        // A retry is answered with the refund it made, even when the policy would now say no (say, because
        // that refund used up the refundable amount).
        if (earlierRefund(request)) return;
        requireText(request.reason, 'reason');
        const amount = request.amount ?? refundableAmount(state);
        const decision = decideRefund(state, { amount, actor: request.actor }, policy);
        // The policy's own code is the failure type, so the API can name the reason.
        if (decision.outcome === 'refuse') reject(decision.code, decision.message);
      },
    },
  );

  setHandler(
    approveRefundUpdate,
    async ({ refundId, note }) => {
      const refund = findRefund(state, refundId)!;
      refund.status = 'processing';
      refund.note = note;
      refund.updatedAt = now();
      record(state, refund.updatedAt, 'refund_approved', 'merchant', { message: note });
      inflight.push(settleRefund(refund));
      await persist();
      return refund;
    },
    { validator: ({ refundId }) => void pendingRefund(refundId) },
  );

  setHandler(
    rejectRefundUpdate,
    async ({ refundId, note }) => {
      const refund = findRefund(state, refundId)!;
      refund.status = 'rejected';
      refund.note = note;
      refund.updatedAt = now();
      record(state, refund.updatedAt, 'refund_rejected', 'merchant', { message: note });
      await persistAndNotify('refund_rejected', { refundId, amount: refund.amount, currency: refund.currency, reason: note }, `refund:${refundId}`);
      return refund;
    },
    { validator: ({ refundId, note }) => { requireText(note, 'note'); pendingRefund(refundId); } },
  );

  /** The refund an earlier request with this Idempotency-Key made; the same key with another request is refused. */
  function earlierRefund(request: RefundRequest): Refund | undefined {
    if (request.idempotencyKey === undefined) return undefined;
    const earlier = state.refundRequests.find((r) => r.idempotencyKey === request.idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.fingerprint !== refundFingerprint(request)) reject(REJECTION.idempotencyMismatch, 'This Idempotency-Key was already used for a different refund request.');
    return findRefund(state, earlier.refundId);
  }

  function requireStatus(expected: OrderState['status'], action: string): void {
    if (state.status !== expected) {
      reject(REJECTION.conflict, `Only an order that is ${expected.replace('_', ' ')} can be ${action}; this order is ${state.status.replace('_', ' ')}.`);
    }
  }

  function requireText(value: unknown, field: string): void {
    if (typeof value !== 'string' || value.trim() === '') reject(REJECTION.invalid, `${field} is required.`);
  }

  function pendingRefund(refundId: string): Refund {
    const refund = findRefund(state, refundId);
    if (!refund) reject(REJECTION.notFound, `No refund ${refundId} on this order.`);
    if (refund.status !== 'pending_approval') reject(REJECTION.conflict, `The refund is ${refund.status}, not pending approval.`);
    return refund;
  }

  // ---- Refunds ------------------------------------------------------------------------------------------

  function startRefund(amount: number, reason: string, actor: Refund['initiatedBy'], status: 'processing' | 'pending_approval'): Refund {
    const at = now();
    const refund: Refund = {
      id: shortRefundIds ? refundId(uuid4()) : `rf_${uuid4().replaceAll('-', '')}`,
      paymentId: payment().id,
      amount,
      currency: state.currency,
      reason,
      status,
      initiatedBy: actor,
      createdAt: at,
      updatedAt: at,
    };
    state.refunds.push(refund);
    record(state, at, status === 'processing' ? 'refund_started' : 'refund_requested', actor, { message: `${amount} ${state.currency}: ${reason}` });
    if (status === 'processing') inflight.push(settleRefund(refund));
    return refund;
  }

  /** Asks the gateway to refund (idempotent by refund id), then waits for the result by notification or query. */
  async function settleRefund(refund: Refund): Promise<void> {
    let result: RefundResult;
    try {
      result = await gateway.refundGatewayPayment({
        ...gatewayRef,
        request: {
          refundId: refund.id,
          paymentId: refund.paymentId,
          gatewayReference: payment().gatewayReference,
          amount: refund.amount,
          paymentAmount: state.paidAmount,
          ...(payment().paidAt !== undefined && { paidAt: payment().paidAt }),
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
    applyRefundResult(refund, result);
    while (refund.status === 'processing') {
      const settled = await condition(() => refund.status !== 'processing', seconds(policy.paymentCheckIntervalSeconds));
      if (!settled) {
        const result = await askGateway('refund query', () => gateway.queryGatewayRefund({ ...gatewayRef, refundId: refund.id, paymentId: refund.paymentId, createdAt: refund.createdAt, refundReference: refund.gatewayReference }));
        if (result) applyRefundResult(refund, result);
      }
    }
    await persistAndNotify(
      refund.status === 'succeeded' ? 'refund_succeeded' : 'refund_failed',
      { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason: refund.reason, failureReason: refund.failureReason },
      `refund:${refund.id}`,
    );
  }

  /** Moves a refund forward only: processing -> succeeded | failed, never back. */
  function applyRefundResult(refund: Refund, result: Pick<RefundResult, 'status' | 'gatewayReference' | 'failureReason'>): void {
    if (refund.status !== 'processing' || result.status === 'processing' || result.status === 'not_found') return;
    const at = now();
    refund.status = result.status;
    refund.updatedAt = at;
    refund.gatewayReference = result.gatewayReference ?? refund.gatewayReference;
    if (result.status === 'failed') {
      refund.failureReason = result.failureReason ?? 'The gateway refused the refund.';
      record(state, at, 'refund_failed', 'gateway', { message: refund.failureReason });
      return;
    }
    state.refundedAmount += refund.amount;
    const fullyRefunded = state.refundedAmount === state.paidAmount;
    const keepsStatus = state.status === 'cancelled' || state.status === 'expired';
    record(state, at, 'refund_succeeded', 'gateway', {
      message: `${refund.amount} ${refund.currency}`,
      ...(fullyRefunded && !keepsStatus && { status: 'refunded', reason: refund.reason }),
    });
  }

  /**
   * A query or close the gateway refuses outright (bad parameters, authentication) must not fail the order:
   * the refusal is put on the timeline for people to see, and the order carries on as if nothing was learnt.
   */
  async function askGateway<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const message = gatewayRejection(error);
      if (message === undefined) throw error;
      record(state, now(), 'gateway_refused', 'gateway', { message: `${what}: ${message}` });
      await persist();
      return undefined;
    }
  }

  // ---- Payment ------------------------------------------------------------------------------------------

  /** Applies a verified payment outcome (from a notification or a query): paid, needs review, or failed. */
  async function applyPaymentOutcome(outcome: Pick<PaymentSignal, 'status' | 'amount' | 'currency' | 'gatewayReference' | 'occurredAt'>): Promise<void> {
    const p = payment();
    const at = now();
    if (outcome.status === 'failed') {
      p.status = 'failed';
      record(state, at, 'payment_failed', 'gateway', { status: 'cancelled', reason: 'The payment failed at the gateway.' });
      await persist();
      return;
    }
    p.status = 'succeeded';
    // The gateway's time, not when the workflow heard: UnionPay's same-day cancel is judged on it.
    p.paidAt = outcome.occurredAt;
    p.capturedAmount = outcome.amount;
    p.capturedCurrency = outcome.currency;
    p.gatewayReference = outcome.gatewayReference ?? p.gatewayReference;
    const sameCurrency = outcome.currency === state.currency;
    state.paidAmount = sameCurrency ? (outcome.amount ?? 0) : 0;
    if (!sameCurrency || outcome.amount !== state.total) {
      // Never mark paid without matching amount and currency: a person must look at this one.
      record(state, at, 'payment_mismatch', 'gateway', {
        status: 'needs_review',
        reason: `The gateway captured ${outcome.amount ?? '?'} ${outcome.currency ?? '?'}; the order total is ${state.total} ${state.currency}.`,
        message: `captured ${outcome.amount ?? '?'} ${outcome.currency ?? '?'}`,
      });
      await persist();
      return;
    }
    record(state, at, 'payment_succeeded', 'gateway', { status: 'paid', message: `${state.total} ${state.currency}` });
    if (policy.autoConfirm) record(state, at, 'confirmed', 'system', { status: 'confirmed', message: 'auto-confirmed' });
    await persistAndNotify('payment_receipt', { amount: state.total, currency: state.currency, items: state.items });
  }

  function outcomeFromQuery(result: PaymentResult | undefined): PaymentSignal | undefined {
    if (!result) return undefined;
    if (result.status !== 'succeeded' && result.status !== 'failed') return undefined;
    return { eventId: 'query', paymentId: payment().id, status: result.status, amount: result.amount, currency: result.currency, gatewayReference: result.gatewayReference, occurredAt: result.paidAt ?? now() };
  }

  async function closeAtGateway(): Promise<PaymentSignal | undefined> {
    const result = await askGateway('close', () => gateway.closeGatewayPayment({ ...gatewayRef, ...paymentRef() }));
    if (result?.status === 'succeeded') return outcomeFromQuery(result);
    payment().status = 'closed';
    return undefined;
  }

  /** Waits for the verified payment result within the window, querying the gateway at each check interval. */
  async function awaitPayment(): Promise<void> {
    const deadline = Date.parse(payment().expiresAt);
    while (state.status === 'awaiting_payment') {
      const remaining = deadline - Date.now();
      if (paymentOutcome) {
        await applyPaymentOutcome(paymentOutcome);
      } else if (cancelRequest) {
        const paid = await closeAtGateway();
        if (paid) await applyPaymentOutcome(paid);
        else {
          record(state, now(), 'cancelled', cancelRequest.actor, { status: 'cancelled', reason: cancelRequest.reason ?? 'Cancelled before payment.' });
          await persist();
        }
      } else if (remaining <= 0) {
        const paid = await closeAtGateway();
        if (paid) await applyPaymentOutcome(paid);
        else {
          record(state, now(), 'expired', 'system', { status: 'expired', reason: 'The payment window closed before payment.' });
          await persist();
        }
      } else {
        const woke = await condition(() => paymentOutcome !== undefined || cancelRequest !== undefined, Math.min(remaining, seconds(policy.paymentCheckIntervalSeconds)));
        // Nothing arrived by the check interval: ask the gateway, so a lost notification never loses a sale.
        if (!woke && Date.now() < deadline) {
          paymentOutcome ??= outcomeFromQuery(await askGateway('payment query', () => gateway.queryGatewayPayment({ ...gatewayRef, ...paymentRef() })));
        }
      }
    }
  }

  /** After expiry or cancellation, a payment that still succeeds is refunded automatically. */
  async function watchForLatePayment(): Promise<void> {
    if (state.paidAmount > 0 || payment() === undefined) return;
    const arrived = await condition(() => paymentOutcome?.status === 'succeeded', seconds(policy.latePaymentGraceSeconds));
    const late = arrived ? paymentOutcome : outcomeFromQuery(await askGateway('payment query', () => gateway.queryGatewayPayment({ ...gatewayRef, ...paymentRef() })));
    if (late?.status !== 'succeeded') return;
    const p = payment();
    p.status = 'succeeded';
    p.paidAt = late.occurredAt;
    p.capturedAmount = late.amount;
    p.capturedCurrency = late.currency;
    state.paidAmount = late.currency === state.currency ? (late.amount ?? 0) : 0;
    record(state, now(), 'late_payment', 'gateway', { message: `${late.amount ?? '?'} ${late.currency ?? '?'} arrived after the order was ${state.status}` });
    if (state.paidAmount > 0) startRefund(state.paidAmount, `Automatic refund: payment arrived after the order was ${state.status}.`, 'system', 'processing');
    await persist();
  }

  // ---- Lifecycle ----------------------------------------------------------------------------------------

  // Orders started before this change also wrote the projection before creating the payment and once more
  // at the very end; both writes were redundant (the checkout answers only after the projection that
  // follows payment creation, and every change is already projected when the run ends).
  const leanProjection = patched('lean-projection');
  if (!leanProjection) await persist();
  const expiresAt = new Date(Date.parse(input.createdAt) + seconds(policy.paymentWindowSeconds)).toISOString();
  state.payments.push({ id: input.paymentId, gateway: input.paymentMethod, status: 'pending', amount: input.total, currency: input.currency, expiresAt, createdAt: input.createdAt });
  try {
    const created = await checkoutCalls.gateway.createGatewayPayment({
      ...gatewayRef,
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
      },
    });
    payment().action = created.action;
    payment().gatewayReference = created.gatewayReference;
    record(state, now(), 'payment_created', 'system', { message: input.paymentMethod });
  } catch (error) {
    checkoutError = gatewayRejection(error);
    if (checkoutError === undefined) throw error;
    payment().status = 'failed';
    record(state, now(), 'payment_creation_failed', 'gateway', { status: 'cancelled', reason: checkoutError, message: checkoutError });
    await persist(undefined, checkoutCalls.db);
    return state;
  }
  await persist(undefined, checkoutCalls.db);
  checkout = {
    order: state,
    viewToken: input.viewToken,
    payment: { id: payment().id, gateway: input.paymentMethod, status: payment().status, action: payment().action!, expiresAt },
  };

  await awaitPayment();
  while (!FINAL_STATUSES.has(state.status)) {
    if (state.status === 'delivered') {
      const deliveredStatus = state.status;
      const changed = await condition(() => state.status !== deliveredStatus, seconds(policy.refundWindowSeconds));
      if (!changed) {
        // The window is over; refunds already under way are finished first.
        await condition(() => !hasOpenRefunds(state));
        if (state.status === 'delivered') {
          record(state, now(), 'completed', 'system', { status: 'completed' });
          await persist();
        }
      }
    } else {
      const current = state.status;
      await condition(() => state.status !== current);
    }
  }
  if (state.status === 'expired' || state.status === 'cancelled') await watchForLatePayment();
  await Promise.all(inflight);
  // A refund still waiting for the merchant's decision keeps the order open until it is decided.
  await condition(() => !hasOpenRefunds(state));
  if (!leanProjection) {
    touch(state, now());
    await persist();
  }
  return state;
}
