import { describe, expect, it } from 'vitest';
import { convertMoney, fxRate, isFxRateMissingError, type FxTable } from '../../src/domain/index.js';

const fx: FxTable = {
  accountCurrency: 'USD',
  rates: { EUR: '1.10', JPY: '0.0066', KWD: '3.25', GBP: '1.25', USD: '2' },
};

describe('convertMoney', () => {
  it.each([
    { title: 'converts EUR cents into USD cents through the account currency', minor: 1000, from: 'EUR', to: 'USD', expected: 1100, rate: '1.1' },
    { title: 'converts USD into EUR with the inverse rate, rounding once', minor: 1000, from: 'USD', to: 'EUR', expected: 909, rate: '0.9090909091' },
    { title: 'converts EUR cents into whole yen (JPY has no decimals)', minor: 1000, from: 'EUR', to: 'JPY', expected: 1667, rate: '166.6666666667' },
    { title: 'converts yen into fils (KWD has 3 decimals)', minor: 1000, from: 'JPY', to: 'KWD', expected: 2031, rate: '0.0020307692' },
    { title: 'converts fils into yen', minor: 1500, from: 'KWD', to: 'JPY', expected: 739, rate: '492.4242424242' },
    { title: 'rounds an exact half cent away from zero', minor: 2, from: 'GBP', to: 'USD', expected: 3, rate: '1.25' },
    { title: 'rounds a negative half cent away from zero', minor: -2, from: 'GBP', to: 'USD', expected: -3, rate: '1.25' },
    { title: 'keeps an amount in its own currency as it is', minor: 4990, from: 'EUR', to: 'EUR', expected: 4990, rate: '1' },
    { title: 'treats the account currency as rate 1 whatever the table says', minor: 1100, from: 'USD', to: 'EUR', expected: 1000, rate: '0.9090909091' },
  ])('$title', ({ minor, from, to, expected, rate }) => {
    expect(convertMoney(minor, from, to, fx)).toEqual({ ok: true, minor: expected, rate });
  });

  it.each([
    { title: 'refuses a source currency without a rate', from: 'CHF', to: 'USD', currency: 'CHF' },
    { title: 'refuses a target currency without a rate', from: 'USD', to: 'CHF', currency: 'CHF' },
    { title: 'names the missing currency between two foreign ones', from: 'EUR', to: 'CHF', currency: 'CHF' },
  ])('$title', ({ from, to, currency }) => {
    const result = convertMoney(100, from, to, fx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(isFxRateMissingError(result.error)).toBe(true);
    expect(result.error).toMatchObject({ code: 'fx_rate_missing', currency, field: 'currency', name: 'FxRateMissingError' });
    expect(result.error.message).toContain(currency);
  });

  it('treats a zero rate as missing', () => {
    const result = convertMoney(100, 'EUR', 'USD', { accountCurrency: 'USD', rates: { EUR: '0' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'fx_rate_missing' } });
  });

  it('refuses an unknown currency code', () => {
    const result = convertMoney(100, 'XYZ', 'USD', fx);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_currency' } });
  });

  it('refuses a result beyond what minor units can hold exactly', () => {
    const result = convertMoney(Number.MAX_SAFE_INTEGER, 'EUR', 'JPY', fx);
    expect(result).toMatchObject({ ok: false, error: { code: 'amount_too_large' } });
  });
});

describe('fxRate', () => {
  it.each([
    { title: 'gives the rate of a currency into the account currency', from: 'EUR', to: 'USD', rate: '1.1' },
    { title: 'gives a cross rate to 10 decimals', from: 'GBP', to: 'EUR', rate: '1.1363636364' },
    { title: 'gives 1 for the same currency even without a rate', from: 'CHF', to: 'CHF', rate: '1' },
  ])('$title', ({ from, to, rate }) => {
    expect(fxRate(from, to, fx)).toEqual({ ok: true, rate });
  });
});
