/** A message to the customer about their order: the workflow writes it, the outbox keeps it, a notifier sends it. */
export interface CustomerNotification {
  /** Derived from the order and the event, so a retried activity never notifies twice. */
  id: string;
  merchantId: string;
  orderId: string;
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
}
