// Our ids (`pay_…`, `rfd_…`: a lowercase prefix and base64url) contain `_` and `-`, which several
// gateways refuse in their merchant order numbers (UnionPay allows letters and digits only). This maps
// them, reversibly, onto letters and digits: the prefix stays, the random part becomes uppercase hex.
// `pay_AAECAwQFBgcICQoL` <-> `pay000102030405060708090A0B` (27 characters for a 12-byte id).

export function toTradeNo(id: string): string {
  const match = /^([a-z]+)_([A-Za-z0-9_-]+)$/.exec(id);
  if (!match) throw new Error(`not one of our ids: ${id}`);
  return `${match[1]}${Buffer.from(match[2]!, 'base64url').toString('hex').toUpperCase()}`;
}

/** Our id back from a gateway's order number; undefined for anything we did not make. */
export function fromTradeNo(tradeNo: string): string | undefined {
  const match = /^([a-z]+)((?:[0-9A-F]{2})+)$/.exec(tradeNo);
  if (!match) return undefined;
  return `${match[1]}_${Buffer.from(match[2]!, 'hex').toString('base64url')}`;
}
