// Stripe webhooks: `Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256(webhook secret, "<t>.<body>")>`, checked
// by the SDK with its default five-minute tolerance, which also turns away a replayed old delivery (Stripe
// signs every retry afresh). The event itself is only a hint: the adapter re-fetches the object it names.
import Stripe from 'stripe';
import { STRIPE_EVENTS } from '../../domain/gateways.js';
import { requiredCredential } from '../credentials.js';
import { NotificationRejected, type GatewayContext, type RawNotification } from '../types.js';

export interface HandledEvent {
  kind: 'payment' | 'refund';
  objectId: string;
  event: Stripe.Event;
}

const includes = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Verifies the signature and freshness, then names the object to re-fetch. */
export function verifiedEvent(ctx: GatewayContext, raw: RawNotification): HandledEvent {
  const secret = requiredCredential(ctx.credentials, 'Stripe', 'webhookSecret');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(raw.body, raw.headers['stripe-signature'] ?? '', secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new NotificationRejected(`stripe signature: ${error.message}`);
    throw new NotificationRejected('notification body is not a Stripe event', 400);
  }
  const objectId = (event.data.object as { id?: unknown }).id;
  if (typeof objectId !== 'string') throw new NotificationRejected(`stripe event ${event.id} names no object`, 400);
  if (includes(STRIPE_EVENTS.payment, event.type)) return { kind: 'payment', objectId, event };
  if (includes(STRIPE_EVENTS.refund, event.type)) return { kind: 'refund', objectId, event };
  throw new NotificationRejected(`stripe event type ${event.type} is not one Paystead handles; subscribe the endpoint to ${[...STRIPE_EVENTS.payment, ...STRIPE_EVENTS.refund].join(', ')}`, 400);
}

/**
 * Our ids from the re-fetched object's metadata, which we set at creation. An account shared by several
 * merchants sends every endpoint all its events: one made for another merchant is not this one's to act on.
 */
export function ownIds(ctx: GatewayContext, metadata: Stripe.Metadata | null, what: string): Stripe.Metadata {
  if (!metadata?.merchant_id) throw new NotificationRejected(`stripe ${what} was not created by Paystead`, 400);
  if (metadata.merchant_id !== ctx.merchantId) throw new NotificationRejected(`stripe ${what} belongs to another merchant`, 400);
  return metadata;
}
