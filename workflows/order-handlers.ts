// Every message the order workflow answers, registered in one place: each handler and its validator is a
// method of the part of the order it concerns. Storefront calls, merchant actions and gateway notifications
// all arrive here.
import { setHandler } from '@temporalio/workflow';
import type { OrderAction } from '../domain/order-actions.js';
import type { OrderFulfilment } from './fulfilment.js';
import {
  acceptPaymentUpdate,
  approveRefundUpdate,
  cancelUpdate,
  checkoutUpdate,
  confirmUpdate,
  declineUpdate,
  deliverUpdate,
  paymentNotificationSignal,
  refundNotificationSignal,
  refundPaymentUpdate,
  recordExternalRefundUpdate,
  rejectRefundUpdate,
  requestRefundUpdate,
  shipUpdate,
  stateQuery,
} from './messages.js';
import type { OrderEntity } from './order-entity.js';
import type { OrderPayment } from './payment.js';
import type { OrderRefunds } from './refunds.js';
import { requireAction } from './rejections.js';
import type { OrderReview } from './review.js';

export function setOrderHandlers(order: OrderEntity, payment: OrderPayment, fulfilment: OrderFulfilment, refunds: OrderRefunds, review: OrderReview): void {
  const requireAllowed = (action: OrderAction) => requireAction(action, order.state.status);
  // A change the database refused for good is answered with the alert, not with a state the API cannot show.
  const answered =
    <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await handler(...args);
      order.refuseIfUnprojected();
      return result;
    };

  setHandler(stateQuery, () => order.state);

  setHandler(checkoutUpdate, () => payment.answerCheckout(), { validator: (request) => payment.validateCheckout(request) });
  setHandler(paymentNotificationSignal, (signal) => payment.hear(signal));
  setHandler(refundNotificationSignal, (signal) => refunds.hear(signal));
  setHandler(cancelUpdate, (request) => payment.cancel(request), { validator: (_request) => requireAllowed('cancel') });

  setHandler(confirmUpdate, answered(() => fulfilment.confirm()), { validator: () => requireAllowed('confirm') });
  setHandler(declineUpdate, answered((request) => fulfilment.decline(request)), { validator: (request) => fulfilment.validateDecline(request) });
  setHandler(shipUpdate, answered((request) => fulfilment.ship(request)), { validator: (request) => fulfilment.validateShip(request) });
  setHandler(deliverUpdate, answered(() => fulfilment.deliver()), { validator: () => requireAllowed('deliver') });

  setHandler(acceptPaymentUpdate, answered((request) => review.accept(request)), { validator: (_request) => review.validateAccept() });
  setHandler(refundPaymentUpdate, answered((request) => review.refund(request)), { validator: (request) => review.validateRefund(request) });

  setHandler(requestRefundUpdate, answered((request) => refunds.request(request)), { validator: (request) => refunds.validateRequest(request) });
  setHandler(approveRefundUpdate, answered((request) => refunds.decide('approve', request)), { validator: (request) => refunds.validateDecision('approve', request) });
  setHandler(recordExternalRefundUpdate, answered((refund) => refunds.recordExternal(refund)), { validator: (refund) => refunds.validateExternal(refund) });
  setHandler(rejectRefundUpdate, answered((request) => refunds.decide('reject', request)), { validator: (request) => refunds.validateDecision('reject', request) });
}
