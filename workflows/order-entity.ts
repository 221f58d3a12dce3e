// The order as the workflow holds it: its state, the merchant's policy, and the projection of that state
// into Postgres (with the status search attribute kept in step). Payment, refunds and fulfilment change
// the state; only this class writes it out.
import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CustomerNotification } from '../domain/customer-notification.js';
import { modeOf, type Mode } from '../core/modes.js';
import { ORDER_SEARCH_KEYS } from '../core/search-attributes.js';
import type { MerchantPolicy, OrderInput, OrderState, Payment } from '../domain/order.js';
import type { GatewayCall } from '../domain/timeline.js';
import { db, finalFailure, gatewayRejection } from './activity-proxies.js';
import { ORDER_ALERT, REJECTION } from './messages.js';
import { initialState, record } from './order-state.js';
import { noticePatch, projectionAlertsPatch, type OrderPatches, type PatchedNotice } from './patches.js';
import { reject } from './rejections.js';

export const now = () => new Date().toISOString();
export const seconds = (n: number) => n * 1000;

export class OrderEntity {
  readonly state: OrderState;
  readonly policy: MerchantPolicy;
  /** Which gateway account the order's payment lives in. */
  readonly gatewayRef: { merchantId: string; gateway: OrderInput['paymentMethod']; mode: Mode };
  private readonly meta: { workflowId: string; idempotencyKey: string; requestHash: string; viewToken: string };
  private readonly seenEvents = new Set<string>();
  private lastStatusIndexed: OrderState['status'];
  private projectedVersion = 0;
  /** Set once a projection write failed for good: the state here stays the truth, the projection lags. */
  private projectionAlert: string | undefined;

  constructor(
    readonly input: OrderInput,
    readonly patches: OrderPatches,
  ) {
    this.state = initialState(input);
    this.policy = input.policy;
    this.gatewayRef = { merchantId: input.merchantId, gateway: input.paymentMethod, mode: modeOf(this.state.livemode) };
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
    try {
      await activities.projectOrder({ meta: this.meta, state: this.state, ...(notification && { notification }) });
    } catch (error) {
      const reason = finalFailure(error);
      if (reason === undefined || !projectionAlertsPatch()) throw error;
      await this.raiseProjectionAlert(reason, activities);
      return;
    }
    this.projectedVersion = Math.max(this.projectedVersion, version);
  }

  /**
   * The database refused the projection for good: the order is marked for people (timeline, search
   * attribute, the order read's `alerts`, written by an activity that writes only the alert's code), and
   * every call waiting on the projection is answered (`projected`). Later changes still try to write.
   */
  private async raiseProjectionAlert(reason: string, activities: typeof db): Promise<void> {
    if (this.projectionAlert !== undefined) return;
    this.projectionAlert = ORDER_ALERT.projectionFailed;
    record(this.state, now(), 'projection_failed', 'system', { detail: reason.slice(0, 500) });
    upsertSearchAttributes([{ key: ORDER_SEARCH_KEYS.alert, value: ORDER_ALERT.projectionFailed }]);
    try {
      await activities.raiseOrderAlert({ orderId: this.state.orderId, alert: ORDER_ALERT.projectionFailed });
    } catch (error) {
      // The search attribute and the timeline still carry the alert.
      if (finalFailure(error) === undefined) throw error;
    }
  }

  /** True when the projection holds the state as it is now. */
  isProjected(): boolean {
    return this.projectedVersion >= this.state.version;
  }

  /** After a handler: refuses to answer with a state nobody can read, once the projection failed for good. */
  refuseIfUnprojected(): void {
    if (this.projectionAlert !== undefined && !this.isProjected()) this.refuseUnprojected();
  }

  /** Persists a change the customer hears about; the notification is keyed by order and event, so sent once. */
  async persistAndNotify(kind: string, payload: Record<string, unknown>, key = kind, activities = db): Promise<void> {
    const { state } = this;
    const notification = {
      id: `${state.orderId}:${key}`,
      merchantId: state.merchantId,
      orderId: state.orderId,
      kind,
      recipient: state.customer.email,
      payload: { orderNo: state.orderNo, ...payload },
    };
    if (this.patches.noticeWithProjection) return this.persist(notification, activities);
    await this.persist(undefined, activities);
    await activities.enqueueNotification(notification);
  }

  /** Persists a change with a message older runs did not send: with it from its patch on (patches.ts `noticePatch`), else without. */
  async persistWithNewNotice(kind: PatchedNotice, payload: Record<string, unknown>, key: string = kind, activities = db): Promise<void> {
    if (noticePatch(kind)) await this.persistAndNotify(kind, payload, key, activities);
    else await this.persist(undefined, activities);
  }

  /**
   * Lets an update answer only once the API can read what it changed; a typed failure naming the alert
   * when the projection failed for good.
   */
  async projected(): Promise<void> {
    const version = this.state.version;
    await condition(() => this.projectedVersion >= version || this.projectionAlert !== undefined);
    if (this.projectedVersion < version) this.refuseUnprojected();
  }

  /** The answer for a call whose change was made but could not be written for the API. */
  refuseUnprojected(): never {
    reject(REJECTION.projectionFailed, `The order changed, but the change could not be saved for display (alert ${this.projectionAlert ?? ORDER_ALERT.projectionFailed}); the merchant has been alerted.`);
  }

  /**
   * A query or close the gateway refuses outright (bad parameters, authentication), or that fails for good
   * on our side (a bug), must not fail the order: the failure is put on the timeline for people to see, and
   * the order carries on as if nothing was learnt.
   */
  async askGateway<T>(what: GatewayCall, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const message = gatewayRejection(error) ?? finalFailure(error);
      if (message === undefined) throw error;
      record(this.state, now(), 'gateway_refused', 'gateway', { call: what, detail: message });
      await this.persist();
      return undefined;
    }
  }
}
