import type { Transaction } from 'kysely';
import type { OrderInput, OrderState } from '../domain/order.js';
import type { Database, Db } from './database.js';

/**
 * Writes the workflow's state as the projection the API reads. Idempotent and ordered: a snapshot whose
 * version is not newer than the stored one changes nothing, so retries and out-of-order writes are safe.
 */
export async function writeOrderProjection(db: Db, meta: Pick<OrderInput, 'idempotencyKey' | 'requestHash' | 'viewToken'> & { workflowId: string }, state: OrderState): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const written = await trx
      .insertInto('orders')
      .values({
        id: state.orderId,
        merchantId: state.merchantId,
        orderNo: state.orderNo,
        workflowId: meta.workflowId,
        idempotencyKey: meta.idempotencyKey,
        requestHash: meta.requestHash,
        viewToken: meta.viewToken,
        ...orderColumns(state),
        createdAt: state.createdAt,
      })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet(orderColumns(state))
          .where('orders.version', '<', state.version),
      )
      .returning('id')
      .executeTakeFirst();
    if (!written) return false;
    await writeChildren(trx, state);
    return true;
  });
}

function orderColumns(state: OrderState) {
  return {
    status: state.status,
    statusReason: state.statusReason ?? null,
    currency: state.currency,
    subtotal: state.subtotal,
    shippingFee: state.shippingFee,
    tax: state.tax,
    total: state.total,
    paidAmount: state.paidAmount,
    refundedAmount: state.refundedAmount,
    items: JSON.stringify(state.items),
    customer: JSON.stringify(state.customer),
    customerEmail: state.customer.email.toLowerCase(),
    customerPhone: state.customer.phone,
    shippingAddress: JSON.stringify(state.shippingAddress),
    paymentMethod: state.paymentMethod,
    shipment: state.shipment ? JSON.stringify(state.shipment) : null,
    version: state.version,
    updatedAt: state.updatedAt,
  };
}

async function writeChildren(trx: Transaction<Database>, state: OrderState): Promise<void> {
  for (const p of state.payments) {
    const columns = {
      status: p.status,
      capturedAmount: p.capturedAmount ?? null,
      capturedCurrency: p.capturedCurrency ?? null,
      gatewayReference: p.gatewayReference ?? null,
      action: p.action ? JSON.stringify(p.action) : null,
      paidAt: p.paidAt ?? null,
      updatedAt: state.updatedAt,
    };
    await trx
      .insertInto('payments')
      .values({ id: p.id, orderId: state.orderId, merchantId: state.merchantId, gateway: p.gateway, amount: p.amount, currency: p.currency, expiresAt: p.expiresAt, createdAt: p.createdAt, ...columns })
      .onConflict((oc) => oc.column('id').doUpdateSet(columns))
      .execute();
  }
  for (const r of state.refunds) {
    const columns = {
      status: r.status,
      note: r.note ?? null,
      gatewayReference: r.gatewayReference ?? null,
      failureReason: r.failureReason ?? null,
      updatedAt: r.updatedAt,
    };
    await trx
      .insertInto('refunds')
      .values({ id: r.id, orderId: state.orderId, merchantId: state.merchantId, paymentId: r.paymentId, amount: r.amount, currency: r.currency, reason: r.reason, initiatedBy: r.initiatedBy, createdAt: r.createdAt, ...columns })
      .onConflict((oc) => oc.column('id').doUpdateSet(columns))
      .execute();
  }
  if (state.timeline.length > 0) {
    await trx
      .insertInto('orderEvents')
      .values(state.timeline.map((e) => ({ orderId: state.orderId, seq: e.seq, at: e.at, status: e.status, event: e.event, actor: e.actor, message: e.message ?? null })))
      .onConflict((oc) => oc.columns(['orderId', 'seq']).doNothing())
      .execute();
  }
}
