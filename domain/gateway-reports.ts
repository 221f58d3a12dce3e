// What a gateway tells us about a payment or a refund, whichever gateway it is: the answer to a query and
// a verified notification. Gateways produce these, the webhook events table stores them, the workflow reads them.

export interface PaymentResult {
  status: 'pending' | 'succeeded' | 'failed' | 'closed' | 'not_found';
  amount?: number;
  currency?: string;
  gatewayReference?: string;
  paidAt?: string;
}

export interface RefundResult {
  status: 'processing' | 'succeeded' | 'failed' | 'not_found';
  gatewayReference?: string;
  failureReason?: string;
}

export type GatewayNotification =
  | {
      kind: 'payment';
      eventId: string;
      paymentId: string;
      status: 'pending' | 'succeeded' | 'failed' | 'closed';
      amount?: number;
      currency?: string;
      gatewayReference?: string;
      occurredAt: string;
    }
  | {
      kind: 'refund';
      eventId: string;
      refundId: string;
      paymentId?: string;
      status: 'processing' | 'succeeded' | 'failed';
      gatewayReference?: string;
      failureReason?: string;
      occurredAt: string;
    };
