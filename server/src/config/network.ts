import { isIP } from 'node:net';

/** True when `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** Express's names for address ranges (proxy-addr), accepted in TRUST_PROXY. */
const TRUST_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, optionally with a /prefix (CIDR) of the right size. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * The Express `trust proxy` value of TRUST_PROXY: a hop count (`1` = one reverse proxy in front), `false` (trust
 * nothing), or a comma-separated list of addresses, CIDRs and the keywords loopback / linklocal / uniquelocal.
 * Returns a message naming the bad entry instead when it is malformed. `true` is refused: it trusts every
 * client's own X-Forwarded-For, so anyone could pick their IP (and escape the login rate limit).
 */
export function parseTrustProxy(value: string): number | false | string[] | { problem: string } {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true')
    return {
      problem: 'TRUST_PROXY=true would trust any client; give the number of proxies in front, e.g. 1',
    };
  const entries = v.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!TRUST_KEYWORDS.has(entry.toLowerCase()) && !isAddressOrCidr(entry)) {
      return {
        problem:
          `TRUST_PROXY: "${entry}" is not a hop count, an address, a CIDR or one of ` +
          `${[...TRUST_KEYWORDS].join(', ')}`,
      };
    }
  }
  return entries.map((e) => (TRUST_KEYWORDS.has(e.toLowerCase()) ? e.toLowerCase() : e));
}
