// What staff are told about test mode. What the shopper is told (a test order's page, the sandbox payment
// page) is in the message catalogs: `test.title` and `test.text` (core/i18n).

/** The admin pages' banner in test mode. */
export const TEST_DATA_NOTICE = {
  title: 'Test data',
  text: 'nothing here moves real money.',
} as const;
