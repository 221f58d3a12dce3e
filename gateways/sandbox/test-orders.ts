// The sandbox acts only on test orders. A live order's payment never reaches it (the registry offers the
// sandbox in test mode only and checkout refuses it for live keys); this guard holds even if one did.
import type { Db } from '../../db/database.js';
import { findPaymentOrder } from '../../db/order-reads.js';
import type { SandboxPayment } from '../../db/sandbox-ledger.js';

/**
 * True when the payment belongs to a live order, which the sandbox must refuse. A payment of no known order
 * (the sandbox used on its own, as its tests do) is a test payment: only test-mode orders create them.
 */
export async function isLiveOrderPayment(db: Db, payment: Pick<SandboxPayment, 'id' | 'merchantId'>): Promise<boolean> {
  const order = await findPaymentOrder(db, payment.merchantId, payment.id);
  return order?.livemode === true;
}
