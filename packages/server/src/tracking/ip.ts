import { isIP } from 'node:net';

/** An address as bytes: 4 for IPv4, 16 for IPv6. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) comes back as IPv4. */
type Bytes = number[];

function parseIpv4(text: string): Bytes {
  return text.split('.').map(Number);
}

function parseIpv6(text: string): Bytes {
  const [head = '', tail] = text.split('::');
  const groups = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = parseIpv4(group);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const left = groups(head);
  const right = groups(tail);
  const words = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

/** A dotted IPv4 address, bare or IPv4-mapped: what nearly every visitor arrives as, so it skips the general parse. */
const PLAIN_IPV4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i;

function parseIp(input: string | undefined): Bytes | null {
  const plain = input === undefined ? null : PLAIN_IPV4.exec(input);
  if (plain) return isIP(plain[1]!) === 4 ? parseIpv4(plain[1]!) : null;
  // A zone (`fe80::1%eth0`) names an interface on this host and says nothing about the visitor.
  const bare = (input ?? '').trim().replace(/^\[(.*)\]$/, '$1');
  const text = bare.includes(':') ? bare.replace(/%.*$/, '') : bare;
  const version = isIP(text);
  if (version === 4) return parseIpv4(text);
  if (version !== 6) return null;
  const bytes = parseIpv6(text);
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(bytes: Bytes): string {
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let length = 0;
    while (i + length < 8 && words[i + length] === 0) length++;
    if (length > best.length) best = { start: i, length };
  }
  const hex = words.map((word) => word.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/**
 * The network a visitor is in, never the visitor: IPv4 to its /24 (`203.0.113.0/24`), IPv6 to its /48
 * (`2001:db8:1234::/48`). IPv4-mapped IPv6 counts as IPv4. Anything that is not an address gives null.
 */
export function truncateIp(ip: string | undefined): string | null {
  const bytes = parseIp(ip);
  if (!bytes) return null;
  if (bytes.length === 4) return `${bytes.slice(0, 3).join('.')}.0/24`;
  return `${formatIpv6([...bytes.slice(0, 6), ...Array<number>(10).fill(0)])}/48`;
}

interface IpRule {
  bytes: Bytes;
  prefix: number;
}

function parseRule(entry: string): IpRule | null {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  if (rest.length > 0) return null;
  const bytes = parseIp(address);
  if (!bytes) return null;
  const bits = bytes.length * 8;
  // A mapped rule such as `::ffff:10.0.0.0/104` is an IPv4 rule: its address already came back as 4 bytes.
  const mappedOffset = bytes.length === 4 && address.includes(':') ? 96 : 0;
  if (prefixText === undefined) return { bytes, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText) - mappedOffset;
  return prefix >= 0 && prefix <= bits ? { bytes, prefix } : null;
}

function inRule(bytes: Bytes, rule: IpRule): boolean {
  if (bytes.length !== rule.bytes.length) return false;
  for (let bit = 0; bit < rule.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    const index = Math.floor(bit / 8);
    if (((bytes[index] ?? 0) & mask) !== ((rule.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** Whether an allowlist entry is an IPv4 or IPv6 address or CIDR range that {@link ipAllowed} understands. */
export function isIpRule(entry: string): boolean {
  return parseRule(entry) !== null;
}

/**
 * Whether an address may send postbacks. Entries are addresses or CIDR ranges, IPv4 or IPv6; an empty list allows
 * everyone. Host bits in a range (`10.0.0.7/24`) are ignored. An entry that is not an address matches nothing.
 */
export function ipAllowed(ip: string, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true;
  const bytes = parseIp(ip);
  if (!bytes) return false;
  return allowlist.some((entry) => {
    const rule = parseRule(entry);
    return rule !== null && inRule(bytes, rule);
  });
}
