import { describe, expect, it } from 'vitest';
import { visitCost } from '../../src/domain/campaign-costs.js';

const unique = { isUnique: true, sourceCost: null };
const repeat = { isUnique: false, sourceCost: null };

describe('visit costs', () => {
  it('charges cpc on every visit, in millionths', () => {
    expect(visitCost({ model: 'cpc', amount: '0.0004' }, unique)).toBe(400);
    expect(visitCost({ model: 'cpc', amount: '0.0004' }, repeat)).toBe(400);
  });

  it('charges cpuc on unique visits only', () => {
    expect(visitCost({ model: 'cpuc', amount: '0.015' }, unique)).toBe(15_000);
    expect(visitCost({ model: 'cpuc', amount: '0.015' }, repeat)).toBe(0);
  });

  it('charges a thousandth of the cpm amount per visit', () => {
    expect(visitCost({ model: 'cpm', amount: '2.5' }, repeat)).toBe(2_500);
    expect(visitCost({ model: 'cpm', amount: '0.0015' }, repeat)).toBe(2);
  });

  it('charges the source cost with auto, reading a decimal comma and ignoring what is no amount', () => {
    expect(visitCost({ model: 'auto' }, { isUnique: true, sourceCost: '0.0031' })).toBe(3_100);
    expect(visitCost({ model: 'auto' }, { isUnique: false, sourceCost: '0,0031' })).toBe(3_100);
    expect(visitCost({ model: 'auto' }, { isUnique: true, sourceCost: '{cost}' })).toBe(0);
    expect(visitCost({ model: 'auto' }, { isUnique: true, sourceCost: '-1' })).toBe(0);
    expect(visitCost({ model: 'auto' }, { isUnique: true, sourceCost: null })).toBe(0);
  });

  it('charges nothing at the visit for none, cpa and revshare', () => {
    expect(visitCost({ model: 'none' }, unique)).toBe(0);
    expect(visitCost({ model: 'cpa', amount: '1' }, unique)).toBe(0);
    expect(visitCost({ model: 'revshare' }, unique)).toBe(0);
  });
});
