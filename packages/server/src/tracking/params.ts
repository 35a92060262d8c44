import { POSTBACK_PARAM_ALIASES } from '@waypost/schema';
import { isUnfilledPlaceholder, withDecimalPoint } from './network-values.js';

/** A postback or pixel parameter under its canonical name (README, Postback parameters and statuses). */
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
 * case-insensitively, aliases included, and so do the fixed names of the offer's network (`networkParams`, canonical
 * name to the name the network sends), which win over an alias of the same spelling. Values are trimmed; an empty one
 * or an unfilled placeholder counts as absent, and an amount or payout with a decimal comma gets a point. A parameter
 * sent twice with different values is refused rather than guessed at; parameters we do not know are listed, not
 * refused, because networks send extras.
 */
export function normalizeConversionParams(
  input: Record<string, unknown>,
  networkParams: Readonly<Partial<Record<CanonicalParam, string>>> = {},
): NormalizeConversionParamsResult {
  const params: ConversionParams = {};
  const unknown: string[] = [];
  const givenAs = new Map<CanonicalParam, string>();
  const fixed = new Map<string, CanonicalParam>(
    (Object.entries(networkParams) as [CanonicalParam, string | undefined][]).flatMap(([canonical, name]) =>
      name === undefined || canonical === 'token' ? [] : [[name.toLowerCase(), canonical] as const],
    ),
  );
  for (const [name, raw] of Object.entries(input)) {
    const canonical = fixed.get(name.toLowerCase()) ?? CANONICAL.get(name.toLowerCase());
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
/** What one postback-log entry keeps of its parameters, as UTF-8 JSON (README, Security): strangers can send them. */
export const MAX_LOGGED_BYTES = 4096;
/** The key that says how many parameters an entry left out. */
export const CUT_MARKER = '…';

function logValue(value: unknown, depth: number): unknown {
  if (value == null) return null;
  if (typeof value === 'string') return value.slice(0, MAX_LOGGED_LENGTH);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object') return String(value).slice(0, MAX_LOGGED_LENGTH);
  if (depth >= MAX_LOGGED_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_KEYS).map((item) => logValue(item, depth + 1));
  return redactEntries(Object.entries(value as Record<string, unknown>).slice(0, MAX_LOGGED_KEYS), depth + 1);
}

function redactEntry([key, value]: [string, unknown], depth: number): [string, unknown] {
  return [key.slice(0, MAX_LOGGED_LENGTH), key.toLowerCase() === 'token' ? REDACTED : logValue(value, depth)];
}

function redactEntries(entries: [string, unknown][], depth: number): Record<string, unknown> {
  // fromEntries defines own properties, so a "__proto__" parameter is logged as data instead of changing the prototype.
  return Object.fromEntries(entries.map((entry) => redactEntry(entry, depth)));
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const cutNote = (count: number) => `${count} more parameter${count === 1 ? '' : 's'}`;

/** The longest start of `text`, ended with "…", whose JSON takes at most `maxBytes`; undefined when none fits. */
function cutToBytes(text: string, maxBytes: number): string | undefined {
  if (jsonBytes(CUT_MARKER) > maxBytes) return undefined;
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(`${text.slice(0, middle)}${CUT_MARKER}`) <= maxBytes) low = middle;
    else high = middle - 1;
  }
  // Never end on half of a surrogate pair.
  const end = low > 0 && /[\uD800-\uDBFF]/.test(text[low - 1]!) ? low - 1 : low;
  return `${text.slice(0, end)}${CUT_MARKER}`;
}

/**
 * The parameters as the postback log keeps them: JSON-safe, the token (under any case, at any depth) replaced by
 * "[redacted]", every string cut to 256 characters, at most 50 keys or items per object or array, nesting cut
 * below 3 levels, and at most {@link MAX_LOGGED_BYTES} of JSON in all. The parameters Waypost reads (click id,
 * status, …) come first, so that extras cannot push them out. Parameters are kept in order while they fit, the
 * first that does not is shortened if it is a string, and the rest are left out; a last key "…" then says how many.
 */
export function redactParams(input: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(input);
  const known = entries.filter(([name]) => CANONICAL.has(name.toLowerCase()));
  const ordered = known.length === 0 ? entries : [...known, ...entries.filter(([name]) => !CANONICAL.has(name.toLowerCase()))];
  const redacted = ordered.slice(0, MAX_LOGGED_KEYS).map((entry) => redactEntry(entry, 0));
  // fromEntries defines own properties, so a "__proto__" parameter is logged as data instead of changing the prototype.
  if (redacted.length === entries.length) {
    const whole = Object.fromEntries(redacted);
    if (jsonBytes(whole) <= MAX_LOGGED_BYTES) return whole;
  }
  // Room is kept for the note at its longest, so that the entry stays within the budget once it is added.
  let room = MAX_LOGGED_BYTES - jsonBytes({ [CUT_MARKER]: cutNote(entries.length) });
  const kept: [string, unknown][] = [];
  for (const [key, value] of redacted) {
    // `"key":value,`: the note always comes last, so every kept pair is followed by a comma.
    const keyBytes = jsonBytes(key) + 2;
    const size = keyBytes + jsonBytes(value);
    if (size <= room) {
      kept.push([key, value]);
      room -= size;
      continue;
    }
    const shortened = typeof value === 'string' ? cutToBytes(value, room - keyBytes) : undefined;
    if (shortened !== undefined) kept.push([key, shortened]);
    break;
  }
  // A parameter shortened to fit counts as kept; the note counts the ones left out altogether.
  return Object.fromEntries([...kept, [CUT_MARKER, cutNote(entries.length - kept.length)]]);
}
