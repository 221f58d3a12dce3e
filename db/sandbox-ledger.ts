// The sandbox gateway's own books (`sandbox_payments`, `sandbox_refunds`): what "the gateway" believes was
// charged and refunded. Every state change is a conditional UPDATE, so concurrent requests change a row once.
import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Database, Db, SandboxPaymentTable, SandboxRefundTable } from './database.js';

export type SandboxPayment = Selectable<SandboxPaymentTable>;
export type SandboxRefund = Selectable<SandboxRefundTable>;

/** Inserts the payment unless its id exists; either way returns the row now stored under that id. */
export async function insertSandboxPayment(db: Db, payment: Insertable<SandboxPaymentTable>): Promise<SandboxPayment> {
  const inserted = await db
    .insertInto('sandboxPayments')
    .values(payment)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await db.selectFrom('sandboxPayments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow());
}

/** A payment by id; with `merchantId`, only that merchant's. */
export async function findSandboxPayment(db: Db, id: string, merchantId?: string): Promise<SandboxPayment | undefined> {
  let query = db.selectFrom('sandboxPayments').selectAll().where('id', '=', id);
  if (merchantId !== undefined) query = query.where('merchantId', '=', merchantId);
  return query.executeTakeFirst();
}

export type Completion = { status: 'succeeded'; capturedAmount: number; capturedCurrency: string } | { status: 'failed' };

/**
 * Completes a pending, unexpired payment; `undefined` when it was not (any more) payable, so nothing was
 * charged. `late` models a capture that raced the merchant's close: it may complete a closed or expired one.
 */
export async function completeSandboxPayment(db: Db, id: string, completion: Completion, now: Date, late = false): Promise<SandboxPayment | undefined> {
  const changes =
    completion.status === 'succeeded'
      ? { status: 'succeeded' as const, capturedAmount: completion.capturedAmount, capturedCurrency: completion.capturedCurrency, paidAt: now, chargeCount: sql<number>`charge_count + 1` }
      : { status: 'failed' as const };
  let query = db.updateTable('sandboxPayments').set(changes).where('id', '=', id);
  query = late ? query.where('status', 'in', ['pending', 'closed']) : query.where('status', '=', 'pending').where('expiresAt', '>', now);
  return query.returningAll().executeTakeFirst();
}

/** Closes a pending payment; a completed one keeps its status. */
export async function closeSandboxPayment(db: Db, id: string, merchantId: string): Promise<void> {
  await db
    .updateTable('sandboxPayments')
    .set({ status: 'closed' })
    .where('id', '=', id)
    .where('merchantId', '=', merchantId)
    .where('status', '=', 'pending')
    .execute();
}

/** This merchant's payment, locked until the caller's transaction ends: refunds against it wait their turn. */
export async function lockSandboxPayment(trx: Transaction<Database>, id: string, merchantId: string): Promise<SandboxPayment | undefined> {
  return trx.selectFrom('sandboxPayments').selectAll().where('id', '=', id).where('merchantId', '=', merchantId).forUpdate().executeTakeFirst();
}

/** What refunds not (yet) failed hold against a payment. */
export async function heldBySandboxRefunds(trx: Transaction<Database>, paymentId: string): Promise<number> {
  const { held } = await trx
    .selectFrom('sandboxRefunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('held'))
    .where('paymentId', '=', paymentId)
    .where('status', '<>', 'failed')
    .executeTakeFirstOrThrow();
  // sum(bigint) is numeric, which pg hands over as a string.
  return Number(held);
}

export async function insertSandboxRefund(trx: Transaction<Database>, refund: { id: string; paymentId: string; amount: number }): Promise<SandboxRefund> {
  return trx
    .insertInto('sandboxRefunds')
    .values({ ...refund, status: 'processing' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A refund by id, whichever merchant's. */
export async function getSandboxRefund(db: Db, id: string): Promise<SandboxRefund | undefined> {
  return db.selectFrom('sandboxRefunds').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A refund of this merchant's, with the payment it belongs to. */
export async function findSandboxRefund(
  db: Db,
  id: string,
  merchantId: string,
): Promise<{ refund: SandboxRefund; payment: SandboxPayment } | undefined> {
  const refund = await getSandboxRefund(db, id);
  if (!refund) return undefined;
  const payment = await findSandboxPayment(db, refund.paymentId, merchantId);
  return payment && { refund, payment };
}

/** Moves a processing refund to its outcome; `undefined` when it had already settled. */
export async function settleSandboxRefund(db: Db, id: string, status: 'succeeded' | 'failed'): Promise<SandboxRefund | undefined> {
  return db
    .updateTable('sandboxRefunds')
    .set({ status })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst();
}

/**
 * The sandbox's books of one day for a merchant: payments captured and refunds succeeded within [start, end),
 * with the payment each refund belongs to.
 */
export async function selectSandboxDay(db: Db, merchantId: string, start: Date, end: Date) {
  const payments = await db
    .selectFrom('sandboxPayments')
    .selectAll()
    .where('merchantId', '=', merchantId)
    .where('status', '=', 'succeeded')
    .where('paidAt', '>=', start)
    .where('paidAt', '<', end)
    .orderBy('paidAt')
    .orderBy('id')
    .execute();
  const refunds = await db
    .selectFrom('sandboxRefunds')
    .innerJoin('sandboxPayments', 'sandboxPayments.id', 'sandboxRefunds.paymentId')
    .selectAll('sandboxRefunds')
    .select((eb) => eb.fn.coalesce('sandboxPayments.capturedCurrency', 'sandboxPayments.currency').as('currency'))
    .where('sandboxPayments.merchantId', '=', merchantId)
    .where('sandboxRefunds.status', '=', 'succeeded')
    .where('sandboxRefunds.createdAt', '>=', start)
    .where('sandboxRefunds.createdAt', '<', end)
    .orderBy('sandboxRefunds.createdAt')
    .orderBy('sandboxRefunds.id')
    .execute();
  return { payments, refunds };
}

/** A refund made in the sandbox's own dashboard: settled at once, no notification, no refund number of ours. */
export async function insertDashboardRefund(db: Db, refund: { id: string; paymentId: string; amount: number }): Promise<SandboxRefund> {
  return db.insertInto('sandboxRefunds').values({ ...refund, status: 'succeeded' }).returningAll().executeTakeFirstOrThrow();
}

/** The merchant's sandbox switches as last set (none: `{}`). */
export async function getSandboxBehaviour(db: Db, merchantId: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('sandboxBehaviours').select('behaviour').where('merchantId', '=', merchantId).executeTakeFirst();
  return row?.behaviour ?? {};
}

/** Replaces the merchant's sandbox switches. */
export async function setSandboxBehaviour(db: Db, merchantId: string, behaviour: Record<string, unknown>): Promise<void> {
  const value = JSON.stringify(behaviour);
  await db
    .insertInto('sandboxBehaviours')
    .values({ merchantId, behaviour: value })
    .onConflict((oc) => oc.column('merchantId').doUpdateSet({ behaviour: value, updatedAt: sql`now()` }))
    .execute();
}
