import { describe, expect, it } from 'vitest';
import { readCookie, serializeCookie } from '../../src/tracking/index.js';

describe('readCookie', () => {
  it.each([
    { title: 'reads the only cookie', header: 'waypost_cid=abc123', value: 'abc123' },
    { title: 'reads a cookie among others', header: 'a=1; waypost_cid=abc123; b=2', value: 'abc123' },
    { title: 'tolerates missing and extra spaces', header: 'a=1;waypost_cid = abc123 ;b=2', value: 'abc123' },
    { title: 'strips double quotes', header: 'waypost_cid="abc123"', value: 'abc123' },
    { title: 'keeps "=" inside a value', header: 'waypost_cid=a=b==', value: 'a=b==' },
    { title: 'percent-decodes a value', header: 'waypost_cid=a%20b%2Fc', value: 'a b/c' },
    { title: 'returns a value that does not decode as sent', header: 'waypost_cid=100%; a=1', value: '100%' },
    { title: 'reads an empty value', header: 'waypost_cid=; a=1', value: '' },
    { title: 'takes the first of two cookies with the name', header: 'waypost_cid=first; waypost_cid=second', value: 'first' },
    { title: 'does not match a longer name', header: 'xwaypost_cid=1; waypost_cid_old=2', value: undefined },
    { title: 'matches names case-sensitively', header: 'WAYPOST_CID=1', value: undefined },
    { title: 'skips a pair without "="', header: 'garbage; waypost_cid=ok', value: 'ok' },
    { title: 'gives undefined for a missing header', header: undefined, value: undefined },
    { title: 'gives undefined for an empty header', header: '', value: undefined },
    { title: 'survives a header of separators', header: ';;;==;"', value: undefined },
  ])('$title', ({ header, value }) => {
    expect(readCookie(header, 'waypost_cid')).toBe(value);
  });
});

describe('serializeCookie', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('writes the tracking cookie with both Max-Age and Expires', () => {
    const header = serializeCookie('waypost_cid', 'abc123', { maxAgeSeconds: 90 * 86_400, secure: true, httpOnly: true, sameSite: 'Lax', now });
    expect(header).toBe('waypost_cid=abc123; Max-Age=7776000; Expires=Sat, 30 May 2026 12:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax');
  });

  it('leaves Secure and HttpOnly out when told to, and writes a path and a domain', () => {
    const header = serializeCookie('n', 'v', { maxAgeSeconds: 60, path: '/t', domain: 'track.example.com', secure: false, httpOnly: false, sameSite: 'Strict', now });
    expect(header).toBe('n=v; Max-Age=60; Expires=Sun, 01 Mar 2026 12:01:00 GMT; Path=/t; Domain=track.example.com; SameSite=Strict');
  });

  it('percent-encodes the value so that readCookie reads it back', () => {
    const header = serializeCookie('n', 'a b;c=d"é', { maxAgeSeconds: 60, secure: false, httpOnly: true, sameSite: 'Lax', now });
    const pair = header.split('; ')[0] ?? '';
    expect(pair).toBe('n=a%20b%3Bc%3Dd%22%C3%A9');
    expect(readCookie(pair, 'n')).toBe('a b;c=d"é');
  });

  it('expires a cookie at once with a Max-Age of 0', () => {
    const header = serializeCookie('n', '', { maxAgeSeconds: 0, secure: true, httpOnly: true, sameSite: 'None', now });
    expect(header).toContain('Max-Age=0; Expires=Sun, 01 Mar 2026 12:00:00 GMT');
  });

  it.each([
    { title: 'a name with a space', name: 'a b', options: {} },
    { title: 'an empty name', name: '', options: {} },
    { title: 'a path with ";"', name: 'n', options: { path: '/;Domain=evil.test' } },
    { title: 'an empty domain', name: 'n', options: { domain: '' } },
    { title: 'SameSite=None without Secure', name: 'n', options: { sameSite: 'None' as const } },
  ])('refuses $title', ({ name, options }) => {
    expect(() => serializeCookie(name, 'v', { maxAgeSeconds: 60, secure: false, httpOnly: true, sameSite: 'Lax', ...options })).toThrow(TypeError);
  });
});
