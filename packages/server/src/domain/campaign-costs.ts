import { parseMicros } from '@waypost/schema';

/** A campaign's cost settings as stored: amounts are decimal strings in the campaign currency. */
export interface VisitCostSettings {
  model: 'none' | 'cpc' | 'cpuc' | 'cpm' | 'cpa' | 'revshare' | 'auto';
  amount?: string | undefined;
}

const micros = (amount: string | undefined): number => {
  const parsed = amount === undefined ? undefined : parseMicros(amount);
  return parsed?.ok ? parsed.micros : 0;
};

/**
 * What one visit costs, in millionths of the campaign currency (README, Campaigns: costs): `cpc` the amount on every
 * visit, `cpuc` on unique visits only, `cpm` a thousandth of the amount per visit (rounded half up to a millionth),
 * `auto` the source's `cost` parameter (a decimal, a decimal comma accepted; anything unreadable costs 0). `cpa` and
 * `revshare` cost nothing at the visit: they are booked on conversions. Bots are charged like anyone, since the source
 * charged for them.
 */
export function visitCost(settings: VisitCostSettings, visit: { isUnique: boolean; sourceCost: string | null }): number {
  switch (settings.model) {
    case 'cpc':
      return micros(settings.amount);
    case 'cpuc':
      return visit.isUnique ? micros(settings.amount) : 0;
    case 'cpm':
      return Math.round(micros(settings.amount) / 1000);
    case 'auto': {
      if (visit.sourceCost === null) return 0;
      const text = visit.sourceCost.trim().replace(/^([+-]?\d*),(\d+)$/, '$1.$2');
      return micros(text);
    }
    default:
      return 0;
  }
}
