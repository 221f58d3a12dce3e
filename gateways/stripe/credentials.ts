import type { CredentialField } from '../credentials.js';

export const STRIPE_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  { name: 'secretKey', label: 'Secret key', hint: 'Starts with sk_live_ or sk_test_.' },
  { name: 'webhookSecret', label: 'Webhook signing secret', hint: 'Starts with whsec_.' },
];
