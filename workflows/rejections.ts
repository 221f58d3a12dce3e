// How the order workflow refuses a message: a non-retryable failure whose type the API maps to an HTTP status.
import { ApplicationFailure } from '@temporalio/workflow';
import { actionRefusal, type OrderAction } from '../domain/order-actions.js';
import type { OrderStatus } from '../domain/order.js';
import { REJECTION } from './messages.js';

export function reject(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') reject(REJECTION.invalid, `${field} is required.`);
}

/** Refuses an action the order's status does not allow (the table in domain/order-actions.ts). */
export function requireAction(action: OrderAction, status: OrderStatus): void {
  const refusal = actionRefusal(action, status);
  if (refusal !== undefined) reject(REJECTION.conflict, refusal);
}
