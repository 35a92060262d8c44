import { isIP } from 'node:net';

/** Why an outbound request may not connect to an address (README, Security). */
export type RefusedAddress = 'loopback' | 'private' | 'link-local' | 'cgnat' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

// First match wins, so the metadata address comes before the link-local range that holds it.
const IPV4_RANGES: [base: string, bits: number, kind: RefusedAddress][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

const IPV4_TABLE = IPV4_RANGES.map(([base, bits, kind]) => {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return { network: (ipv4Number(base) & mask) >>> 0, mask, kind };
});

function classifyIpv4(value: number): RefusedAddress | null {
  for (const { network, mask, kind } of IPV4_TABLE) if (((value & mask) >>> 0) === network) return kind;
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = ipv4Number(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

function classifyIpv6(address: string): RefusedAddress | null {
  const g = ipv6Groups(address);
  const embeddedIpv4 = (high: number, low: number) => ((high << 16) >>> 0) + low;
  const zeroUpTo = (count: number) => g.slice(0, count).every((group) => group === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they carry.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  if (g[0] === 0x2002) return classifyIpv4(embeddedIpv4(g[1]!, g[2]!));
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((group) => group === 0) && g[7] === 0x254) return 'metadata';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  // Site-local (fec0::/10) is deprecated but still routed inside some networks.
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private';
  // Teredo (2001::/32) tunnels to an address it hides; documentation prefixes (2001:db8::/32, 3fff::/20) are not hosts.
  if (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0x0db8)) return 'reserved';
  if ((g[0]! & 0xfff0) === 0x3ff0) return 'reserved';
  // Only global unicast (2000::/3) is public; everything else (::/96 IPv4-compatible, 100::/64 discard, …) is not.
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

/**
 * Why an outbound request may not connect to `address` (an IPv4 or IPv6 address; brackets and a zone are
 * accepted), or null when it is a public unicast address. Anything that is not an IP address is `reserved`.
 */
export function classifyAddress(address: string): RefusedAddress | null {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return classifyIpv4(ipv4Number(ip));
  if (family === 6) return classifyIpv6(ip.toLowerCase());
  return 'reserved';
}

/**
 * Why a URL's host is refused without even a DNS lookup: `localhost` (and names under it) or a literal address that
 * {@link classifyAddress} refuses. Names that need DNS are checked when the request connects.
 */
export function refusedHost(hostname: string): RefusedAddress | null {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return isIP(host) ? classifyAddress(host) : null;
}
