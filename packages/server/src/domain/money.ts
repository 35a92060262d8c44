import { currencyExponent, divideRounded, parseDecimal } from '@waypost/schema';
import { DomainError } from './errors.js';

/**
 * Exact rationals for chains of money math (sale × rate × percent). Private to domain/: the rest of the server
 * uses the decimal helpers of @waypost/schema. A whole chain is one ratio, rounded once by `toMinorUnits`.
 */
export interface Ratio {
  readonly numerator: bigint;
  /** Always positive. */
  readonly denominator: bigint;
}

export const ONE: Ratio = { numerator: 1n, denominator: 1n };
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

/** A decimal string ("49.90") as an exact ratio, or undefined when it is not one. */
export function ratioOf(value: string): Ratio | undefined {
  const parsed = parseDecimal(value);
  if (!parsed.ok) return undefined;
  return { numerator: parsed.negative ? -parsed.digits : parsed.digits, denominator: 10n ** BigInt(parsed.scale) };
}

export function ratio(numerator: bigint, denominator: bigint): Ratio {
  if (denominator === 0n) throw new RangeError('division by zero');
  return denominator < 0n ? { numerator: -numerator, denominator: -denominator } : { numerator, denominator };
}

export function multiply(...factors: Ratio[]): Ratio {
  return factors.reduce((product, factor) => ({
    numerator: product.numerator * factor.numerator,
    denominator: product.denominator * factor.denominator,
  }), ONE);
}

export function divide(dividend: Ratio, divisor: Ratio): Ratio {
  return ratio(dividend.numerator * divisor.denominator, dividend.denominator * divisor.numerator);
}

/** Rounds a ratio to `places` decimals, half away from zero, and writes it without trailing zeros ("1.1"). */
export function formatRatio(value: Ratio, places: number): string {
  const scaled = divideRounded(value.numerator * 10n ** BigInt(places), value.denominator);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The exponent of a currency, or a DomainError naming the field that carried it. */
export function exponentOf(currency: string, field: string): number | DomainError {
  const exponent = currencyExponent(currency);
  return exponent ?? new DomainError('unknown_currency', `unknown ISO 4217 currency "${currency.slice(0, 16)}"`, field);
}

/**
 * Major units of a currency (as a ratio) to integer minor units: the one rounding of a chain, half away from zero.
 * Fails rather than lose precision beyond Number.MAX_SAFE_INTEGER, where minor units are stored as numbers.
 */
export function toMinorUnits(major: Ratio, exponent: number, field: string): number | DomainError {
  const minor = divideRounded(major.numerator * 10n ** BigInt(exponent), major.denominator);
  if (minor > MAX_MINOR || minor < -MAX_MINOR) return new DomainError('amount_too_large', 'is too large', field);
  return Number(minor);
}

/** Integer minor units back to major units, exactly. */
export function fromMinorUnits(minor: number | bigint, exponent: number): Ratio {
  return { numerator: BigInt(minor), denominator: 10n ** BigInt(exponent) };
}
