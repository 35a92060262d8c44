import { POSTBACK_PARAM_ALIASES } from '@waypost/schema';
import { isUnfilledPlaceholder, withDecimalPoint } from './network-values.js';

/** A postback or pixel parameter under its canonical name (SPEC §5). */
export type CanonicalParam = keyof typeof POSTBACK_PARAM_ALIASES;
export type ConversionParams = Partial<Record<CanonicalParam, string>>;

export type ConversionParamsError = { ok: false; field: string; code: string; message: string };
export type NormalizeConversionParamsResult = { ok: true; params: ConversionParams; unknown: string[] } | ConversionParamsError;

export const MAX_PARAM_LENGTH = 1024;

const CANONICAL = new Map<string, CanonicalParam>(
  (Object.entries(POSTBACK_PARAM_ALIASES) as [CanonicalParam, readonly string[]][]).flatMap(([canonical, names]) =>
    names.map((name) => [name.toLowerCase(), canonical] as const),
  ),
);

function fail(field: string, code: string, message: string): ConversionParamsError {
  return { ok: false, field, code, message };
}

/**
 * A postback's or pixel's parameters under their canonical names, from Express's parsed query or a body. Names match
 * case-insensitively, aliases included. Values are trimmed; an empty one or an unfilled placeholder counts as absent,
 * and an amount or payout with a decimal comma gets a point. A parameter sent twice
 * with different values is refused rather than guessed at; parameters we do not know are listed, not refused, because
 * networks send extras.
 */
export function normalizeConversionParams(input: Record<string, unknown>): NormalizeConversionParamsResult {
  const params: ConversionParams = {};
  const unknown: string[] = [];
  const givenAs = new Map<CanonicalParam, string>();
  for (const [name, raw] of Object.entries(input)) {
    const canonical = CANONICAL.get(name.toLowerCase());
    if (!canonical) {
      unknown.push(name);
      continue;
    }
    if (Array.isArray(raw)) {
      return fail(canonical, 'repeated_parameter', `${canonical} is given more than once; send it once`);
    }
    if (raw !== null && typeof raw === 'object') {
      return fail(canonical, 'invalid_parameter', `${canonical} must be a plain value, not a nested object`);
    }
    if (raw == null) continue;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      return fail(canonical, 'invalid_parameter', `${canonical} must be a string or a number`);
    }
    const value = String(raw).trim();
    if (value.length > MAX_PARAM_LENGTH) {
      return fail(canonical, 'parameter_too_long', `${canonical} is longer than ${MAX_PARAM_LENGTH} characters`);
    }
    if (value === '' || isUnfilledPlaceholder(value)) continue;
    const read = canonical === 'amount' || canonical === 'payout' ? withDecimalPoint(value) : value;
    const earlier = params[canonical];
    if (earlier !== undefined && earlier !== read) {
      const names = `"${givenAs.get(canonical) ?? canonical}" and "${name}"`;
      return fail(canonical, 'repeated_parameter', `${canonical} is given twice with different values, as ${names}; send it once`);
    }
    params[canonical] = read;
    givenAs.set(canonical, name);
  }
  return { ok: true, params, unknown };
}

const REDACTED = '[redacted]';
const MAX_LOGGED_KEYS = 50;
const MAX_LOGGED_LENGTH = 256;
const MAX_LOGGED_DEPTH = 3;

function logValue(value: unknown, depth: number): unknown {
  if (value == null) return null;
  if (typeof value === 'string') return value.slice(0, MAX_LOGGED_LENGTH);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object') return String(value).slice(0, MAX_LOGGED_LENGTH);
  if (depth >= MAX_LOGGED_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_KEYS).map((item) => logValue(item, depth + 1));
  return redactEntries(value as Record<string, unknown>, depth + 1);
}

function redactEntries(input: Record<string, unknown>, depth: number): Record<string, unknown> {
  // fromEntries defines own properties, so a "__proto__" parameter is logged as data instead of changing the prototype.
  return Object.fromEntries(
    Object.entries(input)
      .slice(0, MAX_LOGGED_KEYS)
      .map(([key, value]) => [
        key.slice(0, MAX_LOGGED_LENGTH),
        key.toLowerCase() === 'token' ? REDACTED : logValue(value, depth),
      ]),
  );
}

/**
 * The parameters as the postback log keeps them: JSON-safe, the token (under any case, at any depth) replaced by
 * "[redacted]", every string cut to 256 characters, at most 50 keys or items per object or array, nesting cut
 * below 3 levels.
 */
export function redactParams(input: Record<string, unknown>): Record<string, unknown> {
  return redactEntries(input, 0);
}
