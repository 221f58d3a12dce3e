// What the sandbox gateway does, independent of HTTP: charges at most once, settles refunds later, and
// notifies the merchant as told (tests shape notifications to exercise the receiver's edge cases).
import type { Logger } from '../../core/logger.js';
import type { Db } from '../../db/database.js';
import {
  completeSandboxPayment,
  findSandboxPayment,
  getSandboxBehaviour,
  getSandboxRefund,
  heldBySandboxRefunds,
  insertSandboxRefund,
  lockSandboxPayment,
  setSandboxBehaviour,
  settleSandboxRefund,
  type SandboxPayment,
  type SandboxRefund,
} from '../../db/sandbox-ledger.js';
import { sandboxEventId, sandboxReference, type SandboxEvent } from './events.js';
import type { DeliveryStatus, Notifier } from './notifier.js';
import { sandboxSecret } from './signature.js';

const DEFAULT_REFUND_DELAY_MS = 50;

/** Per-merchant switches for later refunds and statements; kept in Postgres so every API process sees them. */
export interface Behaviour {
  refundOutcome?: 'succeeded' | 'failed';
  refundNotification?: 'deliver' | 'drop';
  refundDelayMs?: number;
  /** Statements of a day not over yet are given (as far as the day has gone) instead of "not ready". */
  openDayStatements?: boolean;
  /** Statements come back cut short: the last line is missing, the trailer still counts it. */
  statementFault?: 'truncated';
}

export interface NotificationPlan {
  mode: 'deliver' | 'drop' | 'duplicate' | 'reorder';
  delayMs: number;
}

export interface Delivery {
  eventId: string;
  status: DeliveryStatus | 'scheduled';
}

export interface CompletionRequest {
  outcome: 'succeeded' | 'failed';
  /** What to capture instead of the payment's amount or currency (tests of mismatch handling). */
  amount?: number;
  currency?: string;
  /** Capture although the payment was closed or expired: the gateway's capture raced the close. */
  late?: boolean;
}

export type CompletionResult =
  | { kind: 'completed'; payment: SandboxPayment; deliveries: Delivery[] }
  /** Not pending, or expired: nothing was charged and nothing sent. */
  | { kind: 'unchanged' };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function isExpired(payment: SandboxPayment, now = new Date()): boolean {
  return new Date(payment.expiresAt) <= now;
}

export type RefundOutcome =
  | { kind: 'created' | 'existing'; refund: SandboxRefund }
  | { kind: 'payment_not_found' }
  | { kind: 'conflict'; message: string }
  | { kind: 'refused'; message: string };

/**
 * Records a refund idempotently by id. The payment row is locked while the refunds already held against it
 * are summed, so two concurrent refunds cannot together exceed what was captured.
 */
async function recordRefund(db: Db, merchantId: string, request: { id: string; paymentId: string; amount: number }): Promise<RefundOutcome> {
  return db.transaction().execute(async (trx) => {
    const payment = await lockSandboxPayment(trx, request.paymentId, merchantId);
    const existing = await getSandboxRefund(trx, request.id);
    if (existing) {
      if (!payment || existing.paymentId !== payment.id || existing.amount !== request.amount) {
        return { kind: 'conflict', message: `Refund ${request.id} already exists with a different payment or amount.` };
      }
      return { kind: 'existing', refund: existing };
    }
    if (!payment) return { kind: 'payment_not_found' };
    if (payment.status !== 'succeeded' || payment.capturedAmount === null) {
      return { kind: 'refused', message: `Payment ${payment.id} is ${payment.status}; only a succeeded payment can be refunded.` };
    }
    const remaining = payment.capturedAmount - (await heldBySandboxRefunds(trx, payment.id));
    if (request.amount > remaining) {
      return { kind: 'refused', message: `At most ${remaining} of ${payment.capturedAmount} can still be refunded.` };
    }
    return { kind: 'created', refund: await insertSandboxRefund(trx, { id: request.id, paymentId: payment.id, amount: request.amount }) };
  });
}

export function createSimulator(deps: { db: Db; masterKey: Buffer; notifier: Notifier; logger: Logger }) {
  const { db, notifier, logger } = deps;
  function capturedCurrency(payment: SandboxPayment): string {
    return payment.capturedCurrency ?? payment.currency;
  }

  function target(payment: SandboxPayment) {
    return { url: payment.notifyUrl, secret: sandboxSecret(deps.masterKey, payment.merchantId) };
  }

  function paymentEvent(payment: SandboxPayment, status: 'pending' | 'succeeded' | 'failed', created: number): SandboxEvent {
    const captured = status === 'succeeded';
    return {
      id: sandboxEventId(payment.id, `payment.${status}`),
      type: `payment.${status}`,
      created,
      data: {
        paymentId: payment.id,
        status,
        amount: captured ? (payment.capturedAmount ?? payment.amount) : payment.amount,
        currency: captured ? capturedCurrency(payment) : payment.currency,
        reference: sandboxReference(payment.id),
      },
    };
  }

  function plannedEvents(payment: SandboxPayment, outcome: 'succeeded' | 'failed', mode: NotificationPlan['mode'], now: Date): SandboxEvent[] {
    const event = paymentEvent(payment, outcome, seconds(payment.paidAt ?? now));
    switch (mode) {
      case 'deliver':
        return [event];
      case 'drop':
        return [];
      case 'duplicate':
        return [event, event];
      case 'reorder': {
        // An older "still pending" event arriving after the outcome: receivers must not move state back.
        const older = Math.min(seconds(new Date(payment.createdAt)), event.created - 1);
        return [event, paymentEvent(payment, 'pending', older)];
      }
    }
  }

  async function deliverInOrder(payment: SandboxPayment, events: SandboxEvent[]): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const event of events) deliveries.push({ eventId: event.id, status: await notifier.deliver(target(payment), event) });
    return deliveries;
  }

  async function settle(refund: SandboxRefund, behaviour: Behaviour): Promise<void> {
    const status = behaviour.refundOutcome ?? 'succeeded';
    const settled = await settleSandboxRefund(db, refund.id, status);
    if (!settled || behaviour.refundNotification === 'drop') return;
    const payment = await findSandboxPayment(db, settled.paymentId);
    if (!payment) return;
    await notifier.deliver(target(payment), {
      id: sandboxEventId(settled.id, `refund.${status}`),
      type: `refund.${status}`,
      created: seconds(new Date()),
      data: {
        paymentId: payment.id,
        refundId: settled.id,
        status,
        amount: settled.amount,
        currency: capturedCurrency(payment),
        reference: sandboxReference(settled.id),
      },
    });
  }

  async function behaviour(merchantId: string): Promise<Behaviour> {
    return (await getSandboxBehaviour(db, merchantId)) as Behaviour;
  }

  /** Refunds whose settlement this process has scheduled and not yet finished. */
  const settling = new Set<string>();

  function scheduleSettlement(refund: SandboxRefund, settings: Behaviour, delayMs: number): void {
    settling.add(refund.id);
    setTimeout(() => {
      settle(refund, settings)
        .catch((error: unknown) => logger.error({ err: error, refundId: refund.id }, 'sandbox refund settlement failed'))
        .finally(() => settling.delete(refund.id));
    }, delayMs);
  }

  /**
   * A refund still processing that no settlement of this process is waiting for was left behind by an
   * earlier process (its timer died with it, e.g. the API was killed): it settles now, as a real gateway's
   * would eventually. Asking about it again shows the outcome.
   */
  async function resumeSettlement(merchantId: string, refund: SandboxRefund): Promise<void> {
    if (refund.status !== 'processing' || settling.has(refund.id)) return;
    logger.warn({ merchantId, refundId: refund.id }, 'sandbox refund settlement resumed');
    scheduleSettlement(refund, await behaviour(merchantId), 0);
  }

  return {
    capturedCurrency,

    async setBehaviour(merchantId: string, behaviour: Behaviour): Promise<void> {
      await setSandboxBehaviour(db, merchantId, { ...behaviour });
    },

    behaviour,

    /**
     * Charges (or fails) a pending payment at most once, then notifies per `plan`. Returns once the
     * notifications that are not delayed have been attempted.
     */
    async complete(payment: SandboxPayment, request: CompletionRequest, plan: NotificationPlan): Promise<CompletionResult> {
      const now = new Date();
      const completed = await completeSandboxPayment(
        db,
        payment.id,
        request.outcome === 'succeeded'
          ? { status: 'succeeded', capturedAmount: request.amount ?? payment.amount, capturedCurrency: request.currency ?? payment.currency }
          : { status: 'failed' },
        now,
        request.late ?? false,
      );
      if (!completed) return { kind: 'unchanged' };
      const events = plannedEvents(completed, request.outcome, plan.mode, now);
      if (plan.delayMs <= 0) return { kind: 'completed', payment: completed, deliveries: await deliverInOrder(completed, events) };
      setTimeout(() => void deliverInOrder(completed, events), plan.delayMs);
      return { kind: 'completed', payment: completed, deliveries: events.map((event) => ({ eventId: event.id, status: 'scheduled' })) };
    },

    /** Records the refund; a new one settles after the merchant's refund delay, in the background. */
    async refund(merchantId: string, request: { id: string; paymentId: string; amount: number }): Promise<RefundOutcome> {
      const outcome = await recordRefund(db, merchantId, request);
      if (outcome.kind === 'existing') await resumeSettlement(merchantId, outcome.refund);
      if (outcome.kind !== 'created') return outcome;
      const settings = await behaviour(merchantId);
      scheduleSettlement(outcome.refund, settings, settings.refundDelayMs ?? DEFAULT_REFUND_DELAY_MS);
      return outcome;
    },

    resumeSettlement,
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
