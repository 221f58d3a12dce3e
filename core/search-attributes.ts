import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every order run carries, so operators can find runs in the Temporal Web UI or
 * with `temporal workflow list --query`. Keyword attributes but `PaysteadLivemode` (Bool); registered by the
 * dev server start-up and by docker-compose's set-up job, with the types `SEARCH_ATTRIBUTE_TYPES` gives.
 */
export const SEARCH_ATTRIBUTES = {
  orderNo: 'PaysteadOrderNo',
  merchantId: 'PaysteadMerchantId',
  orderStatus: 'PaysteadOrderStatus',
  paymentMethod: 'PaysteadPaymentMethod',
  /** Set when the order needs a person, e.g. `projection_failed`. */
  alert: 'PaysteadAlert',
  /** True for live orders, false for test orders; set when the run starts. */
  livemode: 'PaysteadLivemode',
} as const;

export const SEARCH_ATTRIBUTE_NAMES = Object.values(SEARCH_ATTRIBUTES);

/** Typed keys, for the workflow's upserts and the client's start options. */
export const ORDER_SEARCH_KEYS = {
  orderNo: defineSearchAttributeKey(SEARCH_ATTRIBUTES.orderNo, SearchAttributeType.KEYWORD),
  merchantId: defineSearchAttributeKey(SEARCH_ATTRIBUTES.merchantId, SearchAttributeType.KEYWORD),
  orderStatus: defineSearchAttributeKey(SEARCH_ATTRIBUTES.orderStatus, SearchAttributeType.KEYWORD),
  paymentMethod: defineSearchAttributeKey(SEARCH_ATTRIBUTES.paymentMethod, SearchAttributeType.KEYWORD),
  alert: defineSearchAttributeKey(SEARCH_ATTRIBUTES.alert, SearchAttributeType.KEYWORD),
  livemode: defineSearchAttributeKey(SEARCH_ATTRIBUTES.livemode, SearchAttributeType.BOOL),
};

/** Each attribute's type as `temporal operator search-attribute create --type` spells it. */
export const SEARCH_ATTRIBUTE_TYPES: Readonly<Record<string, 'Keyword' | 'Bool'>> = Object.fromEntries(
  Object.values(ORDER_SEARCH_KEYS).map((key) => [key.name, key.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword']),
);
