import { describe, expect, it } from 'vitest';
import { CampaignCostSchema, formatMicros, parseMicros } from '../src/index.js';

describe('parseMicros', () => {
  it.each([
    ['0.0004', 400],
    [0.0004, 400],
    ['1.5', 1_500_000],
    ['0.000001', 1],
    ['2.0000000', 2_000_000],
    ['0', 0],
  ])('parses %j into %i millionths', (input, micros) => {
    expect(parseMicros(input)).toEqual({ ok: true, micros });
  });

  it.each([
    ['0.0000001', 'more than 6 decimal places'],
    ['-0.01', 'must not be negative'],
    ['1e-4', 'not a plain decimal'],
    ['99999999999.999999', 'too large'],
  ])('refuses %j', (input, message) => {
    const parsed = parseMicros(input);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('formats millionths as the shortest decimal and reads it back', () => {
    for (const micros of [0, 1, 400, 1_500_000, 2_000_000, 123_456_789]) expect(parseMicros(formatMicros(micros))).toEqual({ ok: true, micros });
    expect([formatMicros(400), formatMicros(1_500_000), formatMicros(2_000_000)]).toEqual(['0.0004', '1.5', '2']);
  });
});

describe('CampaignCostSchema', () => {
  it('accepts a sub-cent cpc and refuses an amount finer than a millionth, naming the field', () => {
    expect(CampaignCostSchema.parse({ model: 'cpc', amount: '0.0004' })).toEqual({ model: 'cpc', amount: '0.0004' });
    const result = CampaignCostSchema.safeParse({ model: 'cpc', amount: '0.0000004' });
    expect(result.error?.issues[0]?.path).toEqual(['amount']);
  });

  it('asks for the figure each model needs and refuses the ones it does not use', () => {
    expect(CampaignCostSchema.safeParse({ model: 'cpm' }).error?.issues[0]?.path).toEqual(['amount']);
    expect(CampaignCostSchema.safeParse({ model: 'revshare' }).error?.issues[0]?.path).toEqual(['percent']);
    expect(CampaignCostSchema.safeParse({ model: 'auto', amount: '1' }).error?.issues[0]?.path).toEqual(['amount']);
    expect(CampaignCostSchema.safeParse({ model: 'revshare', percent: '30' }).success).toBe(true);
  });
});
