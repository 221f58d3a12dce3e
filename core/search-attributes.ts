/**
 * Custom search attributes every order run carries, so operators can find runs in the Temporal Web UI or
 * with `temporal workflow list --query`. All are Keyword attributes; registered by the dev server start-up
 * and by docker-compose's set-up job.
 */
export const SEARCH_ATTRIBUTES = {
  orderNo: 'PaysteadOrderNo',
  merchantId: 'PaysteadMerchantId',
  orderStatus: 'PaysteadOrderStatus',
  paymentMethod: 'PaysteadPaymentMethod',
} as const;

export const SEARCH_ATTRIBUTE_NAMES = Object.values(SEARCH_ATTRIBUTES);
