// Which status allows which action on an order: one table read by the workflow's validators, the API and
// both pages (which buttons and forms to show). A new status must say here whether it takes refunds.
import type { OrderStatus } from './order.js';

interface ActionRule {
  /** The statuses the action starts from. */
  from: readonly OrderStatus[];
  /** How the refusal names the action: "Only an order that is paid can be <done>". */
  done: string;
}

export const ORDER_ACTIONS = {
  cancel: { from: ['awaiting_payment'], done: 'cancelled' },
  confirm: { from: ['paid'], done: 'confirmed' },
  decline: { from: ['paid'], done: 'declined' },
  ship: { from: ['confirmed'], done: 'shipped' },
  deliver: { from: ['shipped'], done: 'marked delivered' },
  // A capture of another amount or currency: kept (the order goes on as paid) or given back (cancelled).
  'accept-payment': { from: ['needs_review'], done: 'accepted with what the gateway captured' },
  'refund-payment': { from: ['needs_review'], done: 'refunded what the gateway captured and cancelled' },
} as const satisfies Record<string, ActionRule>;
export type OrderAction = keyof typeof ORDER_ACTIONS;

export function actionAllowed(action: OrderAction, status: OrderStatus): boolean {
  return (ORDER_ACTIONS[action].from as readonly OrderStatus[]).includes(status);
}

const spoken = (status: OrderStatus) => status.replace('_', ' ');

/** Why the action cannot be taken in this status, or undefined when it can. */
export function actionRefusal(action: OrderAction, status: OrderStatus): string | undefined {
  if (actionAllowed(action, status)) return undefined;
  const rule = ORDER_ACTIONS[action];
  return `Only an order that is ${rule.from.map(spoken).join(' or ')} can be ${rule.done}; this order is ${spoken(status)}.`;
}

/** Whether a refund may be asked for in each status; the amount still refundable decides the rest. */
export const REFUNDS_ALLOWED: Record<OrderStatus, boolean> = {
  awaiting_payment: false,
  paid: true,
  confirmed: true,
  shipped: true,
  delivered: true,
  completed: false,
  cancelled: false,
  expired: false,
  refunded: true,
  needs_review: true,
};
