// Which payment flow suits the shopper's device, and whether a gateway can take a flow for this payer. Pure:
// checkout applies it to what the storefront sends; README gives storefronts the same rule.
import { GATEWAY_PROFILES, type GatewayName, type PayerFact, type PaymentFlow } from './gateways.js';
import type { Payer } from './order.js';

/** `wechat`: WeChat's own browser, where JSAPI pay works and H5 pay does not. */
export type Device = 'desktop' | 'phone' | 'wechat';

/** The device from its User-Agent header; anything unrecognised is a desktop. */
export function deviceOf(userAgent: string): Device {
  if (/MicroMessenger\//i.test(userAgent)) return 'wechat';
  if (/\b(Mobile|Android|iPhone|iPod|HarmonyOS)\b|Mobi/i.test(userAgent)) return 'phone';
  return 'desktop';
}

/**
 * The flows to try, best first. On a desktop: the gateway's page or its QR code, to scan with the phone. On
 * a phone: the gateway's phone page. In WeChat's browser: JSAPI pay, else WeChat's QR code (WeChat Pay
 * refuses H5 pay inside WeChat; the shopper long-presses the code).
 */
const PREFERENCES: Record<Device, readonly PaymentFlow[]> = {
  desktop: ['redirect', 'qr_code'],
  phone: ['mobile_web', 'redirect', 'qr_code'],
  wechat: ['in_app', 'qr_code'],
};

/** What the flow needs of the payer that the storefront did not send. */
export function missingPayerFacts(gateway: GatewayName, flow: PaymentFlow, payer: Payer | undefined): PayerFact[] {
  return (GATEWAY_PROFILES[gateway].flowNeeds?.[flow] ?? []).filter((fact) => !payer?.[fact]);
}

/** The flow for this device: the first preferred one the gateway has and the payer can use; else the gateway's default. */
export function flowForDevice(gateway: GatewayName, device: Device, payer: Payer | undefined): PaymentFlow {
  const { flows } = GATEWAY_PROFILES[gateway];
  return PREFERENCES[device].find((flow) => flows.includes(flow) && missingPayerFacts(gateway, flow, payer).length === 0) ?? flows[0]!;
}
