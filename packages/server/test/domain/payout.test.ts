import type { PayoutRule, RevenueRule } from '@waypost/schema';
import { describe, expect, it } from 'vitest';
import {
  clickPayout,
  computeConversionPayout,
  impressionPayout,
  selectPayoutRule,
  type ConversionMoney,
  type FxTable,
  type PayoutOffer,
  type PayoutRuleSource,
  type PersonalPayoutRule,
} from '../../src/domain/index.js';

const fx: FxTable = { accountCurrency: 'USD', rates: { EUR: '1.10', JPY: '0.0066', KWD: '3.25' } };

function offer(currency: string, payout: Partial<PayoutRule>, revenue: RevenueRule | null = null): PayoutOffer {
  return { currency, payout: { model: 'cps', mode: 'fixed', ...payout }, revenue };
}

function payoutOf(target: PayoutOffer, conversion: ConversionMoney, personal: PersonalPayoutRule[] = []) {
  const result = computeConversionPayout(target, conversion, personal, fx);
  if (!result.ok) throw result.error;
  return result;
}

describe('payout rule precedence', () => {
  const bothCoupon: PersonalPayoutRule = { id: 'pp-both', publisherId: 'pub-1', couponCode: 'SUMMER', amount: '9.00', percent: null };
  const coupon: PersonalPayoutRule = { id: 'pp-coupon', publisherId: null, couponCode: 'summer', amount: '8.00', percent: null };
  const publisher: PersonalPayoutRule = { id: 'pp-pub', publisherId: 'pub-1', couponCode: null, amount: '7.00', percent: null };
  const cpa = offer('USD', {
    model: 'cpa',
    amount: '5.00',
    geo: [
      { countries: ['DE', 'AT'], amount: '6.00' },
      { countries: ['DE'], amount: '5.50' },
    ],
  });
  const everything = [bothCoupon, coupon, publisher];
  // Each level with every rule below it in place: the level wins over all of those.
  const levels: { source: PayoutRuleSource; personal: PersonalPayoutRule[]; geo: boolean; payout: number }[] = [
    { source: 'personal_coupon_publisher', personal: [publisher, coupon, bothCoupon], geo: true, payout: 900 },
    { source: 'personal_coupon', personal: [publisher, coupon], geo: true, payout: 800 },
    { source: 'personal_publisher', personal: [publisher], geo: true, payout: 700 },
    { source: 'geo', personal: [], geo: true, payout: 600 },
    { source: 'offer', personal: [], geo: false, payout: 500 },
  ];

  it.each(levels)('lets $source win over every later level', ({ source, personal, geo, payout }) => {
    const target = geo ? cpa : offer('USD', { model: 'cpa', amount: '5.00' });
    const result = payoutOf(target, { publisherId: 'pub-1', couponCode: 'Summer', country: 'DE' }, personal);
    expect(result.rule.source).toBe(source);
    expect(result.payout).toBe(payout);
  });

  it.each([
    { title: 'matches a coupon whatever its case', target: { publisherId: 'pub-1', couponCode: 'sUmMeR' }, source: 'personal_coupon_publisher', id: 'pp-both' },
    { title: 'skips the coupon-and-publisher payout for another publisher', target: { publisherId: 'pub-2', couponCode: 'SUMMER' }, source: 'personal_coupon', id: 'pp-coupon' },
    { title: 'falls back to the publisher payout for an unknown coupon', target: { publisherId: 'pub-1', couponCode: 'WINTER' }, source: 'personal_publisher', id: 'pp-pub' },
    { title: 'uses the publisher payout without a coupon', target: { publisherId: 'pub-1', country: 'DE' }, source: 'personal_publisher', id: 'pp-pub' },
    { title: 'uses the coupon payout for a conversion with no publisher yet', target: { publisherId: null, couponCode: 'summer' }, source: 'personal_coupon', id: 'pp-coupon' },
    { title: 'takes the first geo entry that lists the country', target: { publisherId: 'pub-2', country: 'DE' }, source: 'geo', id: null },
    { title: 'matches a country whatever its case', target: { publisherId: 'pub-2', country: 'at' }, source: 'geo', id: null },
    { title: 'uses the offer payout for a country no geo entry lists', target: { publisherId: 'pub-2', country: 'FR' }, source: 'offer', id: null },
    { title: 'uses the offer payout without a country', target: { publisherId: 'pub-2' }, source: 'offer', id: null },
  ])('$title', ({ target, source, id }) => {
    const rule = selectPayoutRule(cpa, target, everything);
    expect(rule).toMatchObject({ source, personalPayoutId: id });
  });

  it('takes the geo amount of the first matching entry', () => {
    expect(selectPayoutRule(cpa, { country: 'DE' }, [])).toEqual({ source: 'geo', amount: '6.00', percent: null, personalPayoutId: null });
  });
});

describe('percent payouts', () => {
  it.each([
    { title: 'pays 10% of a USD sale, rounding 4.999 up to 5.00', currency: 'USD', percent: '10', amount: '49.99', payout: 500 },
    { title: 'rounds an exact half cent away from zero', currency: 'USD', percent: '12.5', amount: '0.20', payout: 3 },
    { title: 'rounds a half cent from a tiny sale up to one cent', currency: 'USD', percent: '12.5', amount: '0.04', payout: 1 },
    { title: 'rounds down below the half', currency: 'USD', percent: '33.3333', amount: '10.00', payout: 333 },
    { title: 'pays whole yen on a JPY offer', currency: 'JPY', percent: '3.5', amount: '1999', payout: 70 },
    { title: 'rounds half a yen away from zero', currency: 'JPY', percent: '10', amount: '1005', payout: 101 },
    { title: 'pays fils on a KWD offer', currency: 'KWD', percent: '2.5', amount: '12.345', payout: 309 },
    { title: 'rounds half a fils away from zero', currency: 'KWD', percent: '10', amount: '0.005', payout: 1 },
    { title: 'pays 100% of the sale', currency: 'USD', percent: '100', amount: '19.99', payout: 1999 },
  ])('$title', ({ currency, percent, amount, payout }) => {
    const result = payoutOf(offer(currency, { percent }), { amount });
    expect(result).toMatchObject({ payout, reason: null, fxRate: null });
  });

  it.each([
    // Rounding the converted sale first (0.17) would pay 9 cents; the exact chain is 0.0825.
    { title: 'converts a EUR sale for a USD offer and rounds once, at the end', offerCurrency: 'USD', currency: 'EUR', amount: '0.15', percent: '50', payout: 8, fxRate: '1.1' },
    { title: 'converts a EUR sale for a JPY offer', offerCurrency: 'JPY', currency: 'EUR', amount: '100.00', percent: '10', payout: 1667, fxRate: '166.6666666667' },
    { title: 'converts a JPY sale for a KWD offer', offerCurrency: 'KWD', currency: 'JPY', amount: '10000', percent: '10', payout: 2031, fxRate: '0.0020307692' },
  ])('$title', ({ offerCurrency, currency, amount, percent, payout, fxRate }) => {
    expect(payoutOf(offer(offerCurrency, { percent }), { amount, currency })).toMatchObject({ payout, fxRate });
  });

  it('records a percent payout without a sale amount as 0 with reason amount_missing', () => {
    expect(payoutOf(offer('USD', { percent: '10' }), {})).toMatchObject({ ok: true, payout: 0, reason: 'amount_missing', amount: null });
  });

  it('applies a personal percent payout to the sale amount', () => {
    const personal: PersonalPayoutRule = { id: 'pp', publisherId: 'pub-1', couponCode: null, amount: null, percent: '15' };
    expect(payoutOf(offer('USD', { percent: '10' }), { publisherId: 'pub-1', amount: '80.00' }, [personal]).payout).toBe(1200);
  });
});

describe('payout by model', () => {
  it.each([
    { title: 'pays a cpa offer its fixed amount', payout: { model: 'cpa', amount: '25.00' }, expected: 2500 },
    { title: 'pays a cpl offer its fixed amount', payout: { model: 'cpl', amount: '1.75' }, expected: 175 },
    { title: 'pays a cps offer with a fixed amount per sale', payout: { model: 'cps', amount: '3.00' }, expected: 300 },
    { title: 'gives a cpc conversion payout 0, since clicks are paid', payout: { model: 'cpc', amount: '0.40' }, expected: 0 },
    { title: 'gives a cpm conversion payout 0, since impressions are paid', payout: { model: 'cpm', amount: '2.00' }, expected: 0 },
  ] as const)('$title', ({ payout, expected }) => {
    expect(payoutOf(offer('USD', payout), { amount: '100.00' })).toMatchObject({ payout: expected, reason: null });
  });
});

describe('auto mode', () => {
  it.each([
    { title: 'takes the payout sent with the conversion in place of the rule', payout: { model: 'cpa', amount: '5.00' }, conversion: { payout: '12.34' }, expected: 1234, fxRate: null, offerCurrency: 'USD' },
    { title: 'converts the payout sent in another currency', payout: { model: 'cpa', amount: '5.00' }, conversion: { payout: '7.00', currency: 'EUR' }, expected: 770, fxRate: '1.1', offerCurrency: 'USD' },
    { title: 'lets the payout sent replace a percent rule', payout: { percent: '10' }, conversion: { payout: '2.00', amount: '100.00' }, expected: 200, fxRate: null, offerCurrency: 'USD' },
    { title: 'falls back to the percent rule without a payout sent', payout: { percent: '10' }, conversion: { amount: '100.00', currency: 'EUR' }, expected: 1100, fxRate: '1.1', offerCurrency: 'USD' },
    { title: 'falls back to the rule amount without a payout sent', payout: { model: 'cpa', amount: '5.00' }, conversion: {}, expected: 500, fxRate: null, offerCurrency: 'USD' },
    { title: 'converts a payout sent in yen for a KWD offer', payout: { model: 'cpa' }, conversion: { payout: '1000', currency: 'JPY' }, expected: 2031, fxRate: '0.0020307692', offerCurrency: 'KWD' },
  ] as const)('$title', ({ payout, conversion, expected, fxRate, offerCurrency }) => {
    expect(payoutOf(offer(offerCurrency, { mode: 'auto', ...payout }), conversion)).toMatchObject({ payout: expected, fxRate, reason: null });
  });

  it('ignores a payout sent to an offer in fixed mode', () => {
    expect(payoutOf(offer('USD', { model: 'cpa', amount: '5.00' }), { payout: '99.00' }).payout).toBe(500);
  });

  it('records 0 with reason payout_missing when neither the conversion nor the rule gives a payout', () => {
    expect(payoutOf(offer('USD', { model: 'cpa', mode: 'auto' }), {})).toMatchObject({ payout: 0, reason: 'payout_missing' });
  });

  it('lets the payout sent override a personal payout, as it replaces whatever rule matched', () => {
    const personal: PersonalPayoutRule = { id: 'pp', publisherId: 'pub-1', couponCode: null, amount: '3.00', percent: null };
    const result = payoutOf(offer('USD', { model: 'cpa', mode: 'auto', amount: '5.00' }), { publisherId: 'pub-1', payout: '4.00' }, [personal]);
    expect(result).toMatchObject({ payout: 400, rule: { source: 'personal_publisher' } });
  });
});

describe('revenue and profit', () => {
  const cpa = { model: 'cpa', amount: '25.00' } as const;
  it.each([
    { title: 'books a fixed revenue and the profit over the payout', revenue: { mode: 'fixed', amount: '40.00' }, conversion: {}, expected: 4000, profit: 1500 },
    { title: 'books a percent revenue of the sale', revenue: { mode: 'fixed', percent: '20' }, conversion: { amount: '100.00' }, expected: 2000, profit: -500 },
    { title: 'takes an auto revenue from the payout a network sends', revenue: { mode: 'auto', amount: '40.00' }, conversion: { payout: '30.00' }, expected: 3000, profit: 500 },
    { title: 'prefers a revenue sent over the payout sent', revenue: { mode: 'auto' }, conversion: { payout: '30.00', revenue: '35.00' }, expected: 3500, profit: 1000 },
    { title: 'converts an auto revenue sent in another currency', revenue: { mode: 'auto' }, conversion: { payout: '30.00', currency: 'EUR' }, expected: 3300, profit: 800 },
    { title: 'falls back to the revenue rule without a value sent', revenue: { mode: 'auto', amount: '40.00' }, conversion: {}, expected: 4000, profit: 1500 },
    { title: 'books 0 for an auto revenue with nothing to go by', revenue: { mode: 'auto' }, conversion: {}, expected: 0, profit: -2500 },
  ] as const)('$title', ({ revenue, conversion, expected, profit }) => {
    const result = payoutOf(offer('USD', cpa, revenue), conversion);
    expect(result).toMatchObject({ payout: 2500, revenue: expected, profit, reason: null });
  });

  it('books revenue per conversion on a cpc offer while the payout waits for clicks', () => {
    const result = payoutOf(offer('USD', { model: 'cpc', amount: '0.40' }, { mode: 'fixed', amount: '12.00' }), {});
    expect(result).toMatchObject({ payout: 0, revenue: 1200, profit: 1200 });
  });

  it('gives revenue 0 without a revenue rule', () => {
    expect(payoutOf(offer('USD', cpa), { payout: '30.00' })).toMatchObject({ revenue: 0, profit: -2500 });
  });

  it('reports amount_missing for a percent revenue without a sale amount', () => {
    expect(payoutOf(offer('USD', cpa, { mode: 'fixed', percent: '20' }), {})).toMatchObject({ revenue: 0, reason: 'amount_missing' });
  });
});

describe('conversion currency', () => {
  it('stores the sale converted into the offer currency with the rate used', () => {
    expect(payoutOf(offer('USD', { percent: '10' }), { amount: '49.90', currency: 'EUR' })).toMatchObject({ amount: 5489, fxRate: '1.1', payout: 549 });
  });

  it('refuses a percent payout on a sale in a currency without a rate', () => {
    const result = computeConversionPayout(offer('USD', { percent: '10' }), { amount: '10.00', currency: 'CHF' }, [], fx);
    expect(result).toMatchObject({ ok: false, error: { code: 'fx_rate_missing', currency: 'CHF', field: 'currency' } });
  });

  it('refuses an auto payout sent in a currency without a rate', () => {
    const result = computeConversionPayout(offer('USD', { model: 'cpa', mode: 'auto' }), { payout: '10.00', currency: 'CHF' }, [], fx);
    expect(result).toMatchObject({ ok: false, error: { code: 'fx_rate_missing', currency: 'CHF' } });
  });

  it('records a fixed payout on a sale in a currency without a rate, leaving out the converted amount', () => {
    const result = payoutOf(offer('USD', { model: 'cpa', amount: '5.00' }), { amount: '10.00', currency: 'CHF' });
    expect(result).toMatchObject({ payout: 500, amount: null, fxRate: null });
  });

  it.each([
    { title: 'refuses an unknown currency', conversion: { amount: '1.00', currency: 'XYZ' }, code: 'unknown_currency', field: 'currency' },
    { title: 'refuses a sale amount that is not a decimal', conversion: { amount: '1e3' }, code: 'invalid_amount', field: 'amount' },
    { title: 'refuses a negative payout sent', conversion: { payout: '-1.00' }, code: 'invalid_amount', field: 'payout' },
  ])('$title', ({ conversion, code, field }) => {
    const result = computeConversionPayout(offer('USD', { percent: '10' }), conversion, [], fx);
    expect(result).toMatchObject({ ok: false, error: { code, field } });
  });
});

describe('clickPayout', () => {
  const cpc = offer('USD', { model: 'cpc', amount: '0.35', geo: [{ countries: ['US'], amount: '0.50' }] });
  const personal: PersonalPayoutRule[] = [
    { id: 'pp-coupon', publisherId: 'pub-1', couponCode: 'SUMMER', amount: '9.00', percent: null },
    { id: 'pp-pub', publisherId: 'pub-1', couponCode: null, amount: '0.40', percent: null },
  ];
  it.each([
    { title: 'pays the publisher override, never a coupon one, for a click', click: { publisherId: 'pub-1', country: 'US' }, target: cpc, expected: 40 },
    { title: 'pays the geo amount for the click country', click: { publisherId: 'pub-2', country: 'US' }, target: cpc, expected: 50 },
    { title: 'pays the offer amount otherwise', click: { publisherId: 'pub-2', country: 'FR' }, target: cpc, expected: 35 },
    { title: 'pays whole yen on a JPY offer', click: { publisherId: 'pub-2' }, target: offer('JPY', { model: 'cpc', amount: '3' }), expected: 3 },
    { title: 'pays nothing at click time on a cpa offer', click: { publisherId: 'pub-1' }, target: offer('USD', { model: 'cpa', amount: '5.00' }), expected: 0 },
  ])('$title', ({ click, target, expected }) => {
    expect(clickPayout(target, click, personal)).toBe(expected);
  });
});

describe('impressionPayout', () => {
  it.each([
    { title: 'pays impressions × amount / 1000, rounding half a cent away from zero', impressions: 1234, amount: '2.50', currency: 'USD', expected: 309 },
    { title: 'pays whole yen, rounding half a yen up', impressions: 1500, amount: '75', currency: 'JPY', expected: 113 },
    { title: 'pays fils on a KWD offer', impressions: 333, amount: '1.250', currency: 'KWD', expected: 416 },
    { title: 'pays 0 for no impressions', impressions: 0, amount: '2.50', currency: 'USD', expected: 0 },
    { title: 'pays 0 under a rule with no amount', impressions: 1000, amount: null, currency: 'USD', expected: 0 },
  ])('$title', ({ impressions, amount, currency, expected }) => {
    expect(impressionPayout(impressions, { amount }, currency)).toBe(expected);
  });

  it('rounds once per period, not per impression', () => {
    // 0.4 of a cent per impression: per impression it would round to 0 each time.
    expect(impressionPayout(1000, { amount: '4.00' }, 'USD')).toBe(400);
    expect(impressionPayout(1, { amount: '4.00' }, 'USD')).toBe(0);
  });
});
