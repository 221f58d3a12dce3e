// The built-in sandbox gateway, served by Paystead itself and mounted at `/sandbox`: a gateway API the
// sandbox adapter calls over HTTP, test controls that shape outcomes and notifications, and the hosted
// payment page. Errors are thrown as `ApiError`; the mounting app renders them.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Db } from '../../db/database.js';
import { sandboxReference } from './events.js';
import { createFaultStore, faultInjection, FaultPlanSchema } from './faults.js';
import { registerHostedPage } from './hosted-page.js';
import { newId } from '../../core/ids.js';
import { isTimeZone } from '../../core/i18n/locales.js';
import { closeSandboxPayment, findSandboxPayment, findSandboxRefund, insertDashboardRefund, insertSandboxPayment, selectSandboxDay, type SandboxPayment, type SandboxRefund } from '../../db/sandbox-ledger.js';
import { dayBounds } from '../../domain/reconciliation.js';
import { sandboxFee, writeStatement, type SandboxStatementRow } from './statement.js';
import { createNotifier } from './notifier.js';
import { createSimulator, type Simulator } from './simulator.js';
import { constantTimeEqual, sandboxSecret } from './signature.js';
import { isLiveOrderPayment } from './test-orders.js';

export interface SandboxRoutesDeps {
  db: Db;
  masterKey: Buffer;
  logger: Logger;
  /** How notifications are sent; tests may intercept. */
  fetch?: typeof fetch;
}

const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals');
const webUrl = z.url({ protocol: /^https?$/ });

const CreatePaymentBody = z.object({
  id: z.string().min(1).max(200),
  orderNo: z.string().min(1).max(200),
  amount,
  currency,
  description: z.string().max(1000),
  notifyUrl: webUrl,
  returnUrl: webUrl,
  expiresAt: z.iso.datetime({ offset: true }),
});

const CreateRefundBody = z.object({
  id: z.string().min(1).max(200),
  paymentId: z.string().min(1),
  amount: amount.positive(),
  reason: z.string().max(1000),
});

const CompleteBody = z.object({
  outcome: z.enum(['succeeded', 'failed']),
  amount: amount.optional(),
  currency: currency.optional(),
  late: z.boolean().optional(),
  notification: z
    .object({
      mode: z.enum(['deliver', 'drop', 'duplicate', 'reorder']).optional(),
      delayMs: z.number().int().min(0).max(600_000).optional(),
    })
    .optional(),
});

const BehaviourBody = z.object({
  refundOutcome: z.enum(['succeeded', 'failed']).optional(),
  refundNotification: z.enum(['deliver', 'drop']).optional(),
  refundDelayMs: z.number().int().min(0).max(600_000).optional(),
  openDayStatements: z.boolean().optional(),
  statementFault: z.enum(['truncated']).optional(),
});

const DashboardRefundBody = z.object({ amount: amount.positive() });

async function parseJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new ApiError(400, 'invalid_request', 'The request is not valid.', details);
  }
  return parsed.data;
}

function paymentView(payment: SandboxPayment, simulator: Simulator) {
  return {
    id: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    capturedAmount: payment.capturedAmount,
    capturedCurrency: payment.capturedAmount === null ? null : simulator.capturedCurrency(payment),
    paidAt: payment.paidAt?.toISOString() ?? null,
    reference: sandboxReference(payment.id),
  };
}

function refundView(refund: SandboxRefund) {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    amount: refund.amount,
    status: refund.status,
    reference: sandboxReference(refund.id),
    ...(refund.status === 'failed' && { failureReason: 'The sandbox declined this refund (merchant behaviour).' }),
  };
}

function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not_found', `No ${what} ${id}.`);
}

export function createSandboxRoutes(deps: SandboxRoutesDeps): Hono {
  const { db, masterKey } = deps;
  const simulator = createSimulator({ db, masterKey, logger: deps.logger, notifier: createNotifier({ logger: deps.logger, fetch: deps.fetch }) });
  const faults = createFaultStore();
  const app = new Hono();

  app.use('/api/merchants/:merchantId/*', async (c, next) => {
    const expected = `Bearer ${sandboxSecret(masterKey, c.req.param('merchantId'))}`;
    if (!constantTimeEqual(c.req.header('authorization') ?? '', expected)) {
      throw new ApiError(401, 'unauthorized', 'A valid sandbox bearer secret for this merchant is required.');
    }
    await next();
  });
  // Injected faults (500, 429, slow, no answer after the work), only for merchants with a fault plan.
  app.use('/api/merchants/:merchantId/*', faultInjection(faults, deps.logger));

  async function merchantPayment(merchantId: string, id: string): Promise<SandboxPayment> {
    const payment = await findSandboxPayment(db, id, merchantId);
    if (!payment) throw notFound('payment', id);
    return payment;
  }

  app.post('/api/merchants/:merchantId/payments', async (c) => {
    const body = await parseJson(c, CreatePaymentBody);
    const merchantId = c.req.param('merchantId');
    const payment = await insertSandboxPayment(db, { ...body, merchantId, status: 'pending', capturedAmount: null, capturedCurrency: null, paidAt: null });
    if (payment.merchantId !== merchantId || payment.amount !== body.amount || payment.currency !== body.currency) {
      throw new ApiError(409, 'idempotency_conflict', `Payment ${body.id} already exists with a different amount or currency.`);
    }
    const payUrl = `${new URL(c.req.url).origin}/sandbox/pay/${encodeURIComponent(payment.id)}`;
    return c.json({ id: payment.id, status: payment.status, amount: payment.amount, currency: payment.currency, payUrl, reference: sandboxReference(payment.id) });
  });

  app.get('/api/merchants/:merchantId/payments/:id', async (c) => {
    return c.json(paymentView(await merchantPayment(c.req.param('merchantId'), c.req.param('id')), simulator));
  });

  app.post('/api/merchants/:merchantId/payments/:id/close', async (c) => {
    const payment = await merchantPayment(c.req.param('merchantId'), c.req.param('id'));
    await closeSandboxPayment(db, payment.id, payment.merchantId);
    return c.json(paymentView(await merchantPayment(payment.merchantId, payment.id), simulator));
  });

  app.post('/api/merchants/:merchantId/refunds', async (c) => {
    const body = await parseJson(c, CreateRefundBody);
    const outcome = await simulator.refund(c.req.param('merchantId'), body);
    switch (outcome.kind) {
      case 'payment_not_found':
        throw notFound('payment', body.paymentId);
      case 'conflict':
        throw new ApiError(409, 'idempotency_conflict', outcome.message);
      case 'refused':
        throw new ApiError(400, 'invalid_request', outcome.message);
      default:
        return c.json(refundView(outcome.refund));
    }
  });

  app.get('/api/merchants/:merchantId/refunds/:id', async (c) => {
    const found = await findSandboxRefund(db, c.req.param('id'), c.req.param('merchantId'));
    if (!found) throw notFound('refund', c.req.param('id'));
    await simulator.resumeSettlement(found.payment.merchantId, found.refund);
    return c.json(refundView(found.refund));
  });

  app.post('/api/merchants/:merchantId/control/payments/:id/complete', async (c) => {
    const body = await parseJson(c, CompleteBody);
    const payment = await merchantPayment(c.req.param('merchantId'), c.req.param('id'));
    if (await isLiveOrderPayment(db, payment)) throw new ApiError(403, 'not_a_test_order', `Payment ${payment.id} is not a test order's: the sandbox completes test orders only.`);
    const plan = { mode: body.notification?.mode ?? 'deliver', delayMs: body.notification?.delayMs ?? 0 };
    const result = await simulator.complete(payment, body, plan);
    if (result.kind === 'unchanged') {
      const current = await merchantPayment(payment.merchantId, payment.id);
      throw new ApiError(409, 'payment_not_payable', `Payment ${payment.id} is ${current.status === 'pending' ? 'expired' : current.status}; nothing was charged.`);
    }
    return c.json({ payment: paymentView(result.payment, simulator), deliveries: result.deliveries });
  });

  // The day's statement: what the sandbox captured and refunded, with its fees (statement.ts).
  app.get('/api/merchants/:merchantId/statements/:date', async (c) => {
    const merchantId = c.req.param('merchantId');
    const date = c.req.param('date');
    const timeZone = c.req.query('timeZone') ?? 'UTC';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isTimeZone(timeZone)) throw new ApiError(400, 'invalid_request', 'A date as YYYY-MM-DD and an IANA time zone are required.');
    const day = { date, timeZone };
    const { start, end } = dayBounds(day);
    const behaviour = await simulator.behaviour(merchantId);
    if (end > new Date() && !behaviour.openDayStatements) throw new ApiError(409, 'statement_not_ready', `The statement of ${date} (${timeZone}) is produced once the day is over.`);
    const { payments, refunds } = await selectSandboxDay(db, merchantId, start, end);
    const rows: SandboxStatementRow[] = [
      ...payments.map((p) => {
        const captured = p.capturedAmount ?? p.amount;
        return { kind: 'payment' as const, ourId: p.id, paymentId: p.id, reference: sandboxReference(p.id), amount: captured, currency: simulator.capturedCurrency(p), fee: sandboxFee(captured), occurredAt: p.paidAt!.toISOString() };
      }),
      ...refunds.map((r) => ({ kind: 'refund' as const, ourId: r.id, paymentId: r.paymentId, reference: sandboxReference(r.id), amount: r.amount, currency: r.currency, fee: -sandboxFee(r.amount), occurredAt: new Date(r.createdAt).toISOString() })),
    ];
    const text = writeStatement(rows);
    const body = behaviour.statementFault === 'truncated' ? text.split('\n').filter((line, i, all) => i !== all.length - 3).join('\n') : text;
    return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  // A refund made in the sandbox's own dashboard: money back at once, no notification, no number of ours.
  app.post('/api/merchants/:merchantId/control/payments/:id/dashboard-refund', async (c) => {
    const body = await parseJson(c, DashboardRefundBody);
    const payment = await merchantPayment(c.req.param('merchantId'), c.req.param('id'));
    if (payment.status !== 'succeeded') throw new ApiError(409, 'payment_not_captured', `Payment ${payment.id} is ${payment.status}; there is nothing to refund.`);
    const refund = await insertDashboardRefund(db, { id: newId('dash'), paymentId: payment.id, amount: body.amount });
    return c.json(refundView(refund));
  });

  app.put('/api/merchants/:merchantId/control/behaviour', async (c) => {
    const behaviour = await parseJson(c, BehaviourBody);
    await simulator.setBehaviour(c.req.param('merchantId'), behaviour);
    return c.json(behaviour);
  });

  app.put('/api/merchants/:merchantId/control/faults', async (c) => {
    const plan = await parseJson(c, FaultPlanSchema);
    faults.set(c.req.param('merchantId'), plan);
    return c.json(faults.describe(c.req.param('merchantId')));
  });

  app.get('/api/merchants/:merchantId/control/faults', (c) => c.json(faults.describe(c.req.param('merchantId'))));

  app.delete('/api/merchants/:merchantId/control/faults', (c) => {
    faults.clear(c.req.param('merchantId'));
    return c.json(faults.describe(c.req.param('merchantId')));
  });

  registerHostedPage(app, { db, simulator });
  return app;
}
