// What people are told about test mode, in one place: the customer page of a test order and the sandbox's
// hosted payment page say the same, and the admin pages' banner says it about their data.

/** Shown to the shopper on a test order's page and on the sandbox payment page. */
export const TEST_ORDER_NOTICE = {
  title: 'Test order',
  text: 'This order was placed in test mode: no money moves. Nothing is charged, paid or refunded for real.',
} as const;

/** The admin pages' banner in test mode. */
export const TEST_DATA_NOTICE = {
  title: 'Test data',
  text: 'nothing here moves real money.',
} as const;
