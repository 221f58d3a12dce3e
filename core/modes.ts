// Test mode and live mode. Every key, order and gateway credential belongs to one; objects of one mode are
// invisible to keys of the other. In test mode no real money moves (the built-in sandbox, or a gateway's
// own sandbox environment); in live mode it does, and only real gateways take payments.

export const MODES = ['test', 'live'] as const;
export type Mode = (typeof MODES)[number];

export const modeOf = (livemode: boolean): Mode => (livemode ? 'live' : 'test');
export const isLive = (mode: Mode): boolean => mode === 'live';

/** What a merchant's key (or admin session) acts on: its merchant's objects of its own mode. */
export interface MerchantScope {
  merchantId: string;
  mode: Mode;
}
