// Merchant staff: find orders, confirm or decline them, ship, mark delivered, refund, decide refunds.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  approveRefundUpdate,
  confirmUpdate,
  declineUpdate,
  deliverUpdate,
  rejectRefundUpdate,
  shipUpdate,
} from '../../workflows/messages.js';
import type { AppEnv, RouteDeps } from '../context.js';
import { merchantIdOf, requireKey } from '../auth.js';
import { ApiError } from '../../core/errors.js';
import { listOrders, OrderListQuery } from '../../services/order-list.js';
import { OrderIdParam, OrderSchema, OrderSummarySchema, RefundRequestHeaders, RefundRequestSchema, RefundSchema } from '../order-schemas.js';
import { orderWorkflowId, requestRefund, updateOrder } from '../../services/order-updates.js';
import { requireOrderView } from '../../services/order-reads.js';
import { bearerAuth, errorResponses } from '../schemas.js';

const OrderListItem = OrderSummarySchema.extend({
  paidAmount: z.number().int(),
  refundedAmount: z.number().int(),
  customer: z.object({ name: z.string(), email: z.string(), phone: z.string() }),
  paymentMethod: z.string(),
  createdAt: z.string(),
}).openapi('OrderListItem');

const RefundIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });
const Note = z.string().trim().min(1).max(500);

/** The bodies of the merchant's order actions; the admin pages validate their forms with the same schemas. */
export const DeclineRequestSchema = z.object({ reason: Note }).strict();
export const ShipRequestSchema = z.object({ carrier: z.string().trim().min(1).max(100), trackingNumber: z.string().trim().min(1).max(100) }).strict();
export const ApproveRefundRequestSchema = z.object({ note: Note.optional() }).strict();
export const RejectRefundRequestSchema = z.object({ note: Note }).strict();

export function registerAdminOrderRoutes(app: OpenAPIHono<AppEnv>, { db, temporal, keys }: RouteDeps) {
  const admin = requireKey(keys, 'admin');
  app.use('/v1/admin/orders', admin);
  app.use('/v1/admin/orders/*', admin);
  app.use('/v1/admin/refunds/*', admin);

  const orderResponse = { description: 'The order', content: { 'application/json': { schema: OrderSchema } } };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/orders',
      tags: ['admin'],
      summary: 'Orders, newest first: filter by status, search by order number, customer email or phone',
      security: bearerAuth,
      request: { query: OrderListQuery },
      responses: {
        200: { description: 'A page of orders', content: { 'application/json': { schema: z.object({ orders: z.array(OrderListItem), nextCursor: z.string().nullable() }) } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      return c.json(await listOrders(db, merchantId, c.req.valid('query')), 200);
    },
  );

  /** Registers `POST /v1/admin/orders/{id}/<action>`: one update, then the fresh order. */
  function orderAction<B extends z.ZodType | undefined>(action: string, summary: string, body: B, send: (handle: Parameters<Parameters<typeof updateOrder>[2]>[0], input: B extends z.ZodType ? z.infer<B> : undefined) => Promise<unknown>) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/admin/orders/{id}/${action}`,
        tags: ['admin'],
        summary,
        security: bearerAuth,
        request: { params: OrderIdParam, ...(body && { body: { required: true, content: { 'application/json': { schema: body } } } }) },
        responses: { 200: orderResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => {
        const merchantId = merchantIdOf(c.get('principal'));
        const { id } = c.req.valid('param');
        // Validated (and trimmed) by the route's schema; the generic route type cannot name it here.
        const input = (body ? (c.req.valid as (target: 'json') => unknown)('json') : undefined) as B extends z.ZodType ? z.infer<B> : undefined;
        const workflowId = await orderWorkflowId(db, merchantId, id);
        await updateOrder(temporal, workflowId, (handle) => send(handle, input));
        return c.json(await requireOrderView(db, merchantId, id), 200);
      },
    );
  }

  orderAction('confirm', 'Confirm a paid order', undefined, (h) => h.executeUpdate(confirmUpdate));
  orderAction('decline', 'Decline a paid order: refunded in full and cancelled', DeclineRequestSchema, (h, b) => h.executeUpdate(declineUpdate, { args: [b] }));
  orderAction('ship', 'Ship a confirmed order with carrier and tracking number (the customer is notified)', ShipRequestSchema, (h, b) => h.executeUpdate(shipUpdate, { args: [b] }));
  orderAction('deliver', 'Mark a shipped order delivered; the refund window starts', undefined, (h) => h.executeUpdate(deliverUpdate));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/orders/{id}/refunds',
      tags: ['admin'],
      summary: 'Refund (part of) a paid order, on the merchant’s own decision',
      security: bearerAuth,
      request: { params: OrderIdParam, headers: RefundRequestHeaders, body: { required: true, content: { 'application/json': { schema: RefundRequestSchema } } } },
      responses: { 201: { description: 'The refund', content: { 'application/json': { schema: RefundSchema } } }, ...errorResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const merchantId = merchantIdOf(c.get('principal'));
      const key = c.req.valid('header')['idempotency-key'];
      const refund = await requestRefund({ db, temporal }, merchantId, c.req.valid('param').id, { ...c.req.valid('json'), actor: 'merchant', idempotencyKey: key });
      return c.json(refund, 201);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/admin/refunds/{id}/${decision}`,
        tags: ['admin'],
        summary: decision === 'approve' ? 'Approve a refund waiting for the merchant' : 'Reject a refund waiting for the merchant, with a note for the customer',
        security: bearerAuth,
        request: {
          params: RefundIdParam,
          body: { required: true, content: { 'application/json': { schema: decision === 'approve' ? ApproveRefundRequestSchema : RejectRefundRequestSchema } } },
        },
        responses: { 200: { description: 'The refund', content: { 'application/json': { schema: RefundSchema } } }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const merchantId = merchantIdOf(c.get('principal'));
        const refundId = c.req.valid('param').id;
        const row = await db.selectFrom('refunds').select('orderId').where('id', '=', refundId).where('merchantId', '=', merchantId).executeTakeFirst();
        if (!row) throw new ApiError(404, 'not_found', 'No such refund.');
        const workflowId = await orderWorkflowId(db, merchantId, row.orderId);
        const { note } = c.req.valid('json');
        const refund = await updateOrder(temporal, workflowId, (h) =>
          decision === 'approve' ? h.executeUpdate(approveRefundUpdate, { args: [{ refundId, note }] }) : h.executeUpdate(rejectRefundUpdate, { args: [{ refundId, note: note! }] }),
        );
        return c.json(refund, 200);
      },
    );
  }
}
