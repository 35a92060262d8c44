import type { AdClickIds, Offer } from '@waypost/schema';
import { AD_CLICK_ID_PARAMS } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { capDay, clickPayout, isCapReached } from '../domain/index.js';
import { newClickId, newId } from '../ids.js';
import type { CampaignClickFields } from '../storage/sql-campaign-visits.js';
import type { ClickRecord, Repositories } from '../storage/store.js';
import { appendQueryParam, expandUrl, type MacroValues } from '../tracking/index.js';
import { loadFx, toAccount } from './money.js';
import { isOwnTraffic, visitCostInAccount } from './campaign-money.js';
import { addToRollups, clickMetrics } from './rollups.js';
import { clickKeywords, keywordMacroValues, keywordsForClick } from './keyword-sets.js';

const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const;
export type SubIds = Record<(typeof SUBS)[number], string | null>;

/** Sub ids from a query or body: trimmed, at most 255 characters, empty as null. */
export function subIdsFrom(source: Record<string, unknown>): SubIds {
  const subs = {} as SubIds;
  for (const sub of SUBS) {
    const value = source[sub];
    subs[sub] = typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 255) : null;
  }
  return subs;
}

export function adClickIdsFrom(source: Record<string, unknown>): AdClickIds {
  const ids: AdClickIds = {};
  for (const name of AD_CLICK_ID_PARAMS) {
    const value = source[name];
    if (typeof value === 'string' && value.trim() !== '') ids[name] = value.trim().slice(0, 512);
  }
  return ids;
}

/** Whether an offer can take traffic now: active, not archived, not expired. */
function isLive(offer: Offer, now: Date): boolean {
  return offer.status === 'active' && offer.archivedAt === null && (offer.expiresAt === null || Date.parse(offer.expiresAt) > now.getTime());
}

async function isCapped({ store, config }: AppContext, offer: Offer, now: Date): Promise<boolean> {
  if (!offer.cap || (offer.cap.daily === undefined && offer.cap.total === undefined)) return false;
  const day = capDay(offer, now, config.timezone).key;
  const [today, total] = await Promise.all([store.counters.get(`cap:${offer.id}:day:${day}`), store.counters.get(`cap:${offer.id}:total`)]);
  return isCapReached(offer.cap, { today: today?.count ?? 0, total: total?.count ?? 0 });
}

/**
 * The offer a click on `requested` lands on: itself when it is live and under its cap, else the first usable offer
 * along its fallback chain (cycles end the chain). A capped offer with nowhere to fall back still takes the visitor;
 * an inactive or expired one with nowhere to go gives undefined.
 */
export async function resolveTarget(context: AppContext, requested: Offer): Promise<Offer | undefined> {
  const now = context.clock.now();
  const seen = new Set<string>();
  let offer: Offer | undefined = requested;
  let cappedCandidate: Offer | undefined;
  while (offer && !seen.has(offer.id)) {
    seen.add(offer.id);
    const live = isLive(offer, now);
    if (live && !(await isCapped(context, offer, now))) return offer;
    if (live) cappedCandidate ??= offer;
    const next: string | undefined = offer.cap?.fallbackOfferId;
    offer = next ? await context.store.offers.get(next) : undefined;
  }
  return cappedCandidate;
}

export interface ClickInput {
  offer: Offer;
  requestedOfferId: string | null;
  publisherId: string | null;
  /** A paused publisher's clicks are recorded as rejected and still redirect. */
  rejectedReason: string | null;
  subs: SubIds;
  source: ClickRecord['source'];
  country: string | null;
  device: ClickRecord['device'];
  referrer: string | null;
  landingUrl: string | null;
  adClickIds: AdClickIds;
  ipPrefix: string | null;
  /** The campaign side of a campaign visit (README, Campaigns). */
  campaign?: CampaignClickFields | undefined;
  /** More writes that must commit with the click (a campaign's visitor row). */
  alsoInTransaction?: ((tx: Repositories) => Promise<void>) | undefined;
}

/**
 * Records a click and books its CPC payout and its rollups, in one transaction. An offer with a keyword set draws the
 * click's keywords, unless the visit brought a keyword of its own (a traffic source's, which wins).
 */
export async function recordClick(context: AppContext, input: ClickInput): Promise<ClickRecord> {
  const { store, config, clock } = context;
  const now = clock.now();
  const { offer } = input;
  const keywords = offer.keywords && !input.campaign?.keyword ? await keywordsForClick(context, offer) : [];
  const accepted = input.rejectedReason === null;
  // Bots are recorded (a source may charge for them) but never earn a CPC payout (README, Security).
  const price = accepted && input.device !== 'bot' ? clickPayout(offer, { publisherId: input.publisherId, country: input.country }, await store.personalPayouts.allForOffer(offer.id)) : 0;
  // A campaign's own traffic owes nobody a payout: a CPC offer's click price is the buyer's revenue (README, Campaigns).
  const ownTraffic = isOwnTraffic({ source: input.source, publisherId: input.publisherId });
  const payout = ownTraffic ? 0 : price;
  const revenue = ownTraffic ? price : 0;
  const fx = price > 0 ? await loadFx(context) : undefined;
  const click: ClickRecord = {
    id: newClickId(now),
    offerId: offer.id,
    requestedOfferId: input.requestedOfferId !== offer.id ? input.requestedOfferId : null,
    publisherId: input.publisherId,
    ...input.subs,
    source: input.source,
    country: input.country,
    device: input.device,
    referrer: input.referrer,
    landingUrl: input.landingUrl,
    adClickIds: input.adClickIds,
    ipPrefix: input.ipPrefix,
    status: accepted ? 'accepted' : 'rejected',
    reason: input.rejectedReason,
    payout,
    revenue,
    createdAt: now,
    ...input.campaign,
    ...(keywords.length > 0 ? { keyword: keywords[0], keywords } : {}),
  };
  const cost = await visitCostInAccount(context, click, () => (fx ? Promise.resolve(fx) : loadFx(context)));
  await store.transaction(async (tx) => {
    await tx.clicks.insert(click);
    await input.alsoInTransaction?.(tx);
    const inAccount = (minor: number) => (fx && minor ? toAccount(minor, offer.currency, fx) : 0);
    await addToRollups(tx, config.timezone, now, { ...click, couponCode: null }, clickMetrics(click, inAccount(payout), inAccount(revenue), cost));
  });
  context.metrics?.click(click);
  return click;
}

/** A visit on a click already known (direct tracking with a stored click id). */
export async function recordVisit(context: AppContext, click: ClickRecord, landingUrl: string | null, referrer: string | null): Promise<void> {
  await context.store.clicks.addVisit({ id: newId('vis_', context.clock.now()), clickId: click.id, landingUrl, referrer, createdAt: context.clock.now() });
}

/**
 * The click macros (README, The offer URL's macros), for a click or for a conversion (which carries its click's id,
 * publisher, sub ids and country); `click` gives the source and device, `at` the timestamp.
 */
export function clickMacroValues(
  offer: Offer,
  subject: Pick<ClickRecord, 'publisherId' | 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5' | 'country'> & { clickId: string | null },
  click: Pick<ClickRecord, 'source' | 'device'> | undefined,
  at: Date,
): MacroValues {
  return {
    click_id: subject.clickId,
    offer_id: offer.id,
    publisher_id: subject.publisherId,
    sub1: subject.sub1,
    sub2: subject.sub2,
    sub3: subject.sub3,
    sub4: subject.sub4,
    sub5: subject.sub5,
    source: click?.source,
    country_code: subject.country,
    device: click?.device,
    timestamp: Math.floor(at.getTime() / 1000),
    offer_static_url: offer.staticUrl,
  };
}

/** `PUBLIC_URL/o/OFFER_ID/` or `PUBLIC_URL/l/LANDER_ID/` (README, Local landers and offers), with the click's id. */
export function localPageUrl(context: Pick<AppContext, 'config'>, kind: 'lander' | 'offer', id: string, clickId: string | null): string {
  const base = `${context.config.publicUrl.replace(/\/+$/, '')}/${kind === 'lander' ? 'l' : 'o'}/${encodeURIComponent(id)}/`;
  return clickId ? `${base}?cid=${encodeURIComponent(clickId)}` : base;
}

/**
 * The destination of a click: the offer URL with its macros expanded, plus the network's click-id parameter; for an
 * offer with an archive, its local page (the offer's own flag, so no extra read per click).
 */
export async function destinationFor(context: AppContext, offer: Offer, click: ClickRecord): Promise<string | null> {
  if (offer.archive) return localPageUrl(context, 'offer', offer.id, click.id);
  const url = expandUrl(offer.url, { ...clickMacroValues(offer, { ...click, clickId: click.id }, click, click.createdAt), ...keywordMacroValues(clickKeywords(click)) });
  if (!url || !offer.appendClickId || !offer.affiliateNetworkId) return url;
  const network = await context.store.affiliateNetworks.get(offer.affiliateNetworkId);
  return network ? appendQueryParam(url, network.clickIdParam, click.id) : url;
}
