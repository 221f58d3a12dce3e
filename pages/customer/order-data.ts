// The customer's order, found by its unguessable view token only, and what the customer may do with it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadOrderView, type OrderView } from '../../api/order-view.js';
import type { Db } from '../../db/database.js';
import { getMerchant, getSettings } from '../../db/merchants.js';
import { decideRefund, refundableAmount } from '../../domain/order.js';

/** View tokens are base64url (24 random bytes at checkout); anything else is not looked up at all. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** The cheap lookup: which order (and merchant) a token names, and its projection version. */
export async function findOrderRef(db: Db, token: string) {
  if (!isTokenShaped(token)) return undefined;
  return db.selectFrom('orders').select(['id', 'merchantId', 'version']).where('viewToken', '=', token).executeTakeFirst();
}

/** The projection's version for a token, polled by the live-update stream; undefined once there is none. */
export async function orderVersion(db: Db, token: string): Promise<number | undefined> {
  const row = await db.selectFrom('orders').select('version').where('viewToken', '=', token).executeTakeFirst();
  return row?.version;
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
  /** Present when the merchant's policy lets the customer ask for (the rest of) the money back. */
  refund?: RefundOption;
}

export async function loadCustomerOrder(db: Db, token: string): Promise<CustomerOrder | undefined> {
  const ref = await findOrderRef(db, token);
  if (!ref) return undefined;
  const [order, merchant, settings] = await Promise.all([
    loadOrderView(db, ref.merchantId, ref.id),
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
    ...(decision.outcome !== 'refuse' && {
      refund: { refundable, afterShipping: order.status === 'shipped' || order.status === 'delivered', approvalThreshold: settings.refundApprovalThreshold },
    }),
  };
}

/**
 * The refund form's anti-forgery token: HMAC-SHA256 of the view token under a key derived from the master
 * key for this purpose only. It adds nothing an attacker who holds the view token lacks, but a form posted
 * from elsewhere (which cannot read the page) never carries it.
 */
export function formToken(masterKey: Buffer, viewToken: string): string {
  const key = createHmac('sha256', masterKey).update('paystead:customer-page:form-token:v1').digest();
  return createHmac('sha256', key).update(viewToken).digest('base64url');
}

export function isValidFormToken(masterKey: Buffer, viewToken: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  const expected = Buffer.from(formToken(masterKey, viewToken));
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
