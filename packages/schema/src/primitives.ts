import { z } from 'zod';
import { isCurrencyCode } from './currencies.js';
import { parseDecimal, parseMoney, toDecimalString } from './money.js';

/** An opaque, URL-safe identifier. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_"');

/** An ISO 8601 UTC timestamp, as every time travels on the wire. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** A calendar date, `YYYY-MM-DD`. */
export const DateSchema = z.iso.date();

/** An ISO 4217 currency code; lower case is accepted and upper-cased, unknown codes are refused. */
export const CurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    if (!isCurrencyCode(code)) ctx.addIssue({ code: 'custom', message: `unknown ISO 4217 currency "${code.slice(0, 16)}"` });
  });

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA timezone name such as `Europe/Berlin`. */
export const TimezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .superRefine((name, ctx) => {
    if (!isTimezone(name)) ctx.addIssue({ code: 'custom', message: `unknown IANA timezone "${name.slice(0, 64)}"` });
  });

/** An ISO 3166-1 alpha-2 country code; lower case is accepted and upper-cased. */
export const CountrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code');

/**
 * A money amount in major units. Accepts a decimal string ("49.90") or a number (49.9) and yields the canonical
 * decimal string. Whether the fraction fits the currency is checked where the currency is known.
 */
export const DecimalSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = toDecimalString(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.value;
});

/** A non-negative amount in major units. */
export const AmountSchema = DecimalSchema.superRefine((value, ctx) => {
  const parsed = parseDecimal(value);
  if (parsed.ok && parsed.negative && parsed.digits !== 0n) ctx.addIssue({ code: 'custom', message: 'must not be negative' });
});

/** A percentage between 0 and 100 with at most 4 decimal places, as a decimal string. */
export const PercentSchema = DecimalSchema.superRefine((value, ctx) => {
  const parsed = parseDecimal(value);
  if (!parsed.ok) return;
  if (parsed.negative && parsed.digits !== 0n) ctx.addIssue({ code: 'custom', message: 'must not be negative' });
  else if (parsed.scale > 4) ctx.addIssue({ code: 'custom', message: 'must have at most 4 decimal places' });
  else if (parsed.digits > 100n * 10n ** BigInt(parsed.scale)) ctx.addIssue({ code: 'custom', message: 'must be at most 100' });
});

/** A positive exchange rate with at most 10 decimal places. */
export const RateSchema = DecimalSchema.superRefine((value, ctx) => {
  const parsed = parseDecimal(value);
  if (!parsed.ok) return;
  if (parsed.negative || parsed.digits === 0n) ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
  else if (parsed.scale > 10) ctx.addIssue({ code: 'custom', message: 'must have at most 10 decimal places' });
});

/** Why `amount` does not fit `currency` (too many decimals, negative, too large), or undefined when it does. */
export function moneyIssue(amount: unknown, currency: string, options: { allowNegative?: boolean } = {}): string | undefined {
  const parsed = parseMoney(amount, currency, options);
  return parsed.ok ? undefined : parsed.message;
}

/** Adds an issue at `path` when `amount` does not fit `currency`; skipped while either is unknown. */
export function checkMoney(
  ctx: z.RefinementCtx,
  amount: string | undefined | null,
  currency: string | undefined | null,
  path: (string | number)[],
  options: { allowNegative?: boolean } = {},
): void {
  if (amount == null || currency == null || !isCurrencyCode(currency)) return;
  const message = moneyIssue(amount, currency, options);
  if (message) ctx.addIssue({ code: 'custom', path, message });
}

/**
 * Whether a URL template has a macro (or a brace, or an encoded one) before its path: in the scheme, user info, host or
 * port. Tabs and line breaks are dropped first, as URL parsers drop them.
 */
export function hasMacroBeforePath(template: string): boolean {
  const text = template.replace(/[\t\n\r]/g, '');
  const scheme = /^[\x00-\x20]*[A-Za-z][A-Za-z0-9+.-]*:[/\\]*/.exec(text)?.[0].length ?? 0;
  const authority = text.slice(scheme).search(/[/\\?#]/);
  const head = authority < 0 ? text : text.slice(0, scheme + authority);
  return /[{}]|%7B|%7D/i.test(head);
}

/**
 * An absolute http(s) URL that may contain `{macro}` placeholders in its path, query and fragment. Never in its
 * scheme, host or port (README, Security): whoever controls a macro's value (a visitor's sub id) would choose where the
 * server's requests go.
 */
export const UrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .superRefine((value, ctx) => {
    if (hasMacroBeforePath(value)) {
      ctx.addIssue({ code: 'custom', message: 'macros may only fill the path, query and fragment, not the scheme, host or port' });
      return;
    }
    try {
      const url = new URL(value.replace(/\{[^{}]*\}/g, 'x'));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as "https://example.com/page"' });
    }
  });

/** A browser origin such as `https://shop.example.com`, or `*`. */
export const OriginSchema = z
  .string()
  .trim()
  .max(255)
  .superRefine((value, ctx) => {
    if (value === '*') return;
    try {
      const url = new URL(value);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
        ctx.addIssue({ code: 'custom', message: 'must be an origin such as "https://shop.example.com"' });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an origin such as "https://shop.example.com"' });
    }
  });

export const EmailSchema = z.email().max(254);

/** A promo code: 3–32 characters of letters, digits, "-" and "_". */
export const CouponCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, 'must be 3–32 characters of letters, digits, "-" and "_"');

/** A short free-text label (sub ids, lead types, groups, tags). */
export const LabelSchema = z.string().trim().max(255);

export const ConversionStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export type ConversionStatus = z.infer<typeof ConversionStatusSchema>;

/** `limit` and `cursor`, shared by every list. */
export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(256).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** The envelope of every list response. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}
export interface List<T> {
  data: T[];
  nextCursor: string | null;
}

/** A boolean query parameter: `true`/`false`/`1`/`0`. */
export const QueryBooleanSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
