// Refund forms carry an id of their own, sent to the order as the refund's idempotency key: a double click
// or a form sent again finds the refund the first submission made instead of starting a second one.
import { newId } from '../../core/ids.js';

const PREFIX = 'form';
// 12 random bytes: 16 base64url characters.
const BYTES = 12;
const FORMAT = new RegExp(`^${PREFIX}_[A-Za-z0-9_-]{${(BYTES / 3) * 4}}$`);

/** A fresh id per rendered form. */
export function RefundRequestIdField() {
  return <input type="hidden" name="request_id" value={newId(PREFIX, BYTES)} />;
}

/** The submitted form's id, when it is one of ours; a form without one still works, without the protection. */
export function refundRequestIdOf(body: Record<string, unknown>): string | undefined {
  const value = body.request_id;
  return typeof value === 'string' && FORMAT.test(value) ? value : undefined;
}
