import { timingSafeEqual } from 'node:crypto';
import {
  ClickIdSchema,
  type ConversionResult,
  type ConversionStatus,
  CountrySchema,
  isCurrencyCode,
  type Offer,
  parseMoney,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import {
  capDay,
  offerTimezone,
  parsePostbackStatus,
  periodKey,
  transition,
} from '../domain/index.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { enqueueSideEffects } from '../outbox/enqueue.js';
import type { ClickRecord, ConversionIdentity, ConversionRecord, PostbackLogRecord, Repositories } from '../storage/store.js';
import { ipAllowed } from '../tracking/index.js';
import { campaignConversionFields, enqueueSourcePostback, isOwnTraffic, ownTrafficPrice } from './campaign-money.js';
import { loadFx, priceConversion } from './money.js';
import { bookConversion } from './rollups.js';

export type ConversionSource = ConversionRecord['source'];

/** One conversion report, from any channel, before it is checked. Strings are as received. */
export interface ConversionInput {
  source: ConversionSource;
  clickId?: string | undefined;
  couponCode?: string | undefined;
  offerId?: string | undefined;
  /** Manual transactions name their publisher. */
  publisherId?: string | undefined;
  transactionId?: string | undefined;
  event?: string | undefined;
  /** A raw status (postback aliases allowed); absent means the offer's default. */
  status?: string | undefined;
  amount?: string | undefined;
  currency?: string | undefined;
  payout?: string | undefined;
  country?: string | undefined;
  note?: string | undefined;
  /** Postbacks, and pixels that carry a token: the offer's token and the caller's address. */
  token?: string | undefined;
  /**
   * A postback from a webhook network whose secret decrypted or verified the notification: the id of that network,
   * which stands in for the offer's token on the offers of that network only.
   */
  verifiedNetworkId?: string | undefined;
  ip?: string | undefined;
}

export interface ConversionOutcome {
  httpStatus: number;
  result: ConversionResult;
  conversion?: ConversionRecord | undefined;
  offerId?: string | undefined;
  clickId?: string | undefined;
}

/** What a failed report knew before it failed, for the postback log. */
export class ConversionError extends ApiError {
  offerId?: string | undefined;
  clickId?: string | undefined;
}

function fail(status: number, code: string, field: string | undefined, message: string, known: { offerId?: string; clickId?: string } = {}): never {
  const error = new ConversionError(status, code, field ? `${field}: ${message}` : message, field ? [{ path: field, code, message }] : undefined);
  error.offerId = known.offerId;
  error.clickId = known.clickId;
  throw error;
}

export interface RecordOptions {
  /** A postback-log entry for the outcome, written in the conversion's own transaction so that both commit together. */
  log?: (outcome: ConversionOutcome) => PostbackLogRecord;
  /** More work in the conversion's own transaction, such as the audit entry of a manual transaction. */
  inTransaction?: (tx: Repositories, outcome: ConversionOutcome) => Promise<void>;
}

// Channels that carry a secret (the offer's token, an API key). The pixel joins them only with the offer's token.
const KEYED: readonly ConversionSource[] = ['postback', 'api', 'manual'];

/**
 * Records one conversion report: attribution, token and status checks, payout, dedupe, caps and thresholds, in one
 * transaction. Bad input throws a ConversionError (4xx); everything else answers with an outcome (README, Tracking
 * endpoints).
 */
export async function recordConversion(context: AppContext, input: ConversionInput, options: RecordOptions = {}): Promise<ConversionOutcome> {
  const outcome = await record(context, input, options);
  // Refused reports are counted by their channel (a postback rejection, or an API error answer), not here.
  context.metrics?.conversion(input.source, outcome.result.status);
  return outcome;
}

async function record(context: AppContext, input: ConversionInput, options: RecordOptions): Promise<ConversionOutcome> {
  const { store, config, clock } = context;
  const now = clock.now();

  // Attribution: the click, else the coupon's publisher (a click beats a coupon; the coupon is kept for reports).
  let click: ClickRecord | undefined;
  if (input.clickId !== undefined) {
    if (ClickIdSchema.safeParse(input.clickId).success) click = await store.clicks.get(input.clickId);
    if (!click) fail(404, 'unknown_click', 'click_id', `no click "${input.clickId.slice(0, 64)}"`, { clickId: input.clickId });
  } else if (input.couponCode === undefined && input.source !== 'manual') {
    fail(400, 'click_id_required', 'click_id', 'is required (or a coupon code with an offer id)');
  }
  const offerId = click?.offerId ?? input.offerId;
  if (!offerId) fail(400, 'offer_id_required', 'offer_id', 'is required for a conversion without a click');
  const offer = await store.offers.get(offerId);
  const known = { offerId, ...(click ? { clickId: click.id } : {}) };
  if (!offer) fail(404, 'unknown_offer', 'offer_id', `no offer "${offerId.slice(0, 64)}"`, known);

  // A pixel that carries a token is checked like a postback and, with the right one, trusted like one.
  const tokened = input.source === 'postback' || (input.source === 'pixel' && input.token !== undefined);
  if (tokened) {
    if (input.source === 'postback' && input.verifiedNetworkId !== undefined) {
      if (input.verifiedNetworkId !== offer.affiliateNetworkId) {
        fail(403, 'network_mismatch', 'click_id', 'belongs to an offer of another affiliate network', known);
      }
    } else if (!input.token || !safeEqual(input.token, offer.postbackToken)) fail(403, 'invalid_token', 'token', 'is missing or wrong', known);
    if (offer.postbackIpAllowlist.length > 0 && !(input.ip && ipAllowed(input.ip, offer.postbackIpAllowlist))) {
      fail(403, 'ip_not_allowed', undefined, `postbacks from ${input.ip ?? 'this address'} are not allowed for this offer`, known);
    }
  }

  let publisherId = click?.publisherId ?? null;
  const couponCode = input.couponCode ?? null;
  if (!click && couponCode !== null) {
    const code = await store.promoCodes.find(offer.id, couponCode);
    if (!code) fail(404, 'unknown_coupon', 'coupon', `no promo code "${couponCode.slice(0, 32)}" on this offer`, known);
    publisherId = code.publisherId;
  }
  // A manual transaction names its publisher or a coupon; a named publisher wins, as a click does.
  if (input.source === 'manual' && (input.publisherId !== undefined || couponCode === null)) {
    if (!input.publisherId || !(await store.publishers.get(input.publisherId))) fail(404, 'unknown_publisher', 'publisherId', 'no such publisher', known);
    publisherId = input.publisherId;
  }

  // Channels without a secret can be fired by anyone (README, Security): they never set a status or a payout, and never
  // change a conversion that exists; what they report is recorded with the offer's browserStatus, for the merchant to
  // decide.
  const trusted = KEYED.includes(input.source) || tokened;
  const reportedStatus = trusted ? input.status : undefined;
  const reportedPayout = trusted ? input.payout : undefined;
  const network = offer.affiliateNetworkId ? await store.affiliateNetworks.get(offer.affiliateNetworkId) : undefined;
  const defaultStatus = trusted ? offer.approval.defaultStatus : (offer.approval.browserStatus ?? 'pending');
  const parsedStatus = parsePostbackStatus(reportedStatus, { statusMap: network?.statusMap, defaultStatus });
  if (!parsedStatus.ok) fail(422, 'unknown_status', 'status', `"${(input.status ?? '').slice(0, 32)}" is not a known status`, known);
  const isRebill = parsedStatus.status === 'rebill';
  const status: ConversionStatus = parsedStatus.status === 'rebill' ? 'approved' : parsedStatus.status;

  const currency = (input.currency ?? offer.currency).toUpperCase();
  if (!isCurrencyCode(currency)) fail(422, 'unknown_currency', 'currency', `"${currency.slice(0, 16)}" is not an ISO 4217 currency`, known);
  const amount = input.amount === undefined ? null : parseMoney(input.amount, currency);
  if (amount && !amount.ok) fail(422, 'invalid_amount', 'amount', amount.message, known);
  const sentPayout = reportedPayout === undefined ? null : parseMoney(reportedPayout, currency);
  if (sentPayout && !sentPayout.ok) fail(422, 'invalid_amount', 'payout', sentPayout.message, known);
  let country = click?.country ?? null;
  if (input.country !== undefined) {
    const parsed = CountrySchema.safeParse(input.country);
    if (!parsed.success) fail(422, 'invalid_country', 'country', 'must be a two-letter ISO 3166 country code', known);
    country = parsed.data;
  }

  const fx = await loadFx(context);
  const priced = priceConversion(
    offer,
    { publisherId, couponCode, country, amount: input.amount ?? null, payout: reportedPayout ?? null, currency },
    await store.personalPayouts.allForOffer(offer.id),
    fx,
  );
  if (!priced.ok) fail(422, priced.error.code, priced.error.field ?? undefined, priced.error.message, known);
  // A campaign's own traffic has no publisher to pay (README, Campaigns: money on traffic without a publisher).
  const money = isOwnTraffic(click) ? ownTrafficPrice(offer, priced.price) : priced.price;
  const campaignSide = click?.campaignId ? await campaignConversionFields(store, click, { revenue: money.revenue, offerCurrency: offer.currency }, fx) : undefined;

  const transactionId = input.transactionId ?? null;
  const event = input.event ?? null;
  const conversion: ConversionRecord = {
    id: newId('cv_', now),
    offerId: offer.id,
    publisherId,
    clickId: click?.id ?? null,
    couponCode,
    transactionId,
    event,
    status,
    reason: money.reason,
    kind: 'conversion',
    // A pixel with the offer's token is a postback, and is recorded as one.
    source: tokened ? 'postback' : input.source,
    amount: amount?.ok ? amount.minor : null,
    currency,
    payout: money.payout,
    revenue: money.revenue,
    offerCurrency: offer.currency,
    fxRate: money.fxRate,
    payoutAccount: money.payoutAccount,
    revenueAccount: money.revenueAccount,
    amountAccount: money.amountAccount,
    payoutState: 'payable',
    thresholdPeriod: null,
    capDay: null,
    counted: false,
    country,
    sub1: click?.sub1 ?? null,
    sub2: click?.sub2 ?? null,
    sub3: click?.sub3 ?? null,
    sub4: click?.sub4 ?? null,
    sub5: click?.sub5 ?? null,
    note: input.note ?? null,
    paymentId: null,
    awaitingFx: money.awaitingFx,
    reportedPayout: sentPayout?.ok ? sentPayout.minor : null,
    clickAt: click?.createdAt ?? null,
    device: click?.device ?? null,
    createdAt: now,
    updatedAt: now,
    ...campaignSide?.fields,
    // Outside campaigns a click's keyword comes from the offer's keyword set (README, Keyword sets): reports by keyword
    // count its conversions under it too.
    ...(!campaignSide && click?.keyword ? { keyword: click.keyword } : {}),
  };
  // Identity (README, How conversions are decided): (offer, click, transaction id), else (offer, click, event).
  // Click-less conversions dedupe by transaction id only: a coupon is shared by many buyers. A report on a known
  // conversion that carries a sale amount or a payout (the sale after a lead) prices it anew.
  const repriced: MoneyFields =
    input.amount !== undefined || reportedPayout !== undefined
      ? (({ amount, currency, payout, revenue, fxRate, payoutAccount, revenueAccount, amountAccount, awaitingFx, reportedPayout, costAccount }) => ({
          amount, currency, payout, revenue, fxRate, payoutAccount, revenueAccount, amountAccount, awaitingFx, reportedPayout,
          ...(costAccount !== undefined ? { costAccount } : {}),
        }))(conversion)
      : {};
  const clickKey = click?.id ?? '-';
  const dedupeKey = transactionId !== null ? `tx:${transactionId}` : click ? `ev:${event ?? ''}` : `id:${conversion.id}`;

  const decide = async (tx: Repositories): Promise<ConversionOutcome> => {
    const twins = await tx.conversions.findTwins(offer.id, clickKey, dedupeKey);
    if (twins.sameKey) {
      if (!trusted) return { httpStatus: 200, result: { status: 'duplicate', conversionId: twins.sameKey.id } };
      // A rebill repriced keeps a rebill's cost (cpa charges the sale once).
      const money = twins.sameKey.kind === 'rebill' && campaignSide && repriced.costAccount !== undefined ? { ...repriced, costAccount: campaignSide.rebillCost } : repriced;
      return updateExisting(context, tx, offer, twins.sameKey, status, isRebill, money);
    }

    const primary = click && offer.duplicates !== 'allow' ? twins.primary : undefined;
    if (primary) {
      if (!trusted || offer.duplicates === 'ignore' || transactionId === null || status !== 'approved') {
        return { httpStatus: 200, result: { status: 'duplicate', conversionId: primary.id, reason: 'click_already_converted' } };
      }
      const rebill = await admit(
        context,
        tx,
        offer,
        { ...conversion, kind: 'rebill', ...(campaignSide ? { costAccount: campaignSide.rebillCost } : {}) },
        { clickKey, dedupeKey, isPrimary: false },
      );
      return { httpStatus: 200, result: { status: 'rebill', conversionId: rebill.id, ...replyReason(rebill) }, conversion: rebill };
    }

    const isPrimary = click !== undefined && offer.duplicates !== 'allow';
    const admitted = await admit(context, tx, offer, conversion, { clickKey, dedupeKey, isPrimary });
    return {
      httpStatus: 200,
      result: {
        status: admitted.status === 'rejected' ? 'rejected' : 'accepted',
        conversionId: admitted.id,
        ...replyReason(admitted),
      },
      conversion: admitted,
    };
  };

  const ids = { offerId: offer.id, clickId: click?.id };
  try {
    return await store.transaction(async (tx): Promise<ConversionOutcome> => {
      const outcome = { ...(await decide(tx)), ...ids };
      if (options.log) await tx.postbackLog.insert(options.log(outcome));
      if (options.inTransaction) await options.inTransaction(tx, outcome);
      return outcome;
    });
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
    // A concurrent twin got there first (the unique keys decided, and everything this report counted was rolled
    // back); answer as the twin's duplicate.
    const twins = await store.conversions.findTwins(offer.id, clickKey, dedupeKey);
    const twin = twins.sameKey ?? twins.primary;
    const outcome: ConversionOutcome = { httpStatus: 200, result: { status: 'duplicate', ...(twin ? { conversionId: twin.id } : {}) }, ...ids };
    if (options.log) await store.postbackLog.insert(options.log(outcome));
    return outcome;
  }
}

/** Thrown inside the transaction when the unique keys refused the insert, so that what it counted rolls back. */
class LostRace extends Error {}

/**
 * Counts a new conversion against the caps and the threshold, stores it, and books it in the rollups. It is counted
 * before it is inserted, so that it is written once, in its final state; when the insert loses to a concurrent twin,
 * LostRace rolls the counting back with the rest of the transaction.
 */
async function admit(context: AppContext, tx: Repositories, offer: Offer, candidate: ConversionRecord, identity: ConversionIdentity): Promise<ConversionRecord> {
  const { config } = context;
  const conversion = { ...candidate };
  if (conversion.status !== 'rejected') {
    if (conversion.kind === 'conversion') {
      // The cap is checked and counted in one statement per scope, so concurrent conversions cannot pass it.
      const day = capDay(offer, conversion.createdAt, config.timezone).key;
      const withinCap = await tx.counters.incrementAll([
        { scope: `cap:${offer.id}:day:${day}`, limit: offer.cap?.daily },
        { scope: `cap:${offer.id}:total`, limit: offer.cap?.total },
      ]);
      if (withinCap) {
        conversion.capDay = day;
        conversion.counted = true;
      } else {
        conversion.status = 'rejected';
        conversion.reason = 'cap_reached';
      }
    }
    const threshold = offer.payout.threshold;
    if (threshold && conversion.publisherId && conversion.status !== 'rejected') {
      const period = periodKey(conversion.createdAt, threshold.period, offerTimezone(offer, config.timezone));
      const scope = `thr:${offer.id}:${conversion.publisherId}:${period}`;
      conversion.thresholdPeriod = period;
      // The counter row also serialises concurrent conversions of one publisher's period.
      const state = conversion.kind === 'conversion' ? await tx.counters.increment(scope) : ((await tx.counters.get(scope)) ?? { count: 0, released: false });
      if (state.released) conversion.payoutState = 'payable';
      else if (conversion.kind === 'conversion' && state.count >= threshold.count && (await tx.counters.release(scope))) {
        await tx.conversions.releaseThreshold(offer.id, conversion.publisherId, period, conversion.createdAt);
        conversion.payoutState = 'payable';
      } else conversion.payoutState = 'accruing';
    }
  }
  if (!(await tx.conversions.insert({ ...conversion, ...identity }))) throw new LostRace();
  await bookConversion(tx, config.timezone, conversion, 1);
  // Side effects (README, Publisher postbacks and e-mails): an accepted conversion notifies the publisher and e-mails;
  // one over the cap does not.
  if (conversion.status !== 'rejected') {
    await enqueueSideEffects(context, tx, offer, conversion, 'conversion');
    await enqueueSourcePostback(context, tx, offer, conversion, 'conversion');
  }
  return conversion;
}

async function updateExisting(
  context: AppContext,
  tx: Repositories,
  offer: Offer,
  existing: ConversionRecord,
  status: ConversionStatus,
  isRebill: boolean,
  repriced: MoneyFields,
): Promise<ConversionOutcome> {
  const outcome = isRebill ? 'duplicate' : transition(existing.status, status);
  if (outcome === 'duplicate') return { httpStatus: 200, result: { status: 'duplicate', conversionId: existing.id } };
  if (outcome === 'conflict') {
    fail(409, 'invalid_transition', 'status', `a ${existing.status} conversion cannot become ${status}`, { offerId: offer.id });
  }
  const updated = await changeStatus(context, tx, offer, existing, status, null, repriced);
  return { httpStatus: 200, result: { status: 'updated', conversionId: updated.id, ...replyReason(updated) }, conversion: updated };
}

/**
 * Why the reply's conversion earns less than its rule says: its own reason (`cap_reached`, `amount_missing`…), else
 * `fx_rate_missing` while its money waits for a rate, so that the sender learns the sale is kept but not priced yet.
 */
function replyReason(conversion: ConversionRecord): { reason?: string } {
  const reason = conversion.reason ?? (conversion.awaitingFx ? 'fx_rate_missing' : null);
  return reason ? { reason } : {};
}

/** The money of a conversion, which a later report with an amount or a payout may set anew. */
type MoneyFields = Partial<
  Pick<
    ConversionRecord,
    | 'amount' | 'currency' | 'payout' | 'revenue' | 'fxRate' | 'payoutAccount' | 'revenueAccount' | 'amountAccount' | 'awaitingFx' | 'reportedPayout'
    | 'costAccount'
  >
>;

/**
 * Applies an allowed status transition: a rejection gives back the conversion's place in the caps and, before
 * release, in the threshold; the rollups move the conversion (and, when `money` reprices it, its money) between
 * status columns.
 */
export async function changeStatus(
  { config, clock }: AppContext,
  tx: Repositories,
  offer: Offer,
  existing: ConversionRecord,
  status: ConversionStatus,
  reason: string | null,
  money: MoneyFields = {},
): Promise<ConversionRecord> {
  const updated: ConversionRecord = { ...existing, ...money, status, reason: reason ?? (status === 'rejected' ? existing.reason : null), updatedAt: clock.now() };
  const givesBack = status === 'rejected' && existing.counted;
  if (givesBack) updated.counted = false;
  const { reason: newReason, counted, updatedAt } = updated;
  // Also unchanged money: a conversion priced meanwhile by engine/fx-rates.ts must not be moved with its old money.
  const expected = { status: existing.status, awaitingFx: existing.awaitingFx };
  if (!(await tx.conversions.update(existing.id, { ...money, status, reason: newReason, counted, updatedAt }, expected))) {
    throw new ApiError(409, 'conversion_changed', 'the conversion changed while this request ran; send it again');
  }
  if (givesBack) {
    if (existing.capDay) {
      await tx.counters.decrement(`cap:${offer.id}:day:${existing.capDay}`);
      await tx.counters.decrement(`cap:${offer.id}:total`);
    }
    if (existing.thresholdPeriod && existing.publisherId && existing.kind === 'conversion') {
      const scope = `thr:${offer.id}:${existing.publisherId}:${existing.thresholdPeriod}`;
      if (!(await tx.counters.get(scope))?.released) await tx.counters.decrement(scope);
    }
  }
  await bookConversion(tx, config.timezone, existing, -1);
  await bookConversion(tx, config.timezone, updated, 1);
  await enqueueSideEffects({ config, clock }, tx, offer, updated, 'status_change');
  await enqueueSourcePostback({ clock }, tx, offer, updated, 'status_change');
  return updated;
}

/** Compares secrets in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
