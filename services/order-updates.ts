// Sending an update to an order's workflow, with the workflow's refusals turned into typed errors, and the
// refund request (with its idempotency) that the API and both pages make.
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, RetryLaterError } from '../core/errors.js';
import type { MerchantScope } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { findOrderWorkflow, findRefundByIdempotencyKey } from '../db/order-reads.js';
import { refundFingerprint, type Refund } from '../domain/order.js';
import { REJECTION, requestRefundUpdate, type RefundRequest } from '../workflows/messages.js';
import { withinBound } from './call-bounds.js';
import type { AppDeps } from './deps.js';
import { refundView, type RefundView } from './order-reads.js';

export const RefundRequestSchema = z
  .object({
    amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: 'Minor units; the whole refundable amount when omitted.' }),
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
  .openapi('RefundRequest');

const STATUS_FOR: Record<string, { status: 404 | 409 | 422 | 500 | 502; code: string; retryAfterSeconds?: number }> = {
  [REJECTION.conflict]: { status: 409, code: 'order_conflict' },
  [REJECTION.invalid]: { status: 422, code: 'invalid_request' },
  [REJECTION.notFound]: { status: 404, code: 'not_found' },
  [REJECTION.idempotencyMismatch]: { status: 422, code: 'idempotency_key_reused' },
  GatewayRejected: { status: 502, code: 'gateway_rejected' },
  [REJECTION.gatewayUnavailable]: { status: 502, code: 'gateway_unavailable', retryAfterSeconds: 30 },
  [REJECTION.projectionFailed]: { status: 500, code: 'projection_failed' },
  // Refund policy refusals (domain/order.ts decideRefund) keep their own codes.
  refund_window_closed: { status: 409, code: 'refund_window_closed' },
  not_paid: { status: 409, code: 'not_paid' },
  refund_exceeds_paid: { status: 422, code: 'refund_exceeds_paid' },
  invalid_amount: { status: 422, code: 'invalid_amount' },
};

/** Turns a workflow's refusal of an update into the API's typed error; anything else is rethrown. */
export function toApiError(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const mapped = error.cause.type ? STATUS_FOR[error.cause.type] : undefined;
    if (mapped?.retryAfterSeconds !== undefined) return new RetryLaterError(mapped.status, mapped.code, error.cause.message, mapped.retryAfterSeconds);
    if (mapped) return new ApiError(mapped.status, mapped.code, error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError || (error instanceof Error && /already completed|workflow execution already/i.test(error.message))) {
    return new ApiError(409, 'order_closed', 'This order is closed and can no longer change.');
  }
  return error;
}

/** The workflow id of one of the scope's orders, or a 404: another merchant's order, or one of the other mode, is never found. */
export async function orderWorkflowId(db: Db, scope: MerchantScope, orderId: string): Promise<string> {
  const row = await findOrderWorkflow(db, scope, orderId);
  if (!row) throw new ApiError(404, 'not_found', 'No such order.');
  return row.workflowId;
}

/** Like `orderWorkflowId`, for refund requests: a completed order's run has ended, so say why here. */
async function refundableOrderWorkflowId(db: Db, scope: MerchantScope, orderId: string): Promise<string> {
  const row = await findOrderWorkflow(db, scope, orderId);
  if (!row) throw new ApiError(404, 'not_found', 'No such order.');
  if (row.status === 'completed') throw new ApiError(409, 'refund_window_closed', 'The refund window for this order has closed.');
  return row.workflowId;
}

/**
 * Sends an update to the order's workflow and maps a refusal to a typed HTTP error; past `boundSeconds`
 * (the configured bound for actions) the caller hears `504 order_busy` and the update goes on.
 */
export async function updateOrder<T>(temporal: Client, workflowId: string, send: (handle: WorkflowHandle) => Promise<T>, boundSeconds: number): Promise<T> {
  try {
    return await withinBound(temporal, boundSeconds, () => send(temporal.workflow.getHandle(workflowId)));
  } catch (error) {
    throw toApiError(error);
  }
}

/**
 * Asks the order for a refund. With an Idempotency-Key the workflow answers a retry with the refund the
 * key made (and refuses the key with another request); the update id, from key and request, lets Temporal
 * fold concurrent retries into one update. Once the order's run has ended (refunded, completed), the
 * projection answers the retry instead.
 */
export async function requestRefund(deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>, scope: MerchantScope, orderId: string, request: RefundRequest): Promise<Refund | RefundView> {
  const updateId =
    request.idempotencyKey === undefined
      ? undefined
      : `refund-${createHash('sha256').update(JSON.stringify([request.idempotencyKey, refundFingerprint(request)])).digest('hex')}`;
  try {
    const workflowId = await refundableOrderWorkflowId(deps.db, scope, orderId);
    return await updateOrder(deps.temporal, workflowId, (handle) => handle.executeUpdate(requestRefundUpdate, { args: [request], ...(updateId && { updateId }) }), deps.config.bounds.actionSeconds);
  } catch (error) {
    const ended = error instanceof ApiError && (error.code === 'order_closed' || error.code === 'refund_window_closed');
    const earlier = ended && request.idempotencyKey !== undefined ? await findRefundByIdempotencyKey(deps.db, orderId, request.idempotencyKey) : undefined;
    if (!earlier) throw error;
    if (earlier.requestFingerprint !== refundFingerprint(request)) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different refund request.');
    }
    return refundView(earlier);
  }
}
