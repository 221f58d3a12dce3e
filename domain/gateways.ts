// The gateways Paystead offers, as data: one profile each. Everything else that lists gateways derives
// from this table (the API's gateway names, the credential reader, the settings forms) or is a
// `Record<GatewayName, …>` that does not compile without a new one (the registry, the customer page's
// words). Code that talks to a gateway lives in gateways/<name>/.
import type { Mode } from '../core/modes.js';

/**
 * What the customer is sent to, or shown, to pay: the gateway's desktop page (`redirect`), a code to scan in
 * its app (`qr_code`), its page for phone browsers (`mobile_web`), or the payment sheet of the app the shop
 * page is open in (`in_app`: WeChat's browser).
 */
export const PAYMENT_FLOWS = ['redirect', 'qr_code', 'mobile_web', 'in_app'] as const;
export type PaymentFlow = (typeof PAYMENT_FLOWS)[number];

/** What the storefront knows of the shopper that some flows need: WeChat's openid of the shopper, the shopper's IP address. */
export type PayerFact = 'openid' | 'clientIp';

/** Test: no real money moves. Live: it does. */
export type GatewayMode = Mode;

/** One value a merchant enters to use a gateway. Every value is stored encrypted and never shown again. */
export interface CredentialField {
  /** The key in the stored credentials object (what the gateway's adapter reads). */
  readonly name: string;
  readonly label: string;
  /** `text`: one line; `pem`: a PEM key or certificate, several lines. */
  readonly kind: 'text' | 'pem';
  readonly hint?: string;
  /** For values that say their mode (Stripe's keys): how a value of each mode starts; any other is refused. */
  readonly prefixes?: Readonly<Record<Mode, readonly string[]>>;
}

export interface GatewayProfile {
  /** The gateway's name as people read it. */
  readonly label: string;
  /** What a merchant enters to use it; none for the built-in sandbox, which derives its secrets from the master key. */
  readonly credentials: readonly CredentialField[];
  /** Currencies it settles; checkout refuses others. Absent: any. */
  readonly currencies?: readonly string[];
  /** The flows it can present; checkout refuses others, and for none asked the gateway presents the first. */
  readonly flows: readonly PaymentFlow[];
  /** What a flow needs to know of the payer; checkout refuses the flow without it. */
  readonly flowNeeds?: Partial<Record<PaymentFlow, readonly PayerFact[]>>;
  /** The modes it runs in: the sandbox only in test mode, so a live order never reaches it (gateways/registry.ts). */
  readonly modes: readonly GatewayMode[];
  /** Real gateways refuse merchants that have not been verified (licence and tax registration). */
  readonly requiresVerifiedMerchant: boolean;
}

/** The Stripe events Paystead handles, by what they are about: a merchant's webhook endpoint must send them all. */
export const STRIPE_EVENTS = {
  payment: ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired'],
  refund: ['refund.updated', 'refund.failed'],
} as const;

const PROFILES = {
  sandbox: {
    label: 'Sandbox',
    credentials: [],
    flows: ['redirect'],
    modes: ['test'],
    requiresVerifiedMerchant: false,
  },
  alipay: {
    label: 'Alipay',
    credentials: [
      { name: 'appId', label: 'App ID', kind: 'text' },
      { name: 'privateKey', label: 'Application private key (PEM)', kind: 'pem' },
      { name: 'alipayPublicKey', label: 'Alipay public key (PEM)', kind: 'pem' },
    ],
    currencies: ['CNY'],
    // Page pay (alipay.trade.page.pay), precreate's QR code, WAP pay (alipay.trade.wap.pay).
    flows: ['redirect', 'qr_code', 'mobile_web'],
    modes: ['test', 'live'],
    requiresVerifiedMerchant: true,
  },
  wechatpay: {
    label: 'WeChat Pay',
    // WeChat Pay signs its answers and notifications either with a platform certificate (older merchants;
    // identified by the certificate's serial number) or with a platform public key (issued since 2024;
    // identified by a `PUB_KEY_ID_…`). One pair of fields takes either.
    credentials: [
      { name: 'mchId', label: 'Merchant ID (mchid)', kind: 'text' },
      { name: 'appId', label: 'App ID (appid)', kind: 'text' },
      { name: 'apiV3Key', label: 'API v3 key', kind: 'text', hint: 'The 32-character key set in the merchant platform under API security.' },
      { name: 'certificateSerialNo', label: 'Merchant API certificate serial number', kind: 'text' },
      { name: 'privateKey', label: 'Merchant API private key (apiclient_key.pem)', kind: 'pem' },
      { name: 'platformKeyId', label: 'WeChat Pay public key ID or platform certificate serial number', kind: 'text', hint: 'PUB_KEY_ID_… for a public key.' },
      { name: 'platformKey', label: 'WeChat Pay public key or platform certificate (PEM)', kind: 'pem' },
    ],
    currencies: ['CNY'],
    // Native pay (a QR code the shopper scans with the WeChat app), H5 pay in a phone browser, JSAPI pay in
    // WeChat's own browser. WeChat Pay wants H5 pay's payer IP address and JSAPI pay's payer openid.
    flows: ['qr_code', 'mobile_web', 'in_app'],
    flowNeeds: { mobile_web: ['clientIp'], in_app: ['openid'] },
    modes: ['test', 'live'],
    requiresVerifiedMerchant: true,
  },
  unionpay: {
    label: 'UnionPay Online',
    credentials: [
      { name: 'merId', label: 'Merchant ID (merId)', kind: 'text' },
      { name: 'signCertificate', label: 'Signing certificate (PEM)', kind: 'pem' },
      { name: 'signPrivateKey', label: 'Signing private key (PEM)', kind: 'pem', hint: 'Export both from the PFX UnionPay issued: openssl pkcs12 -in acp.pfx -nodes.' },
      { name: 'rootCertificate', label: 'UnionPay root certificate (PEM)', kind: 'pem' },
      { name: 'middleCertificate', label: 'UnionPay middle certificate (PEM)', kind: 'pem' },
    ],
    currencies: ['CNY'],
    // The shopper's browser posts a signed form to UnionPay's page: the PC one (channelType 07) or the phone one (08).
    flows: ['redirect', 'mobile_web'],
    modes: ['test', 'live'],
    requiresVerifiedMerchant: true,
  },
  stripe: {
    label: 'Stripe',
    credentials: [
      {
        name: 'secretKey',
        label: 'Secret key',
        kind: 'text',
        hint: 'Starts with sk_live_ in live mode, sk_test_ in test mode; a restricted key (rk_live_, rk_test_) needs write access to Checkout Sessions and Refunds and read access to PaymentIntents.',
        prefixes: { live: ['sk_live_', 'rk_live_'], test: ['sk_test_', 'rk_test_'] },
      },
      {
        name: 'webhookSecret',
        label: 'Webhook signing secret',
        kind: 'text',
        hint: `Starts with whsec_: the signing secret of the webhook endpoint you add in the Stripe Dashboard for /webhooks/stripe/{your merchant id}, sending ${[...STRIPE_EVENTS.payment, ...STRIPE_EVENTS.refund].join(', ')}.`,
      },
    ],
    // Checkout is a hosted page.
    flows: ['redirect'],
    modes: ['test', 'live'],
    requiresVerifiedMerchant: true,
  },
} as const satisfies Record<string, GatewayProfile>;

export type GatewayName = keyof typeof PROFILES;

export const GATEWAY_PROFILES: Readonly<Record<GatewayName, GatewayProfile>> = PROFILES;

/** Every gateway's name, in the table's order. */
export const GATEWAYS = Object.keys(PROFILES) as readonly GatewayName[];

/** The gateways merchants enter credentials for (all but the sandbox). */
export type ConfigurableGateway = { [N in GatewayName]: (typeof PROFILES)[N]['credentials'] extends readonly [] ? never : N }[GatewayName];

export function hasCredentialFields(gateway: GatewayName): gateway is ConfigurableGateway {
  return GATEWAY_PROFILES[gateway].credentials.length > 0;
}

/** Every credential field's name, across gateways: all of them are secret, so logs never show them. */
export const CREDENTIAL_FIELD_NAMES: readonly string[] = [...new Set(Object.values(GATEWAY_PROFILES).flatMap((profile) => profile.credentials.map((field) => field.name)))];

/** The gateway's profile with its name, as its adapter presents it. */
export function profileOf<N extends GatewayName>(name: N): GatewayProfile & { readonly name: N } {
  return { name, ...GATEWAY_PROFILES[name] };
}
