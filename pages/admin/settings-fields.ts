// The settings page's fields: their ids on the page, labels and units. Shared by the view (to render them)
// and the routes (to say which field a problem is about).
import type { FieldInfo } from './forms.js';

export const SETTINGS_FIELDS = {
  shippingFee: { id: 'settings-shipping-fee', label: 'Shipping fee', units: 'money' },
  taxRateBps: { id: 'settings-tax-rate', label: 'Tax rate', units: 'percent' },
  pricesIncludeTax: { id: 'settings-prices-include-tax', label: 'Prices include tax' },
  paymentWindowSeconds: { id: 'settings-payment-window', label: 'Payment window', units: 'seconds' },
  paymentCheckIntervalSeconds: { id: 'settings-check-interval', label: 'Payment check interval', units: 'seconds' },
  latePaymentGraceSeconds: { id: 'settings-late-grace', label: 'Late payment grace', units: 'seconds' },
  autoConfirm: { id: 'settings-auto-confirm', label: 'Confirm paid orders automatically' },
  refundWindowSeconds: { id: 'settings-refund-window', label: 'Refund window', units: 'seconds' },
  refundApprovalThreshold: { id: 'settings-refund-threshold', label: 'Refund approval threshold', units: 'money' },
  emailSenderName: { id: 'settings-email-sender-name', label: 'E-mail sender name' },
  emailReplyTo: { id: 'settings-email-reply-to', label: 'E-mail reply-to address' },
  locale: { id: 'settings-locale', label: 'Default language' },
  timeZone: { id: 'settings-time-zone', label: 'Time zone' },
} as const satisfies Record<string, FieldInfo>;

export type SettingsField = keyof typeof SETTINGS_FIELDS;

/** The fields of one product form: `product-new` to add, `product-<sku>` to edit (skus are id-safe). */
export function productFields(prefix: string) {
  return {
    sku: { id: `${prefix}-sku`, label: 'SKU' },
    name: { id: `${prefix}-name`, label: 'Name' },
    unitAmount: { id: `${prefix}-price`, label: 'Price', units: 'money' },
    currency: { id: `${prefix}-price`, label: 'Currency' },
    active: { id: `${prefix}-active`, label: 'On sale' },
  } as const satisfies Record<string, FieldInfo>;
}

export const gatewayFieldId = (gateway: string, name: string) => `gateway-${gateway}-${name}`;

/** `1800` -> `30 minutes`; for hints next to fields entered in seconds. */
export function describeSeconds(total: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}
