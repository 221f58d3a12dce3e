import type { Logger } from '../core/logger.js';
import type { CustomerNotification } from '../domain/customer-notification.js';

/** How customer notifications leave the system. Pluggable (email, SMS); the default writes them to the log. */
export interface Notifier {
  send(notification: CustomerNotification): Promise<void>;
}

export function createLogNotifier(logger: Logger): Notifier {
  return {
    async send(notification) {
      logger.info({ notification: { id: notification.id, kind: notification.kind, orderId: notification.orderId } }, 'customer notification');
    },
  };
}
