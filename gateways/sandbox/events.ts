// The notification the sandbox gateway POSTs to a merchant's notify URL: built by the simulator, parsed by
// the adapter. One definition so the two cannot drift apart.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const sandboxEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['payment.succeeded', 'payment.failed', 'payment.pending', 'refund.succeeded', 'refund.failed']),
  created: z.number().int().nonnegative(),
  data: z.object({
    paymentId: z.string().min(1),
    refundId: z.string().min(1).optional(),
    status: z.string(),
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    reference: z.string().min(1),
  }),
});

export type SandboxEvent = z.infer<typeof sandboxEventSchema>;
export type SandboxEventType = SandboxEvent['type'];

/**
 * Derived from what happened (payment or refund id + type), never random: a re-delivery of the same
 * outcome carries the same id, which is what lets the receiver recognise it as a duplicate.
 */
export function sandboxEventId(subjectId: string, type: SandboxEventType): string {
  return `evt_${createHash('sha256').update(`${subjectId}:${type}`).digest('base64url').slice(0, 24)}`;
}

/** The gateway's own reference for one of our ids (`pay_abc` -> `sbx_abc`), as a real gateway's trade number. */
export function sandboxReference(id: string): string {
  return `sbx_${id.slice(id.indexOf('_') + 1)}`;
}
