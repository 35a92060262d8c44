import { describe, expect, it } from 'vitest';
import {
  CreateConversionParamsSchema,
  CurrencySchema,
  divideRounded,
  formatMoney,
  parseMoney,
  TimezoneSchema,
} from '../src/index.js';

describe('parseMoney', () => {
  it.each([
    ['49.90', 'USD', 4990],
    [49.9, 'USD', 4990],
    ['49.900', 'USD', 4990],
    ['0', 'USD', 0],
    ['1500', 'JPY', 1500],
    ['1500.0', 'JPY', 1500],
    ['12.345', 'KWD', 12345],
    ['0.001', 'KWD', 1],
    ['1.2345', 'CLF', 12345],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('parses %j %s into %i minor units', (input, currency, minor) => {
    expect(parseMoney(input, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ['12.345', 'USD', 'more than 2 decimal places'],
    ['1.5', 'JPY', 'more than 0 decimal places'],
    ['1.0001', 'KWD', 'more than 3 decimal places'],
    ['-5', 'USD', 'must not be negative'],
    ['1e309', 'USD', 'not a plain decimal'],
    [Number.NaN, 'USD', 'finite'],
    [Number.POSITIVE_INFINITY, 'USD', 'finite'],
    [1e21, 'USD', 'not a plain decimal'],
    [0.1 + 0.2, 'USD', 'more than 2 decimal places'],
    ['NaN', 'USD', 'not a plain decimal'],
    ['', 'USD', 'empty'],
    ['1,50', 'EUR', 'not a plain decimal'],
    ['0x10', 'USD', 'not a plain decimal'],
    ['9'.repeat(41), 'USD', 'too long'],
    ['90071992547409.92', 'USD', 'too large'],
    ['10', 'XYZ', 'unknown ISO 4217 currency'],
    [null, 'USD', 'decimal string'],
  ])('refuses %j in %s (%s)', (input, currency, message) => {
    const result = parseMoney(input, currency);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('accepts a negative amount only when asked to', () => {
    expect(parseMoney('-1.50', 'EUR', { allowNegative: true })).toEqual({ ok: true, minor: -150 });
  });
});

describe('formatMoney', () => {
  it.each([
    [4990, 'USD', '49.90'],
    [5, 'USD', '0.05'],
    [-150, 'EUR', '-1.50'],
    [1500, 'JPY', '1500'],
    [12345, 'KWD', '12.345'],
    [1, 'KWD', '0.001'],
  ])('formats %i %s as %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });
});

describe('divideRounded', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [-4n, 3n, -1n],
    [15n, 10n, 2n],
    [14n, 10n, 1n],
    [7n, -2n, -4n],
  ])('rounds %i / %i half away from zero to %i', (n, d, q) => {
    expect(divideRounded(n, d)).toBe(q);
  });
});

describe('currencies and timezones', () => {
  it('upper-cases known currency codes and refuses unknown ones', () => {
    expect(CurrencySchema.parse('eur')).toBe('EUR');
    expect(CurrencySchema.safeParse('XYZ').error?.issues[0]?.message).toBe('unknown ISO 4217 currency "XYZ"');
    expect(CurrencySchema.safeParse('XAU').success).toBe(false);
  });

  it('accepts IANA timezones and refuses made-up ones', () => {
    expect(TimezoneSchema.parse('America/New_York')).toBe('America/New_York');
    expect(TimezoneSchema.safeParse('Mars/Olympus').success).toBe(false);
  });
});

describe('CreateConversionParamsSchema', () => {
  it('names the field whose amount does not fit the currency', () => {
    const result = CreateConversionParamsSchema.safeParse({ clickId: 'abcdefghijkl', amount: '12.345', currency: 'USD' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['amount', 'has more than 2 decimal places, the most USD allows'],
    ]);
  });

  it('needs a click id or a coupon, and an offer with a coupon alone', () => {
    const paths = (input: unknown) => CreateConversionParamsSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ amount: '1' })).toEqual(['clickId']);
    expect(paths({ couponCode: 'SAVE10' })).toEqual(['offerId']);
    expect(paths({ couponCode: 'SAVE10', offerId: 'off_1' })).toBeUndefined();
  });
});
