// The settings page's fields: their ids on the page, labels (catalog keys) and units. Shared by the view (to
// render them) and the routes (to say which field a problem is about).
import type { FieldInfo } from './forms.js';

export const SETTINGS_FIELDS = {
  shippingFee: { id: 'settings-shipping-fee', label: 'field.shipping_fee', units: 'money' },
  taxRateBps: { id: 'settings-tax-rate', label: 'field.tax_rate', units: 'percent' },
  pricesIncludeTax: { id: 'settings-prices-include-tax', label: 'field.prices_include_tax' },
  paymentWindowSeconds: { id: 'settings-payment-window', label: 'field.payment_window', units: 'seconds' },
  paymentCheckIntervalSeconds: { id: 'settings-check-interval', label: 'field.check_interval', units: 'seconds' },
  latePaymentGraceSeconds: { id: 'settings-late-grace', label: 'field.late_grace', units: 'seconds' },
  autoConfirm: { id: 'settings-auto-confirm', label: 'field.auto_confirm' },
  refundWindowSeconds: { id: 'settings-refund-window', label: 'field.refund_window', units: 'seconds' },
  refundApprovalThreshold: { id: 'settings-refund-threshold', label: 'field.refund_threshold', units: 'money' },
  emailSenderName: { id: 'settings-email-sender-name', label: 'field.email_sender_name' },
  emailReplyTo: { id: 'settings-email-reply-to', label: 'field.email_reply_to' },
  locale: { id: 'settings-locale', label: 'field.locale' },
  timeZone: { id: 'settings-time-zone', label: 'field.time_zone' },
} as const satisfies Record<string, FieldInfo>;

export type SettingsField = keyof typeof SETTINGS_FIELDS;

/** The fields of one product form: `product-new` to add, `product-<sku>` to edit (skus are id-safe). */
export function productFields(prefix: string) {
  return {
    sku: { id: `${prefix}-sku`, label: 'field.sku' },
    name: { id: `${prefix}-name`, label: 'field.name' },
    unitAmount: { id: `${prefix}-price`, label: 'field.price', units: 'money' },
    currency: { id: `${prefix}-price`, label: 'field.currency' },
    active: { id: `${prefix}-active`, label: 'field.on_sale' },
  } as const satisfies Record<string, FieldInfo>;
}

export const gatewayFieldId = (gateway: string, name: string) => `gateway-${gateway}-${name}`;
