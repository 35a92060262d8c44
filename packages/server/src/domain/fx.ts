import { DomainError, FxRateMissingError } from './errors.js';
import { divide, exponentOf, formatRatio, fromMinorUnits, multiply, ONE, ratioOf, toMinorUnits, type Ratio } from './money.js';

/** The FX table as `PUT /v1/fx-rates` stores it. */
export interface FxTable {
  /** The account (reporting) currency, `WAYPOST_CURRENCY`. Its rate is 1 whatever the table says. */
  accountCurrency: string;
  /** Account-currency units for one unit of each currency, as decimal strings: `{ EUR: "1.10" }`. */
  rates: Readonly<Record<string, string>>;
}

/** Decimal places of the effective rate stored with a conversion; the amounts themselves use the exact rates. */
export const FX_RATE_PLACES = 10;

export type FxRatioResult = { ok: true; ratio: Ratio; rate: string } | { ok: false; error: DomainError };

/** Account-currency units per one unit of `currency`. */
function accountRate(currency: string, fx: FxTable): Ratio | FxRateMissingError {
  if (currency === fx.accountCurrency) return ONE;
  const stored = Object.hasOwn(fx.rates, currency) ? fx.rates[currency] : undefined;
  const rate = stored === undefined ? undefined : ratioOf(stored);
  // A zero or malformed rate cannot convert anything; it is as good as missing.
  if (rate === undefined || rate.numerator <= 0n) return new FxRateMissingError(currency, fx.accountCurrency);
  return rate;
}

/**
 * How many major units of `to` one major unit of `from` buys, through the account currency, as an exact ratio
 * (for chains that round once) and as the decimal string a conversion stores.
 */
export function fxRatio(from: string, to: string, fx: FxTable): FxRatioResult {
  if (from === to) return { ok: true, ratio: ONE, rate: '1' };
  const fromRate = accountRate(from, fx);
  if (fromRate instanceof DomainError) return { ok: false, error: fromRate };
  const toRate = accountRate(to, fx);
  if (toRate instanceof DomainError) return { ok: false, error: toRate };
  const value = divide(fromRate, toRate);
  return { ok: true, ratio: value, rate: formatRatio(value, FX_RATE_PLACES) };
}

/** The effective `from`→`to` rate (major units of `to` per major unit of `from`), to 10 decimals. */
export function fxRate(from: string, to: string, fx: FxTable): { ok: true; rate: string } | { ok: false; error: DomainError } {
  const result = fxRatio(from, to, fx);
  return result.ok ? { ok: true, rate: result.rate } : result;
}

export type ConvertMoneyResult = { ok: true; minor: number; rate: string } | { ok: false; error: DomainError };

/**
 * Converts integer minor units of `from` into minor units of `to` (JPY 0, USD 2 and KWD 3 decimals all respected),
 * through the account currency, rounding once, half away from zero.
 */
export function convertMoney(minor: number, from: string, to: string, fx: FxTable): ConvertMoneyResult {
  const fromExponent = exponentOf(from, 'currency');
  if (fromExponent instanceof DomainError) return { ok: false, error: fromExponent };
  const toExponent = exponentOf(to, 'currency');
  if (toExponent instanceof DomainError) return { ok: false, error: toExponent };
  const result = fxRatio(from, to, fx);
  if (!result.ok) return result;
  const converted = toMinorUnits(multiply(fromMinorUnits(minor, fromExponent), result.ratio), toExponent, 'amount');
  if (converted instanceof DomainError) return { ok: false, error: converted };
  return { ok: true, minor: converted, rate: result.rate };
}


/**
 * Quotes of a rates feed (units of each currency for one unit of `base`; the ECB quotes per euro) in the FX table's
 * terms: account-currency units for one unit of each currency, crossed through `base`, to 10 decimals. Undefined when
 * neither `base` nor the quotes have the account currency. The account currency is left out (its rate is always 1),
 * and so are quotes that are not positive decimals and rates that round to 0, which could price nothing.
 */
export function ratesFromQuotes(base: string, perBase: Readonly<Record<string, string>>, accountCurrency: string): Record<string, string> | undefined {
  const quote = (currency: string): Ratio | undefined => {
    if (currency === base) return ONE;
    const value = Object.hasOwn(perBase, currency) ? ratioOf(perBase[currency]!) : undefined;
    return value && value.numerator > 0n ? value : undefined;
  };
  const account = quote(accountCurrency);
  if (!account) return undefined;
  const rates: Record<string, string> = {};
  for (const currency of [base, ...Object.keys(perBase)]) {
    const perUnit = quote(currency);
    if (currency === accountCurrency || !perUnit) continue;
    const rate = formatRatio(divide(account, perUnit), FX_RATE_PLACES);
    if (ratioOf(rate)!.numerator > 0n) rates[currency] = rate;
  }
  return rates;
}
