import { describe, expect, it } from 'vitest';
import { conversionCost, microsInAccount, microsToMinor } from '../../src/domain/campaign-money.js';

const fx = { accountCurrency: 'USD', rates: { EUR: '1.10', JPY: '0.0067' } };
const sale = (revenue: number, offerCurrency = 'USD', kind: 'conversion' | 'rebill' = 'conversion') => ({ kind, revenue, offerCurrency });

describe('conversion costs', () => {
  it.each([
    ['cpa in the account currency', { model: 'cpa', amount: '1.50', currency: 'USD' }, sale(999), 1_500_000],
    ['cpa of a sub-cent amount', { model: 'cpa', amount: '0.0004', currency: 'USD' }, sale(999), 400],
    ['cpa in another currency, at its rate', { model: 'cpa', amount: '2', currency: 'EUR' }, sale(999), 2_200_000],
    ['cpa on a rebill', { model: 'cpa', amount: '1.50', currency: 'USD' }, sale(999, 'USD', 'rebill'), 0],
    ['cpa without a rate for its currency', { model: 'cpa', amount: '2', currency: 'GBP' }, sale(999), 0],
    ['revshare of the revenue', { model: 'revshare', percent: '12.5', currency: 'USD' }, sale(999), 1_248_750],
    ['revshare of a rebill', { model: 'revshare', percent: '50', currency: 'USD' }, sale(1_000, 'USD', 'rebill'), 5_000_000],
    ['revshare of revenue in an offer currency without minor units', { model: 'revshare', percent: '10', currency: 'USD' }, sale(1_000, 'JPY'), 670_000],
    ['revshare of nothing', { model: 'revshare', percent: '30', currency: 'USD' }, sale(0), 0],
    ['a visit model', { model: 'cpc', amount: '0.10', currency: 'USD' }, sale(999), 0],
  ])('%s', (_title, settings, conversion, micros) => {
    expect(conversionCost(settings, conversion, fx)).toBe(micros);
  });
});

describe('millionths', () => {
  it('converts into the account currency, rounding once, half away from zero', () => {
    expect(microsInAccount(400, 'USD', fx)).toBe(400);
    expect(microsInAccount(5, 'EUR', fx)).toBe(6);
    expect(microsInAccount(400, 'GBP', fx)).toBe(0);
  });

  it('rounds a sum to minor units once, half away from zero', () => {
    expect(microsToMinor(5_000, 'USD')).toBe(1);
    expect(microsToMinor(4_999, 'USD')).toBe(0);
    expect(microsToMinor(-5_000, 'USD')).toBe(-1);
    expect(microsToMinor(1_500_000, 'JPY')).toBe(2);
    expect(microsToMinor(1_234_500, 'KWD')).toBe(1_235);
  });
});
