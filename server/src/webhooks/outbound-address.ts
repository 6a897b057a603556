import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The only ranges a webhook may reach unless WEBHOOK_ALLOW_PRIVATE=true (docs/webhooks.md, "Outbound requests"). */
const PUBLIC_RANGES = new Set(['unicast']);

/**
 * True when `address` is a public unicast address. Private, loopback, link-local, unique-local (fc00::/7),
 * carrier-grade NAT, multicast, reserved and unspecified addresses are not; an IPv4-mapped IPv6 address (or a
 * NAT64/6to4/Teredo one) is judged by the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (['rfc6052', 'rfc6145', '6to4', 'teredo'].includes(v6.range())) return false;
  }
  return PUBLIC_RANGES.has(ip.range());
}

export class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host once and checks every address it resolves to; the caller then connects to the returned
 * address and nowhere else, so a DNS answer that changes between the check and the connection (DNS rebinding) cannot
 * reach an address that was not checked. Throws RefusedAddressError when an address is not public and
 * `allowPrivate` is false, or when the host does not resolve.
 */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<ResolvedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (err) {
      throw new RefusedAddressError(
        `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (addresses.length === 0) throw new RefusedAddressError(`${host} does not resolve`);
  if (!allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused)
      throw new RefusedAddressError(
        `${host} resolves to ${refused.address}, a private, loopback or link-local address (WEBHOOK_ALLOW_PRIVATE is off)`,
      );
  }
  const first = addresses[0];
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
