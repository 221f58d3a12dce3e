import type { CredentialField } from '../credentials.js';
// The event lists come from the profile, not from notifications.ts: the credential fields are read at API
// start-up, and notifications.ts loads the Stripe library.
import { PAYMENT_EVENTS, REFUND_EVENTS } from './profile.js';

export const STRIPE_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'secretKey', label: 'Secret key', hint: 'Starts with sk_live_ or sk_test_; a restricted key (rk_) needs write access to Checkout Sessions and Refunds and read access to PaymentIntents.' },
  { name: 'webhookSecret', label: 'Webhook signing secret', hint: `Starts with whsec_: the signing secret of the webhook endpoint you add in the Stripe Dashboard for /webhooks/stripe/{your merchant id}, sending ${[...PAYMENT_EVENTS, ...REFUND_EVENTS].join(', ')}.` },
];
