/**
 * Every macro an offer URL, a publisher postback URL or an e-mail template may use (README, The offer URL's macros).
 */
export const MACRO_NAMES = [
  'click_id',
  'offer_id',
  'publisher_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country_code',
  'device',
  'timestamp',
  'offer_static_url',
  'transaction_id',
  'amount',
  'payout',
  'currency',
  'status',
  'event',
  'coupon',
  // A traffic source's postback (README, Campaigns): the source's click id, the campaign, and the conversion's revenue.
  'external_id',
  'campaign_id',
  'revenue',
  // Keyword sets (README, Keyword sets): the click's keyword, and each keyword it drew.
  'keyword',
  'kw1',
  'kw2',
  'kw3',
  'kw4',
  'kw5',
] as const;
export type MacroName = (typeof MACRO_NAMES)[number];

export type MacroValues = Partial<Record<string, string | number | null | undefined>>;

export interface ExpandMacrosOptions {
  /** URL-encode each value (`encodeURIComponent`): true whenever the template is a URL. */
  encode: boolean;
}

const KNOWN: ReadonlySet<string> = new Set(MACRO_NAMES);

// `{name}`, the same placeholder percent-encoded by an editor or a URL builder, or a stray brace.
const PLACEHOLDER = /\{([^{}]*)\}|%7B([^{}/?#&=]*?)%7D|[{}]/gi;

/**
 * Fills `{name}` placeholders (names are case-insensitive). An unknown or empty macro becomes '' and stray braces are
 * dropped, so that no brace reaches a destination. Only the names in {@link MACRO_NAMES} expand: a value passed under
 * another name (a postback's `token`, say) can never leak into a URL. The template is scanned once, so a value that
 * itself looks like `{click_id}` is never expanded again.
 */
export function expandMacros(template: string, values: MacroValues, options: ExpandMacrosOptions): string {
  const lookup = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    const key = name.toLowerCase();
    if (KNOWN.has(key) && value != null && value !== '') lookup.set(key, String(value));
  }
  return template.replace(PLACEHOLDER, (_match, plain: string | undefined, encoded: string | undefined) => {
    const value = lookup.get((plain ?? encoded ?? '').trim().toLowerCase()) ?? '';
    return options.encode ? encodeURIComponent(value) : value;
  });
}

/** Adds `name=value` (both encoded) to a URL's query, before its fragment. */
export function appendQueryParam(url: string, name: string, value: string): string {
  const hashAt = url.indexOf('#');
  const base = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}${fragment}`;
}

/**
 * A URL template with its macros expanded and encoded, or null when the result is no longer an http(s) URL (a
 * template such as `{offer_static_url}` whose value is empty) and so must not be redirected to or called.
 */
export function expandUrl(template: string, values: MacroValues): string | null {
  const url = expandMacros(template, values, { encode: true }).trim();
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
