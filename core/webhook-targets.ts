// Where webhooks may go. A live endpoint must be https and must not reach into Paystead's own network: no
// loopback, private, link-local (cloud metadata), shared or reserved address, unless the operator allowed
// it (WEBHOOK_ALLOWED_HOSTS). The name is resolved and checked when the endpoint is saved and again before
// every delivery, which then connects to the very address checked (a name that re-resolves elsewhere,
// DNS rebinding, gains nothing). Test endpoints may use http and loopback or private addresses, for a
// receiver on the merchant's own machine; never link-local.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Mode } from './modes.js';

const INTERNAL_V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/3'];
const INTERNAL_V6 = ['::/96', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b::/96'];
const LINK_LOCAL_V4 = ['169.254.0.0/16'];
const LINK_LOCAL_V6 = ['fe80::/10'];

function blockList(v4: string[], v6: string[]): BlockList {
  const list = new BlockList();
  for (const range of v4) list.addSubnet(range.split('/')[0]!, Number(range.split('/')[1]), 'ipv4');
  for (const range of v6) list.addSubnet(range.split('/')[0]!, Number(range.split('/')[1]), 'ipv6');
  return list;
}

const internal = blockList(INTERNAL_V4, INTERNAL_V6);
const linkLocal = blockList(LINK_LOCAL_V4, LINK_LOCAL_V6);

/** Addresses and CIDR ranges (as validated by core/config.ts) the operator lets webhooks reach. */
export function allowedNetworks(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

export interface WebhookTarget {
  url: URL;
  /** The checked address to connect to, and its family. */
  address: string;
  family: 4 | 6;
}

/** `::ffff:10.0.0.1` is 10.0.0.1: IPv4-mapped addresses are checked as the IPv4 they are. */
function unmapped(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** Why `address` may not receive `mode` webhooks (what kind of address it is), or undefined when it may. */
export function addressRefusal(address: string, mode: Mode, allowed: BlockList): string | undefined {
  const a = unmapped(address);
  const type = a.family === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(a.address, type)) return undefined;
  if (linkLocal.check(a.address, type)) return 'a link-local address';
  if (mode === 'live' && internal.check(a.address, type)) return 'a loopback, private or reserved address';
  return undefined;
}

/**
 * The endpoint URL checked for `mode`, with the address to connect to; throws WebhookTargetError with the
 * reason when it may not be called. Every address the name resolves to must pass.
 */
export async function checkWebhookTarget(rawUrl: string, mode: Mode, allowed: BlockList): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new WebhookTargetError('is not a URL');
  }
  if (url.protocol !== 'https:' && !(mode === 'test' && url.protocol === 'http:')) {
    throw new WebhookTargetError(mode === 'live' ? 'must be an https URL in live mode' : 'must be an http or https URL');
  }
  if (url.username || url.password) throw new WebhookTargetError('must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookTargetError(`${host} does not resolve`);
  }
  if (addresses.length === 0) throw new WebhookTargetError(`${host} does not resolve`);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, mode, allowed);
    if (refusal) throw new WebhookTargetError(`${host} resolves to ${refusal} (${address})`);
  }
  // Every address passed; IPv4 first, as most receivers listen on it.
  const first = addresses.find((a) => a.family === 4) ?? addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
