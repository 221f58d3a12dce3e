// The sandbox gateway's own books (`sandbox_payments`, `sandbox_refunds`): what "the gateway" believes was
// charged and refunded. Every state change is a conditional UPDATE, so concurrent requests change a row once.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db, SandboxPaymentTable, SandboxRefundTable } from '../../db/database.js';

export type SandboxPayment = Selectable<SandboxPaymentTable>;
export type SandboxRefund = Selectable<SandboxRefundTable>;

/** Inserts the payment unless its id exists; either way returns the row now stored under that id. */
export async function insertPayment(db: Db, payment: Insertable<SandboxPaymentTable>): Promise<SandboxPayment> {
  const inserted = await db
    .insertInto('sandboxPayments')
    .values(payment)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await db.selectFrom('sandboxPayments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow());
}

/** A payment by id; with `merchantId`, only that merchant's. */
export async function findPayment(db: Db, id: string, merchantId?: string): Promise<SandboxPayment | undefined> {
  let query = db.selectFrom('sandboxPayments').selectAll().where('id', '=', id);
  if (merchantId !== undefined) query = query.where('merchantId', '=', merchantId);
  return query.executeTakeFirst();
}

export type Completion = { status: 'succeeded'; capturedAmount: number; capturedCurrency: string } | { status: 'failed' };

/**
 * Completes a pending, unexpired payment; `undefined` when it was not (any more) payable, so nothing was
 * charged. `late` models a capture that raced the merchant's close: it may complete a closed or expired one.
 */
export async function completePayment(db: Db, id: string, completion: Completion, now: Date, late = false): Promise<SandboxPayment | undefined> {
  const changes =
    completion.status === 'succeeded'
      ? { status: 'succeeded' as const, capturedAmount: completion.capturedAmount, capturedCurrency: completion.capturedCurrency, paidAt: now, chargeCount: sql<number>`charge_count + 1` }
      : { status: 'failed' as const };
  let query = db.updateTable('sandboxPayments').set(changes).where('id', '=', id);
  query = late ? query.where('status', 'in', ['pending', 'closed']) : query.where('status', '=', 'pending').where('expiresAt', '>', now);
  return query.returningAll().executeTakeFirst();
}

/** Closes a pending payment; a completed one keeps its status. */
export async function closePayment(db: Db, id: string, merchantId: string): Promise<void> {
  await db
    .updateTable('sandboxPayments')
    .set({ status: 'closed' })
    .where('id', '=', id)
    .where('merchantId', '=', merchantId)
    .where('status', '=', 'pending')
    .execute();
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
export async function createRefund(
  db: Db,
  merchantId: string,
  request: { id: string; paymentId: string; amount: number },
): Promise<RefundOutcome> {
  return db.transaction().execute(async (trx) => {
    const payment = await trx
      .selectFrom('sandboxPayments')
      .selectAll()
      .where('id', '=', request.paymentId)
      .where('merchantId', '=', merchantId)
      .forUpdate()
      .executeTakeFirst();
    const existing = await trx.selectFrom('sandboxRefunds').selectAll().where('id', '=', request.id).executeTakeFirst();
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
    const { held } = await trx
      .selectFrom('sandboxRefunds')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('held'))
      .where('paymentId', '=', payment.id)
      .where('status', '<>', 'failed')
      .executeTakeFirstOrThrow();
    // sum(bigint) is numeric, which pg hands over as a string.
    const remaining = payment.capturedAmount - Number(held);
    if (request.amount > remaining) {
      return { kind: 'refused', message: `At most ${remaining} of ${payment.capturedAmount} can still be refunded.` };
    }
    const refund = await trx
      .insertInto('sandboxRefunds')
      .values({ id: request.id, paymentId: payment.id, amount: request.amount, status: 'processing' })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: 'created', refund };
  });
}

/** A refund of this merchant's, with the payment it belongs to. */
export async function findRefund(
  db: Db,
  id: string,
  merchantId: string,
): Promise<{ refund: SandboxRefund; payment: SandboxPayment } | undefined> {
  const refund = await db.selectFrom('sandboxRefunds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!refund) return undefined;
  const payment = await findPayment(db, refund.paymentId, merchantId);
  return payment && { refund, payment };
}

/** Moves a processing refund to its outcome; `undefined` when it had already settled. */
export async function settleRefund(db: Db, id: string, status: 'succeeded' | 'failed'): Promise<SandboxRefund | undefined> {
  return db
    .updateTable('sandboxRefunds')
    .set({ status })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst();
}
