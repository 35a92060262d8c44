import { describe, expect, it } from 'vitest';
import { normalizeConversionParams, redactParams } from '../../src/tracking/index.js';

describe('normalizeConversionParams', () => {
  it.each([
    { title: 'reads canonical names', input: { click_id: 'c1', amount: '49.90', currency: 'EUR' }, params: { click_id: 'c1', amount: '49.90', currency: 'EUR' } },
    { title: 'reads every alias of click_id', input: { subid: 'c1' }, params: { click_id: 'c1' } },
    { title: 'reads cid as click_id', input: { cid: 'c1' }, params: { click_id: 'c1' } },
    { title: 'reads clickid as click_id', input: { clickid: 'c1' }, params: { click_id: 'c1' } },
    { title: 'reads txid, tid and order_id as transaction_id', input: { order_id: 'T-9' }, params: { transaction_id: 'T-9' } },
    { title: 'reads revenue as payout', input: { revenue: '3.50' }, params: { payout: '3.50' } },
    { title: 'reads cnv_status as status', input: { cnv_status: 'sale' }, params: { status: 'sale' } },
    { title: 'reads coupon_code as coupon', input: { coupon_code: 'SPRING' }, params: { coupon: 'SPRING' } },
    { title: 'matches names in any case', input: { Click_ID: 'c1', TXID: 't1' }, params: { click_id: 'c1', transaction_id: 't1' } },
    { title: 'trims values', input: { click_id: '  c1 \t' }, params: { click_id: 'c1' } },
    { title: 'treats an empty value as absent', input: { click_id: 'c1', payout: '', status: '   ' }, params: { click_id: 'c1' } },
    { title: 'treats null as absent', input: { click_id: 'c1', coupon: null }, params: { click_id: 'c1' } },
    { title: 'reads a JSON number as a string', input: { amount: 49.9 }, params: { amount: '49.9' } },
    { title: 'accepts the same value under two aliases', input: { click_id: 'c1', subid: 'c1' }, params: { click_id: 'c1' } },
    { title: 'lets a filled alias stand beside an empty one', input: { click_id: '', subid: 'c1' }, params: { click_id: 'c1' } },
    { title: 'accepts a value of exactly 1,024 characters', input: { event: 'e'.repeat(1024) }, params: { event: 'e'.repeat(1024) } },
    { title: 'treats an unfilled {macro} as absent', input: { click_id: 'c1', amount: '{amount}', payout: '{payout}' }, params: { click_id: 'c1' } },
    { title: 'treats a {{macro}} as absent', input: { click_id: 'c1', transaction_id: '{{order_id}}' }, params: { click_id: 'c1' } },
    { title: 'treats a [macro] as absent', input: { click_id: 'c1', currency: '[currency]' }, params: { click_id: 'c1' } },
    { title: 'treats a #macro# as absent', input: { click_id: 'c1', status: '#status#' }, params: { click_id: 'c1' } },
    { title: 'treats a still-encoded %7Bmacro%7D as absent', input: { click_id: 'c1', coupon: '%7Bcoupon%7D' }, params: { click_id: 'c1' } },
    { title: 'keeps a value that only contains braces', input: { click_id: 'c1', event: 'a{b}' }, params: { click_id: 'c1', event: 'a{b}' } },
    { title: 'reads a decimal comma before two digits', input: { amount: '12,34' }, params: { amount: '12.34' } },
    { title: 'reads a decimal comma before one digit', input: { payout: '0,5' }, params: { payout: '0.5' } },
    { title: 'leaves a thousands comma for the money parser to refuse', input: { amount: '1,234' }, params: { amount: '1,234' } },
    { title: 'leaves a comma beside a point for the money parser to refuse', input: { amount: '1,234.50' }, params: { amount: '1,234.50' } },
    { title: 'leaves a comma in other parameters alone', input: { transaction_id: '12,34' }, params: { transaction_id: '12,34' } },
    { title: 'accepts one amount with a decimal comma and a point under two aliases', input: { payout: '3,50', revenue: '3.50' }, params: { payout: '3.50' } },
  ])('$title', ({ input, params }) => {
    expect(normalizeConversionParams(input)).toEqual({ ok: true, params, unknown: [] });
  });

  it('lists parameters it does not know without refusing them', () => {
    const result = normalizeConversionParams({ click_id: 'c1', aff_sub2: 'x', utm: ['a', 'b'], deep: { a: '1' } });
    expect(result).toEqual({ ok: true, params: { click_id: 'c1' }, unknown: ['aff_sub2', 'utm', 'deep'] });
  });

  it.each([
    { title: 'refuses a repeated parameter', input: { click_id: ['c1', 'c2'] }, field: 'click_id', code: 'repeated_parameter' },
    { title: 'refuses a repeated parameter even with equal values', input: { amount: ['1', '1'] }, field: 'amount', code: 'repeated_parameter' },
    { title: 'refuses a parameter given under two aliases with different values', input: { click_id: 'c1', cid: 'c2' }, field: 'click_id', code: 'repeated_parameter' },
    { title: 'refuses one name in two cases with different values', input: { status: 'sale', STATUS: 'lead' }, field: 'status', code: 'repeated_parameter' },
    { title: 'refuses a nested object', input: { payout: { amount: '1' } }, field: 'payout', code: 'invalid_parameter' },
    { title: 'refuses a boolean', input: { status: true }, field: 'status', code: 'invalid_parameter' },
    { title: 'refuses a value over 1,024 characters', input: { transaction_id: 't'.repeat(1025) }, field: 'transaction_id', code: 'parameter_too_long' },
  ])('$title', ({ input, field, code }) => {
    const result = normalizeConversionParams(input);
    expect(result).toMatchObject({ ok: false, field, code });
    expect(result.ok === false && result.message).toContain(field);
  });

  it('names both spellings when two aliases disagree', () => {
    const result = normalizeConversionParams({ subid: 'c1', clickid: 'c2' });
    expect(result.ok === false && result.message).toMatch(/"subid" and "clickid"/);
  });

  it('takes a "__proto__" parameter as unknown, not as a prototype', () => {
    const input = JSON.parse('{"__proto__": {"click_id": "forged"}, "amount": "1"}') as Record<string, unknown>;
    const result = normalizeConversionParams(input);
    expect(result).toEqual({ ok: true, params: { amount: '1' }, unknown: ['__proto__'] });
    expect(result.ok && result.params.click_id).toBeUndefined();
  });
});

describe('redactParams', () => {
  it('redacts the token under any case and keeps the rest', () => {
    expect(redactParams({ click_id: 'c1', token: 'secret', TOKEN: ['a', 'b'], Token: 's' })).toEqual({
      click_id: 'c1',
      token: '[redacted]',
      TOKEN: '[redacted]',
      Token: '[redacted]',
    });
  });

  it('redacts a token nested in an object', () => {
    expect(redactParams({ data: { token: 'secret', a: '1' } })).toEqual({ data: { token: '[redacted]', a: '1' } });
  });

  it('cuts every string to 256 characters', () => {
    const long = 'x'.repeat(1000);
    expect(redactParams({ a: long, list: [long], [long]: '1' })).toEqual({
      a: 'x'.repeat(256),
      list: ['x'.repeat(256)],
      ['x'.repeat(256)]: '1',
    });
  });

  it('keeps at most 50 keys and says how many it left out', () => {
    const input = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, String(i)]));
    const logged = redactParams(input);
    expect(Object.keys(logged)).toHaveLength(51);
    expect(logged.k49).toBe('49');
    expect(logged['…']).toBe('30 more parameters');
  });

  it('returns a copy that survives JSON unchanged', () => {
    const logged = redactParams({ n: 1.5, b: false, nothing: undefined, inf: Infinity, big: 10n, deep: { a: { b: { c: { d: 1 } } } } });
    expect(JSON.parse(JSON.stringify(logged))).toEqual(logged);
    expect(logged).toEqual({ n: 1.5, b: false, nothing: null, inf: 'Infinity', big: '10', deep: { a: { b: { c: '[nested]' } } } });
  });

  it('keeps a "__proto__" key as data', () => {
    const logged = redactParams(JSON.parse('{"__proto__": {"token": "secret"}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(logged)).toBe(Object.prototype);
    expect(JSON.stringify(logged)).toBe('{"__proto__":{"token":"[redacted]"}}');
  });
});
