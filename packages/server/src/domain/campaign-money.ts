import { parseMicros } from '@waypost/schema';
import type { FxTable } from './fx.js';
import { fxRatio } from './fx.js';
import { exponentOf, fromMinorUnits, multiply, ratio, ratioOf, toMinorUnits } from './money.js';

/** Micros (millionths of a unit) behave as minor units of a currency with 6 decimals. */
const MICRO_EXPONENT = 6;

/**
 * Millionths of `currency` in millionths of the account currency, rounded once, half away from zero; 0 without a rate
 * (like the account figures of a conversion, README, FX rates).
 */
export function microsInAccount(micros: number, currency: string, fx: FxTable): number {
  if (micros === 0 || currency === fx.accountCurrency) return micros;
  const rate = fxRatio(currency, fx.accountCurrency, fx);
  if (!rate.ok) return 0;
  const converted = toMinorUnits(multiply(fromMinorUnits(micros, MICRO_EXPONENT), rate.ratio), MICRO_EXPONENT, 'cost');
  return typeof converted === 'number' ? converted : 0;
}

/** A campaign's cost settings (the schema's CampaignCost) and its currency. */
export interface ConversionCostSettings {
  model: string;
  amount?: string | undefined;
  percent?: string | undefined;
  currency: string;
}

/**
 * What a conversion costs under its campaign's model (README, Campaigns: costs), in millionths of the account currency:
 * `cpa` the amount per conversion (a rebill is the same sale again and costs nothing more), `revshare` `percent` of the
 * conversion's revenue (rebills included, as they bring revenue), from the revenue in the offer currency so that the
 * chain rounds once. Every other model costs nothing at conversion time. Reports count it while the conversion is
 * approved.
 */
export function conversionCost(
  settings: ConversionCostSettings,
  conversion: { kind: 'conversion' | 'rebill'; revenue: number; offerCurrency: string },
  fx: FxTable,
): number {
  if (settings.model === 'cpa') {
    if (conversion.kind !== 'conversion' || settings.amount === undefined) return 0;
    const amount = parseMicros(settings.amount);
    return amount.ok ? microsInAccount(amount.micros, settings.currency, fx) : 0;
  }
  if (settings.model === 'revshare') {
    const percent = settings.percent === undefined ? undefined : ratioOf(settings.percent);
    const exponent = exponentOf(conversion.offerCurrency, 'currency');
    if (!percent || typeof exponent !== 'number' || conversion.revenue === 0) return 0;
    const rate = fxRatio(conversion.offerCurrency, fx.accountCurrency, fx);
    if (!rate.ok) return 0;
    const cost = toMinorUnits(multiply(fromMinorUnits(conversion.revenue, exponent), rate.ratio, percent, ratio(1n, 100n)), MICRO_EXPONENT, 'cost');
    return typeof cost === 'number' ? cost : 0;
  }
  return 0;
}

/** Millionths of a unit as minor units of `currency`, rounded once, half away from zero (reports round sums of costs). */
export function microsToMinor(micros: number, currency: string): number {
  const exponent = exponentOf(currency, 'currency');
  const minor = toMinorUnits(fromMinorUnits(micros, MICRO_EXPONENT), typeof exponent === 'number' ? exponent : 2, 'cost');
  return typeof minor === 'number' ? minor : 0;
}
