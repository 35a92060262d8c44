import { describe, expect, it } from 'vitest';
import { corsHeaders, originAllowed } from '../../src/tracking/index.js';

describe('originAllowed', () => {
  it.each([
    { title: 'allows any origin with an empty list', origin: 'https://a.test', list: [], allowed: true },
    { title: 'allows a missing Origin with an empty list', origin: undefined, list: [], allowed: true },
    { title: 'allows any origin with "*"', origin: 'https://a.test', list: ['https://b.test', '*'], allowed: true },
    { title: 'allows a missing Origin with "*"', origin: undefined, list: ['*'], allowed: true },
    { title: 'allows an origin on the list', origin: 'https://shop.test', list: ['https://shop.test'], allowed: true },
    { title: 'ignores the case of the host', origin: 'https://Shop.TEST', list: ['https://shop.test'], allowed: true },
    { title: 'ignores a trailing slash on the entry', origin: 'https://shop.test', list: ['https://shop.test/'], allowed: true },
    { title: 'ignores a trailing slash on the origin', origin: 'https://shop.test/', list: ['https://shop.test'], allowed: true },
    { title: 'treats a default port as no port', origin: 'https://shop.test', list: ['https://shop.test:443'], allowed: true },
    { title: 'allows a non-default port on the list', origin: 'http://localhost:5173', list: ['http://localhost:5173'], allowed: true },
    { title: 'refuses another port', origin: 'http://localhost:3000', list: ['http://localhost:5173'], allowed: false },
    { title: 'refuses another scheme', origin: 'http://shop.test', list: ['https://shop.test'], allowed: false },
    { title: 'refuses a subdomain', origin: 'https://evil.shop.test', list: ['https://shop.test'], allowed: false },
    { title: 'refuses a host that merely starts with an allowed one', origin: 'https://shop.test.evil.test', list: ['https://shop.test'], allowed: false },
    { title: 'refuses a missing Origin with a list', origin: undefined, list: ['https://shop.test'], allowed: false },
    { title: 'refuses the "null" origin of a sandboxed page', origin: 'null', list: ['https://shop.test'], allowed: false },
    { title: 'never matches an entry with a path', origin: 'https://shop.test', list: ['https://shop.test/checkout'], allowed: false },
  ])('$title', ({ origin, list, allowed }) => {
    expect(originAllowed(origin, list)).toBe(allowed);
  });
});

describe('corsHeaders', () => {
  it('echoes the origin and allows simple GET and POST requests without credentials', () => {
    expect(corsHeaders('https://shop.test')).toEqual({
      'Access-Control-Allow-Origin': 'https://shop.test',
      Vary: 'Origin',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '86400',
    });
  });

  it('allows "*" when the request has no Origin', () => {
    expect(corsHeaders(undefined)['Access-Control-Allow-Origin']).toBe('*');
  });
});
