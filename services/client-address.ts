// The client's address, for limits per address: the connection's peer; when that peer is one of the
// configured trusted proxies, the nearest address in `X-Forwarded-For` that is not (each proxy appends the
// address it was reached from). Without trusted proxies the header is ignored: anyone can write it.
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export type ClientAddress = (c: Context) => string;

/** `::ffff:10.0.0.1` is the IPv4 address 10.0.0.1 as an IPv6 socket reports it. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The connection's peer; none for requests that did not come through a socket (`app.request` in tests). */
function peerOf(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? plain(address) : undefined;
  } catch {
    return undefined;
  }
}

/** `trustedProxies`: addresses and CIDR ranges, as validated by core/config.ts. */
export function createClientAddress(trustedProxies: string[]): ClientAddress {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    if (prefix === undefined) trusted.addAddress(plain(address), familyOf(plain(address)));
    else trusted.addSubnet(address, Number(prefix), familyOf(address));
  }
  const isTrusted = (address: string) => isIP(address) !== 0 && trusted.check(address, familyOf(address));

  return (c) => {
    const peer = peerOf(c);
    if (peer === undefined) return 'unknown';
    let client = peer;
    if (!isTrusted(client)) return client;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => plain(hop.trim()));
    for (const hop of hops.reverse()) {
      if (isIP(hop) === 0) break; // not an address: nothing further left can be believed
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
