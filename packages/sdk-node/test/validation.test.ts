import { describe, expect, it } from 'vitest';
import { Waypost, WaypostValidationError } from '../src/index.js';
import { CLICK_ID, client, mockWaypost } from './helpers.js';

const mock = mockWaypost();
const waypost = client();

async function refusal(call: () => Promise<unknown>): Promise<WaypostValidationError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WaypostValidationError);
  expect(await mock.requests()).toHaveLength(0);
  return error as WaypostValidationError;
}

describe('input validation', () => {
  it.each([
    ['an amount with more decimals than the currency has', { clickId: CLICK_ID, amount: '12.345', currency: 'USD' }, 'amount: has more than 2 decimal places'],
    ['a yen amount with decimals', { clickId: CLICK_ID, amount: '100.5', currency: 'JPY' }, 'amount: has more than 0 decimal places'],
    ['an amount that is not a number', { clickId: CLICK_ID, amount: 'abc' }, 'amount: "abc" is not a plain decimal number'],
    ['a negative amount', { clickId: CLICK_ID, amount: -5 }, 'amount: must not be negative'],
    ['an amount in exponent form', { clickId: CLICK_ID, amount: 1e21 }, 'amount:'],
    ['an unknown currency', { clickId: CLICK_ID, amount: '10', currency: 'XYZ' }, 'currency: unknown ISO 4217 currency "XYZ"'],
    ['no click id and no coupon', { amount: '10', currency: 'USD' }, 'clickId: clickId or couponCode is required'],
    ['a coupon without an offer', { couponCode: 'DEALS10' }, 'offerId: is required for a coupon-only conversion'],
    ['a click id of the wrong type', { clickId: 42 }, 'clickId:'],
    ['a placeholder left in the click id', { clickId: '{click_id}' }, 'clickId: must be a Waypost click id'],
    ['an unknown field', { clickId: CLICK_ID, amout: '10' }, 'amout:'],
  ])('refuses %s before sending anything', async (_, params, message) => {
    const error = await refusal(() => waypost.conversions.create(params as never));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error).toMatchObject({ name: 'WaypostValidationError', code: 'validation_error', status: undefined, requestId: undefined });
    expect(error.issues![0]!.path).toBe(message.split(':')[0]);
  });

  it('names every offending field at once', async () => {
    const error = await refusal(() =>
      waypost.transactions.create({ publisherId: 'pub 1', offerId: 'off_1', amount: 'ten', status: 'paid' } as never),
    );
    expect(error.issues!.map((issue) => issue.path).sort()).toEqual(['amount', 'publisherId', 'status']);
    expect(error.message).toContain('publisherId: must contain only letters, digits, "-" and "_"');
  });

  it('checks nested fields and names them by their path', async () => {
    const error = await refusal(() =>
      waypost.offers.create({ name: 'Solar', url: 'https://shop.example.com', payout: { model: 'cpa', amount: '10.001' }, currency: 'USD' }),
    );
    expect(error.message).toBe('payout.amount: has more than 2 decimal places, the most USD allows');
  });

  it('checks ids before putting them in a path', async () => {
    for (const id of ['', 'off/../../admin', 'a b']) {
      const error = await refusal(() => waypost.offers.retrieve(id));
      expect(error.issues![0]!.path).toBe('id');
    }
  });

  it('checks list and report queries', async () => {
    expect((await refusal(() => waypost.offers.list({ limit: 1000 }))).message).toMatch(/^limit: /);
    expect((await refusal(async () => waypost.conversions.list({ status: 'paid' as never }))).message).toMatch(/^status: /);
    expect((await refusal(() => waypost.reports.get({ from: '2026-11-01', to: 'tomorrow' }))).message).toMatch(/^to: /);
    expect((await refusal(() => waypost.reports.get({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day,weekday' }))).message).toContain(
      'unknown dimension "weekday"',
    );
    expect((await refusal(() => waypost.reports.get({ from: '2026-11-01', to: '2026-11-30', timezone: 'Mars/Olympus' }))).message).toMatch(/^timezone: /);
  });

  it('refuses a bad status transition value and a promo decision that contradicts itself', async () => {
    await refusal(() => waypost.conversions.update('conv_1', { status: 'paid' as never }));
    const error = await refusal(() => waypost.promoCodes.requests.decide('pcr_1', { decision: 'reject', code: 'DEALS10' }));
    expect(error.message).toBe('code: is only allowed with decision "confirm"');
  });

  it('refuses bad client options at construction', () => {
    expect(() => new Waypost({ apiKey: '', baseUrl: 'https://waypost.test' })).toThrow('apiKey: is required');
    expect(() => new Waypost({ apiKey: 'wp_sk_x', baseUrl: 'track.example.com' })).toThrow(/^baseUrl: /);
    expect(() => new Waypost({ apiKey: 'wp_sk_x', baseUrl: 'https://waypost.test', maxRetries: -1 })).toThrow(/^maxRetries: /);
    expect(() => new Waypost({ apiKey: 'wp_sk_x', baseUrl: 'https://waypost.test', timeout: 0 })).toThrow(WaypostValidationError);
  });
});
