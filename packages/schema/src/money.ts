import { currencyExponent } from './currencies.js';

/**
 * Exact decimal arithmetic for money. Amounts travel as decimal strings in major units and are stored as
 * integer minor units; nothing here goes through floating point.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
/** Amounts beyond this many minor units cannot be represented exactly by a JS number. */
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

export type DecimalParse =
  | { ok: true; negative: boolean; digits: bigint; scale: number }
  | { ok: false; message: string };

/** Normalises a string or number input into a canonical decimal string, or explains why it is not one. */
export function toDecimalString(input: unknown): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: 'must be a finite number' };
    // String() gives the shortest round-trip form, so 49.9 stays "49.9"; exponent forms are rejected below.
    input = String(input);
  }
  if (typeof input !== 'string') return { ok: false, message: 'must be a decimal string such as "49.90"' };
  const value = input.trim();
  if (value.length === 0) return { ok: false, message: 'must not be empty' };
  if (value.length > 40) return { ok: false, message: 'is too long' };
  if (!DECIMAL.test(value)) return { ok: false, message: `"${truncate(value)}" is not a plain decimal number such as "49.90"` };
  return { ok: true, value };
}

export function parseDecimal(input: unknown): DecimalParse {
  const normal = toDecimalString(input);
  if (!normal.ok) return normal;
  const match = DECIMAL.exec(normal.value)!;
  const fraction = match[3] ?? '';
  return {
    ok: true,
    negative: match[1] === '-',
    digits: BigInt((match[2] ?? '0') + fraction),
    scale: fraction.length,
  };
}

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

/**
 * Parses a decimal amount into integer minor units of `currency`.
 * Rejects negative amounts unless `allowNegative`, and amounts with more fraction digits than the currency has.
 */
export function parseMoney(input: unknown, currency: string, options: { allowNegative?: boolean } = {}): MoneyParse {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return { ok: false, message: `unknown ISO 4217 currency "${truncate(currency)}"` };
  const parsed = parseDecimal(input);
  if (!parsed.ok) return parsed;
  if (parsed.negative && parsed.digits !== 0n && !options.allowNegative) {
    return { ok: false, message: 'must not be negative' };
  }
  let { digits, scale } = parsed;
  // Trailing zeros beyond the exponent are harmless ("49.900" USD is 49.90).
  while (scale > exponent && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  if (scale > exponent) {
    return { ok: false, message: `has more than ${exponent} decimal place${exponent === 1 ? '' : 's'}, the most ${currency} allows` };
  }
  const minor = digits * 10n ** BigInt(exponent - scale);
  if (minor > MAX_MINOR) return { ok: false, message: 'is too large' };
  return { ok: true, minor: Number(parsed.negative ? -minor : minor) };
}

/** Millionths of a unit per unit: costs are kept this fine because a click can cost $0.0004. */
const MICROS_PER_UNIT = 1_000_000n;

/**
 * Parses a non-negative decimal amount into integer millionths of a unit ("0.0004" → 400), whatever the currency's
 * exponent: a per-click cost is finer than any currency's minor unit. At most 6 decimal places.
 */
export function parseMicros(input: unknown): { ok: true; micros: number } | { ok: false; message: string } {
  const parsed = parseDecimal(input);
  if (!parsed.ok) return parsed;
  if (parsed.negative && parsed.digits !== 0n) return { ok: false, message: 'must not be negative' };
  let { digits, scale } = parsed;
  while (scale > 6 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  if (scale > 6) return { ok: false, message: 'has more than 6 decimal places (costs are kept in millionths of a unit)' };
  const micros = (digits * MICROS_PER_UNIT) / 10n ** BigInt(scale);
  if (micros > MAX_MINOR) return { ok: false, message: 'is too large' };
  return { ok: true, micros: Number(micros) };
}

/** Formats millionths of a unit as the shortest decimal string: 400 → "0.0004", 1500000 → "1.5", 2000000 → "2". */
export function formatMicros(micros: number): string {
  const negative = micros < 0;
  const digits = String(Math.abs(micros)).padStart(7, '0');
  const whole = digits.slice(0, -6);
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Formats integer minor units as a decimal string in major units: 4990 USD → "49.90", 500 JPY → "500". */
export function formatMoney(minor: number, currency: string): string {
  const exponent = currencyExponent(currency) ?? 2;
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Divides two bigints, rounding half away from zero: the one rounding rule of Waypost. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

function truncate(value: string): string {
  return value.length > 24 ? `${value.slice(0, 24)}…` : value;
}
