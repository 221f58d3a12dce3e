// One order as the API and the pages show it, found by the merchant's order id or by the customer's view
// token, and what the customer may still do with it.
import { ApiError } from '../core/errors.js';
import { modeOf, type MerchantScope } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { getMerchant, getSettings, type MerchantSettings } from '../db/merchants.js';
import { findOrderByViewToken, orderVersionByViewToken } from '../db/order-reads.js';
import { loadOrderView, refundView } from '../db/order-view.js';
import { decideRefund, refundableAmount } from '../domain/order.js';

export { loadOrderView, refundView };

export type RefundView = ReturnType<typeof refundView>;
export type OrderView = NonNullable<Awaited<ReturnType<typeof loadOrderView>>>;

/** The order, or a 404: another merchant's order, or one of the other mode, is never found. */
export async function requireOrderView(db: Db, scope: MerchantScope, orderId: string): Promise<OrderView> {
  const order = await loadOrderView(db, scope, orderId);
  if (!order) throw new ApiError(404, 'not_found', 'No such order.');
  return order;
}

/** View tokens are base64url (24 random bytes at checkout); anything else is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/** The cheap lookup: which order a token names, the scope it belongs to, and its projection version. */
export async function findOrderRef(db: Db, token: string) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const ref = await findOrderByViewToken(db, token);
  return ref && { ...ref, scope: { merchantId: ref.merchantId, mode: modeOf(ref.livemode) } satisfies MerchantScope };
}

/** The projection's version for a token, polled by the live-update stream; undefined once there is none. */
export function orderVersion(db: Db, token: string): Promise<number | undefined> {
  return orderVersionByViewToken(db, token);
}

export interface RefundOption {
  /** What is still refundable, in minor units: the form's default. */
  refundable: number;
  /** After shipping every customer refund waits for the shop. */
  afterShipping: boolean;
  /** Requests above this (minor units) wait for the shop's approval (the merchant's current setting). */
  approvalThreshold: number;
}

export interface CustomerOrder {
  order: OrderView;
  version: number;
  merchantName: string;
  /** False for a test order: its page says that no money moves. */
  livemode: boolean;
  /** The merchant's default language and the time zone its pages show times in. */
  language: Pick<MerchantSettings, 'locale' | 'timeZone'>;
  /** Present when the merchant's policy lets the customer ask for (the rest of) the money back. */
  refund?: RefundOption;
}

/** The order a view token names, as its customer sees it. */
export async function loadCustomerOrder(db: Db, token: string): Promise<CustomerOrder | undefined> {
  const ref = await findOrderRef(db, token);
  if (!ref) return undefined;
  const [order, merchant, settings] = await Promise.all([
    loadOrderView(db, ref.scope, ref.id),
    getMerchant(db, ref.merchantId),
    getSettings(db, ref.merchantId),
  ]);
  if (!order) return undefined;
  const refundable = refundableAmount(order);
  // The same rule the workflow applies: offered only when asking for everything left would not be refused.
  const decision = decideRefund(order, { amount: refundable, actor: 'customer' }, { refundApprovalThreshold: settings.refundApprovalThreshold });
  return {
    order,
    version: ref.version,
    merchantName: merchant?.name ?? 'The shop',
    livemode: ref.livemode,
    language: { locale: settings.locale, timeZone: settings.timeZone },
    ...(decision.outcome !== 'refuse' && {
      refund: { refundable, afterShipping: order.status === 'shipped' || order.status === 'delivered', approvalThreshold: settings.refundApprovalThreshold },
    }),
  };
}
