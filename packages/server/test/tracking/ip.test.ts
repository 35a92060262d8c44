import { describe, expect, it } from 'vitest';
import { ipAllowed, isIpRule, truncateIp } from '../../src/tracking/index.js';

describe('truncateIp', () => {
  it.each([
    { title: 'cuts an IPv4 address to its /24', ip: '203.0.113.9', prefix: '203.0.113.0/24' },
    { title: 'keeps a /24 that already ends in 0', ip: '10.1.2.0', prefix: '10.1.2.0/24' },
    { title: 'cuts an IPv6 address to its /48', ip: '2001:db8:1234:5678:9abc:def0:1234:5678', prefix: '2001:db8:1234::/48' },
    { title: 'expands :: compression before cutting', ip: '2001:db8::1', prefix: '2001:db8::/48' },
    { title: 'drops leading zeros and lower-cases hex', ip: '2001:0DB8:00AB:FFFF::1', prefix: '2001:db8:ab::/48' },
    { title: 'compresses zero groups inside the /48', ip: '2001:0:0:1::1', prefix: '2001::/48' },
    { title: 'cuts the loopback address to the all-zero /48', ip: '::1', prefix: '::/48' },
    { title: 'reads an IPv4-mapped IPv6 address as IPv4', ip: '::ffff:203.0.113.9', prefix: '203.0.113.0/24' },
    { title: 'reads a hex IPv4-mapped address as IPv4', ip: '::ffff:cb00:7109', prefix: '203.0.113.0/24' },
    { title: 'ignores an IPv6 zone', ip: 'fe80::1:2:3%eth0', prefix: 'fe80::/48' },
    { title: 'accepts a bracketed IPv6 address', ip: '[2001:db8:1::5]', prefix: '2001:db8:1::/48' },
    { title: 'trims whitespace', ip: ' 198.51.100.7 ', prefix: '198.51.100.0/24' },
    { title: 'gives null for a missing address', ip: undefined, prefix: null },
    { title: 'gives null for an empty address', ip: '', prefix: null },
    { title: 'gives null for a host name', ip: 'example.com', prefix: null },
    { title: 'gives null for an IPv4 address with a bad octet', ip: '256.1.1.1', prefix: null },
    { title: 'gives null for a short IPv4 address', ip: '1.2.3', prefix: null },
    { title: 'gives null for two "::"', ip: '1::2::3', prefix: null },
    { title: 'gives null for a CIDR range', ip: '10.0.0.0/8', prefix: null },
  ])('$title', ({ ip, prefix }) => {
    expect(truncateIp(ip)).toBe(prefix);
  });
});

describe('ipAllowed', () => {
  it.each([
    { title: 'allows anyone with an empty list', ip: '203.0.113.9', list: [], allowed: true },
    { title: 'allows an exact IPv4 match', ip: '203.0.113.9', list: ['203.0.113.9'], allowed: true },
    { title: 'refuses a different IPv4 address', ip: '203.0.113.10', list: ['203.0.113.9'], allowed: false },
    { title: 'allows an address inside a /24', ip: '198.51.100.200', list: ['198.51.100.0/24'], allowed: true },
    { title: 'refuses an address just outside a /24', ip: '198.51.101.1', list: ['198.51.100.0/24'], allowed: false },
    { title: 'honours a prefix that is not a multiple of 8', ip: '10.0.0.15', list: ['10.0.0.0/28'], allowed: true },
    { title: 'refuses the first address past a /28', ip: '10.0.0.16', list: ['10.0.0.0/28'], allowed: false },
    { title: 'ignores host bits in a range', ip: '10.0.0.200', list: ['10.0.0.7/24'], allowed: true },
    { title: 'lets /0 allow every IPv4 address', ip: '8.8.8.8', list: ['0.0.0.0/0'], allowed: true },
    { title: 'allows an exact IPv6 match in another notation', ip: '2001:0db8:0000::0001', list: ['2001:db8::1'], allowed: true },
    { title: 'allows an address inside an IPv6 /32', ip: '2001:db8:ffff::1', list: ['2001:db8::/32'], allowed: true },
    { title: 'refuses an address outside an IPv6 /32', ip: '2001:db9::1', list: ['2001:db8::/32'], allowed: false },
    { title: 'honours an IPv6 prefix that is not a multiple of 16', ip: '2001:db8:7fff::1', list: ['2001:db8:0::/33'], allowed: true },
    { title: 'refuses past an IPv6 /33', ip: '2001:db8:8000::1', list: ['2001:db8:0::/33'], allowed: false },
    { title: 'matches an IPv4-mapped address against an IPv4 rule', ip: '::ffff:198.51.100.7', list: ['198.51.100.0/24'], allowed: true },
    { title: 'matches an IPv4 address against an IPv4-mapped rule', ip: '198.51.100.7', list: ['::ffff:198.51.100.0/120'], allowed: true },
    { title: 'never matches IPv4 against an IPv6 rule', ip: '10.0.0.1', list: ['::/0'], allowed: false },
    { title: 'allows when any entry matches', ip: '192.0.2.1', list: ['10.0.0.0/8', '192.0.2.1'], allowed: true },
    { title: 'skips an entry that is not an address', ip: '192.0.2.1', list: ['office', '192.0.2.0/24'], allowed: true },
    { title: 'refuses everyone when no entry is an address', ip: '192.0.2.1', list: ['office'], allowed: false },
    { title: 'refuses a caller without a usable address', ip: 'unknown', list: ['0.0.0.0/0'], allowed: false },
  ])('$title', ({ ip, list, allowed }) => {
    expect(ipAllowed(ip, list)).toBe(allowed);
  });
});

describe('isIpRule', () => {
  it.each(['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '2001:db8::/32', '::1', '::ffff:10.0.0.0/104'])('accepts %s', (entry) => {
    expect(isIpRule(entry)).toBe(true);
  });

  it.each(['', 'office', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/ 8', '::ffff:10.0.0.0/24'])(
    'refuses %j',
    (entry) => {
      expect(isIpRule(entry)).toBe(false);
    },
  );
});
