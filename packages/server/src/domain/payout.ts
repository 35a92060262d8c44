import type { Offer, PersonalPayout } from '@waypost/schema';
import { DomainError } from './errors.js';
import { fxRatio, type FxTable } from './fx.js';
import { exponentOf, multiply, ratio, ratioOf, toMinorUnits, type Ratio } from './money.js';

/** What the payout engine reads of an offer. */
export type PayoutOffer = Pick<Offer, 'currency' | 'payout' | 'revenue'>;

/** What the payout engine reads of a personal payout. Amounts are decimal strings in the offer currency. */
export type PersonalPayoutRule = Pick<PersonalPayout, 'id' | 'publisherId' | 'couponCode' | 'amount' | 'percent'>;

/** Which rule set a payout, in order of precedence. */
export type PayoutRuleSource = 'personal_coupon_publisher' | 'personal_coupon' | 'personal_publisher' | 'geo' | 'offer';

/** The rule that applies to one conversion, click or impression: exactly what precedence picked. */
export interface PayoutRuleMatch {
  source: PayoutRuleSource;
  /** A decimal string in the offer currency, or null when the rule pays a percent or (auto mode) nothing fixed. */
  amount: string | null;
  /** A decimal string, 0–100, share of the sale amount. */
  percent: string | null;
  /** The personal payout that matched, for the record. */
  personalPayoutId: string | null;
}

/** Who and where a payout is for. Any field may be missing: a click has no coupon, a coupon-only sale no country. */
export interface PayoutTarget {
  publisherId?: string | null | undefined;
  /** Matched case-insensitively, as promo codes are. */
  couponCode?: string | null | undefined;
  /** ISO 3166 alpha-2; matched case-insensitively. */
  country?: string | null | undefined;
}

const sameCode = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && a.toUpperCase() === b.toUpperCase();

/**
 * Picks the payout rule by precedence, first match wins: personal payout for this coupon and publisher,
 * for this coupon, for this publisher; geo payout for the country; the offer's payout. Among personal payouts of
 * the same level the first in `personalPayouts` wins, so pass them in creation order.
 */
export function selectPayoutRule(
  offer: Pick<Offer, 'payout'>,
  target: PayoutTarget,
  personalPayouts: readonly PersonalPayoutRule[],
): PayoutRuleMatch {
  const { publisherId, couponCode, country } = target;
  const levels: [PayoutRuleSource, (personal: PersonalPayoutRule) => boolean][] = [
    ['personal_coupon_publisher', (p) => sameCode(p.couponCode, couponCode) && publisherId != null && p.publisherId === publisherId],
    ['personal_coupon', (p) => sameCode(p.couponCode, couponCode) && p.publisherId === null],
    ['personal_publisher', (p) => p.couponCode === null && publisherId != null && p.publisherId === publisherId],
  ];
  for (const [source, matches] of levels) {
    const personal = personalPayouts.find(matches);
    if (personal) return { source, amount: personal.amount, percent: personal.percent, personalPayoutId: personal.id };
  }
  const geo = country == null ? undefined : offer.payout.geo?.find((entry) => entry.countries.some((code) => sameCode(code, country)));
  if (geo) return { source: 'geo', amount: geo.amount ?? null, percent: geo.percent ?? null, personalPayoutId: null };
  return { source: 'offer', amount: offer.payout.amount ?? null, percent: offer.payout.percent ?? null, personalPayoutId: null };
}

/** The money fields of a conversion, as sent (decimal strings in major units of `currency`). */
export interface ConversionMoney extends PayoutTarget {
  /** The sale amount, base of percent payouts and revenues. */
  amount?: string | null | undefined;
  /** The payout reported with the conversion; replaces the rule amount in `auto` mode. */
  payout?: string | null | undefined;
  /** A revenue reported with the conversion, for `auto` revenue. Without it, `payout` stands in. */
  revenue?: string | null | undefined;
  /** Currency of amount, payout and revenue. @default the offer currency */
  currency?: string | null | undefined;
}

/** Why a payout is 0 although the rule would pay: the conversion is still recorded, with this reason. */
export type PayoutReason = 'amount_missing' | 'payout_missing';

export interface ConversionPayout {
  /** Minor units of the offer currency. */
  payout: number;
  /** Minor units of the offer currency; 0 without a revenue rule. */
  revenue: number;
  /** revenue − payout, minor units of the offer currency; may be negative. */
  profit: number;
  /** The sale amount converted into the offer currency (minor units); null without a sale amount or a rate. */
  amount: number | null;
  /** Conversion currency → offer currency rate used, to 10 decimals; null when both are the same currency. */
  fxRate: string | null;
  reason: PayoutReason | null;
  rule: PayoutRuleMatch;
}

export type ConversionPayoutResult = ({ ok: true } & ConversionPayout) | { ok: false; error: DomainError };

const ZERO: Ratio = { numerator: 0n, denominator: 1n };
const PERCENT: Ratio = ratio(1n, 100n);

/** A value sent with the conversion; invalid input is the caller's 422, not a crash. */
function sentRatio(value: string | null | undefined, field: string): Ratio | null | DomainError {
  if (value == null) return null;
  const parsed = ratioOf(value);
  if (parsed === undefined || parsed.numerator < 0n) {
    return new DomainError('invalid_amount', `"${value.slice(0, 24)}" is not a non-negative decimal amount such as "49.90"`, field);
  }
  return parsed;
}

/** A value stored on the offer or a personal payout; those were checked on write, so a bad one is a server fault. */
function storedRatio(value: string, field: string): Ratio {
  const parsed = ratioOf(value);
  if (parsed === undefined) throw new Error(`stored ${field} "${value}" is not a decimal`);
  return parsed;
}

type Money = { major: Ratio; reason: PayoutReason | null };

/**
 * The amount a rule pays, in offer-currency major units, not yet rounded. `inOffer` converts a value sent in the
 * conversion currency, and fails only when a rate is really needed.
 */
function ruleMoney(
  mode: 'fixed' | 'auto',
  rule: { amount?: string | null | undefined; percent?: string | null | undefined },
  sent: Ratio | null,
  sale: Ratio | null,
  inOffer: (value: Ratio) => Ratio | DomainError,
  missing: PayoutReason | null,
): Money | DomainError {
  if (mode === 'auto' && sent !== null) {
    const major = inOffer(sent);
    return major instanceof DomainError ? major : { major, reason: null };
  }
  if (rule.percent != null) {
    if (sale === null) return { major: ZERO, reason: 'amount_missing' };
    const major = inOffer(sale);
    return major instanceof DomainError ? major : { major: multiply(major, storedRatio(rule.percent, 'percent'), PERCENT), reason: null };
  }
  if (rule.amount != null) return { major: storedRatio(rule.amount, 'amount'), reason: null };
  return { major: ZERO, reason: missing };
}

/**
 * The payout, revenue and profit of one conversion (or rebill), in integer minor units of the offer currency.
 * Each figure is one exact chain (sale × rate × percent), rounded once, half away from zero.
 * CPC and CPM conversions carry payout 0: those models pay for clicks and impressions.
 */
export function computeConversionPayout(
  offer: PayoutOffer,
  conversion: ConversionMoney,
  personalPayouts: readonly PersonalPayoutRule[],
  fx: FxTable,
): ConversionPayoutResult {
  const offerExponent = exponentOf(offer.currency, 'currency');
  if (offerExponent instanceof DomainError) throw offerExponent;
  const currency = conversion.currency ?? offer.currency;
  const unknownCurrency = exponentOf(currency, 'currency');
  if (unknownCurrency instanceof DomainError) return { ok: false, error: unknownCurrency };

  const sale = sentRatio(conversion.amount, 'amount');
  if (sale instanceof DomainError) return { ok: false, error: sale };
  const sentPayout = sentRatio(conversion.payout, 'payout');
  if (sentPayout instanceof DomainError) return { ok: false, error: sentPayout };
  const sentRevenue = sentRatio(conversion.revenue, 'revenue');
  if (sentRevenue instanceof DomainError) return { ok: false, error: sentRevenue };

  const toOffer = fxRatio(currency, offer.currency, fx);
  const inOffer = (value: Ratio) => (toOffer.ok ? multiply(value, toOffer.ratio) : toOffer.error);

  const rule = selectPayoutRule(offer, conversion, personalPayouts);
  const { model, mode } = offer.payout;
  const payout: Money | DomainError =
    model === 'cpc' || model === 'cpm'
      ? { major: ZERO, reason: null }
      : ruleMoney(mode, rule, sentPayout, sale, inOffer, 'payout_missing');
  if (payout instanceof DomainError) return { ok: false, error: payout };

  // The advertiser pays per conversion whatever the publisher's model: a buyer may pay CPC and earn CPA.
  const revenue: Money | DomainError = offer.revenue
    ? ruleMoney(offer.revenue.mode, offer.revenue, sentRevenue ?? sentPayout, sale, inOffer, null)
    : { major: ZERO, reason: null };
  if (revenue instanceof DomainError) return { ok: false, error: revenue };

  const payoutMinor = toMinorUnits(payout.major, offerExponent, 'payout');
  if (payoutMinor instanceof DomainError) return { ok: false, error: payoutMinor };
  const revenueMinor = toMinorUnits(revenue.major, offerExponent, 'revenue');
  if (revenueMinor instanceof DomainError) return { ok: false, error: revenueMinor };
  // The converted sale amount is kept for the record; without a rate it is left out rather than refusing a sale
  // whose payout does not depend on it.
  const amountMinor = sale !== null && toOffer.ok ? toMinorUnits(multiply(sale, toOffer.ratio), offerExponent, 'amount') : null;
  if (amountMinor instanceof DomainError) return { ok: false, error: amountMinor };

  return {
    ok: true,
    payout: payoutMinor,
    revenue: revenueMinor,
    profit: revenueMinor - payoutMinor,
    amount: amountMinor,
    fxRate: currency !== offer.currency && toOffer.ok ? toOffer.rate : null,
    reason: payout.reason ?? revenue.reason,
    rule,
  };
}

/**
 * The payout of one click on a CPC offer, booked at click time, in minor units of the offer currency; 0 for other
 * models. A click has no coupon and no sale, so coupon overrides never match and a percent rule pays 0.
 */
export function clickPayout(
  offer: Pick<Offer, 'currency' | 'payout'>,
  click: Pick<PayoutTarget, 'publisherId' | 'country'>,
  personalPayouts: readonly PersonalPayoutRule[],
): number {
  if (offer.payout.model !== 'cpc') return 0;
  const rule = selectPayoutRule(offer, { publisherId: click.publisherId, country: click.country }, personalPayouts);
  return unitPayout(1n, 1n, rule, offer.currency);
}

/**
 * What `impressions` impressions pay under a CPM rule: impressions × amount / 1000, rounded once. Reports call it
 * once per period (and per rule), never per impression, so that fractions of a minor unit add up.
 */
export function impressionPayout(impressions: number, rule: Pick<PayoutRuleMatch, 'amount'>, currency: string): number {
  if (!Number.isSafeInteger(impressions) || impressions < 0) throw new RangeError(`impressions must be a non-negative integer, got ${impressions}`);
  return unitPayout(BigInt(impressions), 1000n, rule, currency);
}

/** `count` units paid `amount` per `per` units (a click: 1 per 1; impressions: per 1000), rounded once. */
function unitPayout(count: bigint, per: bigint, rule: Pick<PayoutRuleMatch, 'amount'>, currency: string): number {
  if (rule.amount == null) return 0;
  const exponent = exponentOf(currency, 'currency');
  if (exponent instanceof DomainError) throw exponent;
  const minor = toMinorUnits(multiply(storedRatio(rule.amount, 'amount'), ratio(count, per)), exponent, 'payout');
  if (minor instanceof DomainError) throw minor;
  return minor;
}
