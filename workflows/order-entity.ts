// The order as the workflow holds it: its state, the merchant's policy, and the projection of that state
// into Postgres (with the status search attribute kept in step). Payment, refunds and fulfilment change
// the state; only this class writes it out.
import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CustomerNotification } from '../domain/customer-notification.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import type { MerchantPolicy, OrderInput, OrderState, Payment } from '../domain/order.js';
import { db, gatewayRejection } from './activity-proxies.js';
import { initialState, record } from './order-state.js';
import type { OrderPatches } from './patches.js';

export const now = () => new Date().toISOString();
export const seconds = (n: number) => n * 1000;

export class OrderEntity {
  readonly state: OrderState;
  readonly policy: MerchantPolicy;
  /** Which gateway account the order's payment lives in. */
  readonly gatewayRef: { merchantId: string; gateway: OrderInput['paymentMethod'] };
  private readonly meta: { workflowId: string; idempotencyKey: string; requestHash: string; viewToken: string };
  private readonly seenEvents = new Set<string>();
  private lastStatusIndexed: OrderState['status'];
  private projectedVersion = 0;

  constructor(
    readonly input: OrderInput,
    readonly patches: OrderPatches,
  ) {
    this.state = initialState(input);
    this.policy = input.policy;
    this.gatewayRef = { merchantId: input.merchantId, gateway: input.paymentMethod };
    this.meta = { workflowId: workflowInfo().workflowId, idempotencyKey: input.idempotencyKey, requestHash: input.requestHash, viewToken: input.viewToken };
    this.lastStatusIndexed = this.state.status;
  }

  payment(): Payment {
    return this.state.payments[0]!;
  }

  /** How the gateway finds the payment: our id, its creation time, and its reference once heard. */
  paymentRef() {
    const payment = this.payment();
    return { paymentId: payment.id, createdAt: payment.createdAt, gatewayReference: payment.gatewayReference };
  }

  /** True the first time a gateway event id is heard: notifications are delivered at least once. */
  firstHeard(eventId: string): boolean {
    if (this.seenEvents.has(eventId)) return false;
    this.seenEvents.add(eventId);
    return true;
  }

  /** Writes the projection and keeps the search attributes in step with the status. */
  async persist(notification?: CustomerNotification, activities = db): Promise<void> {
    if (this.state.status !== this.lastStatusIndexed) {
      this.lastStatusIndexed = this.state.status;
      upsertSearchAttributes([{ key: ORDER_SEARCH_KEYS.orderStatus, value: this.state.status }]);
    }
    const version = this.state.version;
    await activities.projectOrder({ meta: this.meta, state: this.state, ...(notification && { notification }) });
    this.projectedVersion = Math.max(this.projectedVersion, version);
  }

  /** Persists a change the customer hears about; the notification is keyed by order and event, so sent once. */
  async persistAndNotify(kind: string, payload: Record<string, unknown>, key = kind): Promise<void> {
    const { state } = this;
    const notification = {
      id: `${state.orderId}:${key}`,
      merchantId: state.merchantId,
      orderId: state.orderId,
      kind,
      recipient: state.customer.email,
      payload: { orderNo: state.orderNo, ...payload },
    };
    if (this.patches.noticeWithProjection) return this.persist(notification);
    await this.persist();
    await db.enqueueNotification(notification);
  }

  /** Lets an update answer only once the API can read what it changed. */
  async projected(): Promise<void> {
    const version = this.state.version;
    await condition(() => this.projectedVersion >= version);
  }

  /**
   * A query or close the gateway refuses outright (bad parameters, authentication) must not fail the order:
   * the refusal is put on the timeline for people to see, and the order carries on as if nothing was learnt.
   */
  async askGateway<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const message = gatewayRejection(error);
      if (message === undefined) throw error;
      record(this.state, now(), 'gateway_refused', 'gateway', { message: `${what}: ${message}` });
      await this.persist();
      return undefined;
    }
  }
}
