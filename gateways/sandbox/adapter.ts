// The sandbox gateway adapter: talks to the sandbox server (served by Paystead itself, see server.ts) over
// real HTTP, exactly as an adapter for a remote gateway would, so the sandbox exercises the same failure
// handling. Credentials are derived from the master key; `ctx.credentials` is not used.
import { z } from 'zod';
import { profileOf } from '../../domain/gateways.js';
import { parseAnswer } from '../answers.js';
import type { GatewayNotification, PaymentResult, RefundResult } from '../../domain/gateway-reports.js';
import { GatewayError, kindOfHttpStatus, NotificationRejected, StatementNotReady, type GatewayAdapter, type GatewayContext } from '../types.js';
import { sandboxEventSchema } from './events.js';
import { readStatement } from './statement.js';
import { SANDBOX_SIGNATURE_HEADER, sandboxSecret, verifyNotificationSignature } from './signature.js';

export interface SandboxAdapterDeps {
  /** Where Paystead (and so the sandbox server under `/sandbox`) is reachable. */
  baseUrl: string;
  masterKey: Buffer;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const CreatedSchema = z.object({ payUrl: z.string(), reference: z.string() });

const PaymentSchema = z.object({
  status: z.enum(['pending', 'succeeded', 'failed', 'closed']),
  amount: z.number(),
  currency: z.string(),
  capturedAmount: z.number().nullable(),
  capturedCurrency: z.string().nullable(),
  paidAt: z.string().nullable(),
  reference: z.string(),
});

const RefundSchema = z.object({
  status: z.enum(['processing', 'succeeded', 'failed']),
  reference: z.string(),
  failureReason: z.string().optional(),
});

function errorMessage(payload: unknown): string | undefined {
  const parsed = z.object({ error: z.object({ message: z.string() }) }).safeParse(payload);
  return parsed.success ? parsed.data.error.message : undefined;
}

/** Classified as the retry policy needs it: trouble on the way or on their side is retryable, our mistakes are not. */
function httpError(status: number, payload: unknown): GatewayError {
  return new GatewayError(kindOfHttpStatus(status), `sandbox answered HTTP ${status}: ${errorMessage(payload) ?? 'no error message'}`);
}

const parseOrFail = <T>(schema: z.ZodType<T>, payload: unknown): T => parseAnswer(schema, payload, 'sandbox answered');

function toPaymentResult(payment: z.infer<typeof PaymentSchema>): PaymentResult {
  return {
    status: payment.status,
    // Once captured, what the gateway took is what counts, even where it differs from what was asked.
    amount: payment.capturedAmount ?? payment.amount,
    currency: payment.capturedCurrency ?? payment.currency,
    gatewayReference: payment.reference,
    ...(payment.paidAt !== null && { paidAt: payment.paidAt }),
  };
}

function toRefundResult(refund: z.infer<typeof RefundSchema>): RefundResult {
  return { status: refund.status, gatewayReference: refund.reference, ...(refund.failureReason !== undefined && { failureReason: refund.failureReason }) };
}

function toNotification(event: z.infer<typeof sandboxEventSchema>): GatewayNotification {
  const occurredAt = new Date(event.created * 1000).toISOString();
  const { data } = event;
  switch (event.type) {
    case 'payment.succeeded':
    case 'payment.failed':
    case 'payment.pending':
      return {
        kind: 'payment',
        eventId: event.id,
        paymentId: data.paymentId,
        status: event.type === 'payment.succeeded' ? 'succeeded' : event.type === 'payment.failed' ? 'failed' : 'pending',
        amount: data.amount,
        currency: data.currency,
        gatewayReference: data.reference,
        occurredAt,
      };
    case 'refund.succeeded':
    case 'refund.failed':
      if (data.refundId === undefined) throw new NotificationRejected('refund notification without refundId', 400);
      return {
        kind: 'refund',
        eventId: event.id,
        refundId: data.refundId,
        paymentId: data.paymentId,
        status: event.type === 'refund.succeeded' ? 'succeeded' : 'failed',
        gatewayReference: data.reference,
        occurredAt,
      };
  }
}

export function createSandboxAdapter(deps: SandboxAdapterDeps): GatewayAdapter {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const apiBase = `${deps.baseUrl.replace(/\/+$/, '')}/sandbox/api/merchants`;

  /**
   * One API call; `undefined` for a 404 when the caller treats "unknown" as an answer. `text`: the body as
   * sent (a statement), not JSON; `refusals`: the error a status is, by the message the sandbox gave.
   */
  async function call(
    ctx: GatewayContext,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: { notFoundIsAnswer?: boolean; text?: boolean; refusals?: Partial<Record<number, (message: string) => Error>> } = {},
  ): Promise<unknown> {
    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(`${apiBase}/${encodeURIComponent(ctx.merchantId)}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${sandboxSecret(deps.masterKey, ctx.merchantId)}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const reason = error instanceof Error ? error.message : String(error);
      if (name === 'TimeoutError') throw new GatewayError('timeout', `sandbox did not answer ${method} ${path} within ${timeoutMs} ms`);
      throw new GatewayError('network', `sandbox unreachable for ${method} ${path}: ${reason}`);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (status === 404 && options.notFoundIsAnswer) return undefined;
    const refusal = options.refusals?.[status];
    if (refusal) throw refusal(errorMessage(payload) ?? `HTTP ${status}`);
    if (status < 200 || status > 299) throw httpError(status, payload);
    return options.text ? text : payload;
  }

  const paymentPath = (paymentId: string) => `/payments/${encodeURIComponent(paymentId)}`;

  function paymentResult(payload: unknown): PaymentResult {
    return payload === undefined ? { status: 'not_found' } : toPaymentResult(parseOrFail(PaymentSchema, payload));
  }

  return {
    ...profileOf('sandbox'),

    async createPayment(ctx, request) {
      const created = parseOrFail(
        CreatedSchema,
        await call(ctx, 'POST', '/payments', {
          id: request.paymentId,
          orderNo: request.orderNo,
          amount: request.amount,
          currency: request.currency,
          description: request.description,
          notifyUrl: ctx.notifyUrl,
          returnUrl: request.returnUrl,
          expiresAt: request.expiresAt,
        }),
      );
      return { action: { type: 'redirect', url: created.payUrl }, gatewayReference: created.reference };
    },

    async queryPayment(ctx, { paymentId }) {
      return paymentResult(await call(ctx, 'GET', paymentPath(paymentId), undefined, { notFoundIsAnswer: true }));
    },

    async closePayment(ctx, { paymentId }) {
      return paymentResult(await call(ctx, 'POST', `${paymentPath(paymentId)}/close`, {}, { notFoundIsAnswer: true }));
    },

    async refund(ctx, request) {
      const payload = await call(ctx, 'POST', '/refunds', { id: request.refundId, paymentId: request.paymentId, amount: request.amount, reason: request.reason });
      return toRefundResult(parseOrFail(RefundSchema, payload));
    },

    async queryRefund(ctx, { refundId }) {
      const payload = await call(ctx, 'GET', `/refunds/${encodeURIComponent(refundId)}`, undefined, { notFoundIsAnswer: true });
      return payload === undefined ? { status: 'not_found' } : toRefundResult(parseOrFail(RefundSchema, payload));
    },

    async verifyNotification(ctx, raw) {
      const secret = sandboxSecret(deps.masterKey, ctx.merchantId);
      verifyNotificationSignature(secret, raw.headers[SANDBOX_SIGNATURE_HEADER.toLowerCase()], raw.body, Math.floor(Date.now() / 1000));
      let json: unknown;
      try {
        json = JSON.parse(raw.body);
      } catch {
        throw new NotificationRejected('notification body is not JSON', 400);
      }
      const event = sandboxEventSchema.safeParse(json);
      if (!event.success) throw new NotificationRejected(`notification body is not a sandbox event: ${event.error.message}`, 400);
      return toNotification(event.data);
    },

    async fetchStatement(ctx, day) {
      const path = `/statements/${encodeURIComponent(day.date)}?timeZone=${encodeURIComponent(day.timeZone)}`;
      const text = await call(ctx, 'GET', path, undefined, {
        text: true,
        refusals: { 409: (message) => new StatementNotReady(`sandbox: ${message}`) },
      });
      return { day, lines: readStatement(text as string) };
    },

    acknowledge(accepted) {
      return { status: accepted ? 200 : 500, contentType: 'application/json', body: accepted ? '{"received":true}' : '{"received":false}' };
    },
  };
}
