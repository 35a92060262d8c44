import { createHmac, randomBytes } from 'node:crypto';
import type { AdClickIds, Campaign, FlowAction, Lander, Offer, Stream, TrafficSource } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { visitCost } from '../domain/campaign-costs.js';
import { compileFilters, type VisitFacts, type VisitTest } from '../domain/campaign-filters.js';
import { chooseStream, drawByWeight, type RandomSource } from '../domain/stream-routing.js';
import { TRACKING_KEY_SETTING, type CampaignVisitorRecord } from '../storage/sql-campaign-visits.js';
import type { ClickRecord, Store } from '../storage/store.js';
import { isUnfilledPlaceholder } from '../tracking/network-values.js';
import { expandUrl } from '../tracking/index.js';
import { HopTokens } from '../tracking/redirect-pages.js';
import { clickMacroValues, destinationFor, localPageUrl, recordClick, resolveTarget, type SubIds } from './clicks.js';
import { recordLanderClick } from './campaign-money.js';

/**
 * Campaign visits (README, Campaigns): the campaign link `/t/:campaign`, the lander's click URL `/click/:n` and
 * campaign direct tracking share these steps. Routes read the request into a {@link CampaignVisitInput}; this module
 * classifies, routes, prices and records the visit.
 */

/** How far a chain of `campaign` actions may go before the visit is refused as a loop. */
const MAX_CAMPAIGN_HOPS = 5;
const HOUR_MS = 3_600_000;

/** The installation's tracking key, read once per store: it signs double-meta hops and keys cookieless visitor hashes. */
const trackingKeys = new WeakMap<Store, Promise<Buffer>>();

export function trackingKey(store: Store): Promise<Buffer> {
  let key = trackingKeys.get(store);
  if (!key) {
    key = (async () => {
      const stored = await store.settings.get(TRACKING_KEY_SETTING);
      if (stored) return Buffer.from(stored, 'base64url');
      // Migration 12 makes the key; a database from before it is migrated at start, so this is a fallback only.
      const made = randomBytes(32).toString('base64url');
      await store.settings.set(TRACKING_KEY_SETTING, made);
      return Buffer.from(made, 'base64url');
    })();
    key.catch(() => trackingKeys.delete(store));
    trackingKeys.set(store, key);
  }
  return key;
}

export async function hopTokens(store: Store): Promise<HopTokens> {
  return new HopTokens(await trackingKey(store));
}

const VISITOR_COOKIE_VALUE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Who a visitor is: the `waypost_v` cookie when it is sent, else a keyed hash of the truncated address and the user
 * agent. The cookie set on a first visit carries that same hash, so the visit that set it and the ones that return it
 * are one visitor.
 */
export function visitorKey(key: Buffer, cookie: string | undefined, ipPrefix: string | null, userAgent: string): string {
  if (cookie && VISITOR_COOKIE_VALUE.test(cookie)) return cookie;
  return createHmac('sha256', key).update(`${ipPrefix ?? ''}\n${userAgent}`).digest('base64url').slice(0, 22);
}

/** What the route read of the request. */
export interface CampaignVisitInput {
  facts: Omit<VisitFacts, 'timezone' | 'isUnique'>;
  /** The `waypost_v` cookie as sent. */
  visitorCookie: string | undefined;
  userAgent: string;
  ipPrefix: string | null;
  /** The campaign link's query, or the direct visit's fields. */
  query: Record<string, unknown>;
  subs: SubIds;
  adClickIds: AdClickIds;
  landingUrl: string | null;
  random?: RandomSource | undefined;
}

export type CampaignVisitOutcome =
  | { kind: 'not_found'; visitor: string | null }
  /** A `redirect` stream: the visit goes to its URL and no click is made (a click belongs to an offer). */
  | { kind: 'redirect'; url: string | null; visitor: string }
  | { kind: 'click'; click: ClickRecord; campaign: Campaign; offer: Offer; lander: Lander | null; target: string | null; visitor: string };

interface CompiledStream {
  stream: Stream;
  passes: VisitTest;
  type: Stream['type'];
  status: Stream['status'];
  weight: number;
}

const compiled = new Map<string, CompiledStream[]>();

/** A campaign's streams with their filters compiled, kept per campaign version (bounded, as campaigns come and go). */
function compiledStreams(campaign: Campaign): CompiledStream[] {
  const key = `${campaign.id}@${campaign.updatedAt}`;
  let streams = compiled.get(key);
  if (!streams) {
    streams = campaign.streams.map((stream) => ({ stream, passes: compileFilters(stream.filters, stream.match), type: stream.type, status: stream.status, weight: stream.weight }));
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(key, streams);
  }
  return streams;
}

interface Routed {
  stream: Stream;
  /** The campaign whose stream acted: the entry campaign, or one a `campaign` action led to. */
  owner: Campaign;
}

/**
 * The stream a visit takes (README, Campaigns: routing), following `campaign` actions into other campaigns; undefined
 * for the 404 page. A chain that comes back to a campaign it passed, or goes on for too long, ends there too.
 */
async function routeVisit(context: AppContext, entry: Campaign, facts: VisitFacts, bound: CampaignVisitorRecord | undefined, random: RandomSource): Promise<(Routed & { path: string[] }) | undefined> {
  const seen = new Set<string>();
  let campaign: Campaign | undefined = entry;
  // The streams of the last visit: the one that acted and the `campaign`-action streams that led to it, which were
  // remembered at the same moment. Stream ids are unique across campaigns, so one set serves every hop.
  const boundStreams = new Set(
    entry.bindVisitors && bound
      ? [bound.streamId, ...Object.entries(bound.streams).filter(([, at]) => at === bound.lastSeenAt.getTime()).map(([id]) => id)]
      : [],
  );
  // The `campaign`-action streams the visit goes through, remembered for bindVisitors.
  const path: string[] = [];
  while (campaign && !seen.has(campaign.id) && seen.size < MAX_CAMPAIGN_HOPS) {
    seen.add(campaign.id);
    const local = { ...facts, timezone: campaign.timezone };
    const streams = compiledStreams(campaign);
    // A returning visitor keeps their stream while it is active and its filters still pass.
    const kept = streams.find(({ stream }) => boundStreams.has(stream.id) && stream.status === 'active');
    const chosen = kept?.passes(local) ? kept : chooseStream(streams, (entry) => entry.passes(local), campaign.rotation, random);
    if (!chosen) return undefined;
    const { action } = chosen.stream;
    if (action.type !== 'campaign') return { stream: chosen.stream, owner: campaign, path };
    path.push(chosen.stream.id);
    const next = await context.store.campaigns.get(action.campaignId);
    campaign = next && next.status === 'active' && next.archivedAt === null ? next : undefined;
  }
  return undefined;
}

/** The traffic source's parameters, read from the campaign link under the source's names (README, Traffic sources). */
function sourceValues(source: TrafficSource | undefined, query: Record<string, unknown>, subs: SubIds) {
  const read = (name: string): string | null => {
    const raw = query[name];
    if (typeof raw !== 'string') return null;
    const value = raw.trim().slice(0, 255);
    return value === '' || isUnfilledPlaceholder(value) ? null : value;
  };
  const values = { externalId: null as string | null, cost: null as string | null, keyword: null as string | null, creativeId: null as string | null, subs: { ...subs } };
  for (const param of source?.params ?? []) {
    const value = read(param.param);
    if (param.field === 'externalId' || param.field === 'cost' || param.field === 'keyword' || param.field === 'creativeId') values[param.field] = value;
    else if (value !== null) values.subs[param.field] = value;
  }
  // Without a mapping the common names still count: a buyer testing the link by hand types `cost=` and `keyword=`.
  values.cost ??= read('cost');
  values.keyword ??= read('keyword');
  return values;
}

/** Draws the flow's lander and offer, or keeps a bound visitor's while the stream still lists them. */
function drawFlow(flow: FlowAction, bound: CampaignVisitorRecord | undefined, random: RandomSource) {
  const lander = flow.landers.find((entry) => entry.landerId === bound?.landerId) ?? drawByWeight(flow.landers, (entry) => entry.weight, random);
  const offer = flow.offers.find((entry) => entry.offerId === bound?.offerId) ?? drawByWeight(flow.offers, (entry) => entry.weight, random);
  return { landerId: lander?.landerId ?? null, offerId: offer?.offerId };
}

/**
 * Classifies, routes, prices and records one campaign visit (README, Campaigns: routing, steps 2–6). The campaign is
 * live and active (the route checked).
 */
export async function recordCampaignVisit(context: AppContext, campaign: Campaign, input: CampaignVisitInput): Promise<CampaignVisitOutcome> {
  const { store, clock } = context;
  const now = clock.now();
  const random = input.random ?? Math.random;
  const key = await trackingKey(store);
  const visitor = visitorKey(key, input.visitorCookie, input.ipPrefix, input.userAgent);
  const known = await store.campaignVisits.getVisitor(campaign.id, visitor);
  const windowStart = now.getTime() - campaign.uniquenessHours * HOUR_MS;
  // Bots are never unique: a prefetch must not use up the visitor's first visit.
  const isUnique = !input.facts.isBot && (!known || known.lastSeenAt.getTime() <= windowStart);
  const facts: VisitFacts = { ...input.facts, timezone: campaign.timezone, isUnique };
  const bound = campaign.bindVisitors && known && known.lastSeenAt.getTime() > windowStart ? known : undefined;

  const routed = await routeVisit(context, campaign, facts, bound, random);
  if (!routed) return { kind: 'not_found', visitor };
  const { stream } = routed;
  const lastInStream = known?.streams[stream.id];
  const isUniqueStream = !input.facts.isBot && (lastInStream === undefined || lastInStream <= windowStart);
  const action = stream.action;
  if (action.type === 'not_found') return { kind: 'not_found', visitor };
  if (action.type === 'redirect') {
    return { kind: 'redirect', url: expandUrl(action.url, { sub1: input.subs.sub1, sub2: input.subs.sub2, sub3: input.subs.sub3, sub4: input.subs.sub4, sub5: input.subs.sub5, country_code: facts.country, device: facts.device }), visitor };
  }
  if (action.type !== 'flow') return { kind: 'not_found', visitor };

  const drawn = drawFlow(action, bound?.streamId === stream.id ? bound : undefined, random);
  const requested = drawn.offerId ? await store.offers.get(drawn.offerId) : undefined;
  const offer = requested ? await resolveTarget(context, requested) : undefined;
  if (!requested || !offer) return { kind: 'not_found', visitor };
  const lander = drawn.landerId ? ((await store.landers.get(drawn.landerId)) ?? null) : null;

  const source = campaign.trafficSourceId ? await store.trafficSources.get(campaign.trafficSourceId) : undefined;
  const values = sourceValues(source, input.query, input.subs);
  const cost = visitCost(campaign.cost, { isUnique, sourceCost: values.cost });

  const visitorRecord: CampaignVisitorRecord = {
    campaignId: campaign.id,
    visitor,
    lastSeenAt: now,
    streamId: stream.id,
    landerId: lander?.id ?? null,
    offerId: requested.id,
    // Only streams seen within the window matter; older entries are dropped so the row stays small.
    // The `campaign`-action streams on the way are kept too, so that bindVisitors can retrace the path.
    streams: Object.fromEntries([...Object.entries(known?.streams ?? {}).filter(([, at]) => at > windowStart), ...[...routed.path, stream.id].map((id) => [id, now.getTime()])]),
  };
  const click = await recordClick(context, {
    offer,
    requestedOfferId: requested.id,
    publisherId: null,
    rejectedReason: null,
    subs: values.subs,
    source: 'campaign',
    country: facts.country,
    device: facts.device as ClickRecord['device'],
    referrer: facts.referrer?.slice(0, 2048) ?? null,
    landingUrl: input.landingUrl,
    adClickIds: input.adClickIds,
    ipPrefix: input.ipPrefix,
    campaign: {
      campaignId: campaign.id,
      streamId: stream.id,
      landerId: lander?.id ?? null,
      trafficSourceId: campaign.trafficSourceId,
      externalId: values.externalId,
      creativeId: values.creativeId,
      keyword: values.keyword,
      os: facts.os,
      browser: facts.browser,
      language: facts.language,
      isBot: facts.isBot,
      isUnique,
      isUniqueStream,
      cost,
      landerClickedAt: null,
    },
    // A bot's visit is recorded but not remembered: the visitor's real first visit is still unique.
    alsoInTransaction: facts.isBot ? undefined : (tx) => tx.campaignVisits.saveVisitor(visitorRecord),
  });
  // A local lander (README, Local landers and offers) is served here, so it wins over the lander's URL.
  const target = lander?.archive
    ? localPageUrl(context, 'lander', lander.id, click.id)
    : lander?.url
      ? landerDestination(context, lander.url, offer, click)
      : await destinationFor(context, offer, click);
  return { kind: 'click', click, campaign, offer, lander, target, visitor };
}

/** `PUBLIC_URL/click/N?cid=CLICK_ID`, the lander's call to action for offer slot N. */
export function clickUrl(context: AppContext, slot: number, clickId: string | null): string {
  const base = `${context.config.publicUrl.replace(/\/+$/, '')}/click/${slot}`;
  return clickId ? `${base}?cid=${encodeURIComponent(clickId)}` : base;
}

// `{click_url}` and `{click_url:N}`, as typed or percent-encoded by a URL builder.
const CLICK_URL_MACRO = /\{click_url(?::(\d{1,2}))?\}|%7Bclick_url(?:(?::|%3A)(\d{1,2}))?%7D/gi;

/** The lander URL with the click URL macros and the click macros of the offer URL expanded; null unless http(s). */
export function landerDestination(context: AppContext, template: string, offer: Offer, click: ClickRecord): string | null {
  const withClickUrls = template.replace(CLICK_URL_MACRO, (_match, plain: string | undefined, encoded: string | undefined) =>
    encodeURIComponent(clickUrl(context, Math.max(1, Number(plain ?? encoded ?? 1)), click.id)),
  );
  return expandUrl(withClickUrls, clickMacroValues(offer, { ...click, clickId: click.id }, click, click.createdAt));
}

/** The stream with this id in the campaign or in one its `campaign` actions lead to, with the campaign that holds it. */
export async function findStream(context: AppContext, entry: Campaign, streamId: string): Promise<Routed | undefined> {
  const queue: Campaign[] = [entry];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_CAMPAIGN_HOPS * 4) {
    const campaign = queue.shift()!;
    if (seen.has(campaign.id)) continue;
    seen.add(campaign.id);
    for (const stream of campaign.streams) {
      if (stream.id === streamId) return { stream, owner: campaign };
      if (stream.action.type === 'campaign') {
        const next = await context.store.campaigns.get(stream.action.campaignId);
        if (next) queue.push(next);
      }
    }
  }
  return undefined;
}

export type LanderClickOutcome = { kind: 'not_found' } | { kind: 'offer'; click: ClickRecord; campaign: Campaign | undefined; target: string | null; first: boolean };

/**
 * The lander's call to action (README, Campaigns: the click URL): the offer is the stream's N-th when the lander has
 * more than one slot, else the one drawn at the visit, followed through its fallback chain; the first call records
 * when the lander was clicked.
 */
export async function followLanderClick(context: AppContext, clickId: string, slot: number): Promise<LanderClickOutcome> {
  const { store, clock } = context;
  const click = await store.clicks.get(clickId);
  if (!click || !click.campaignId) return { kind: 'not_found' };
  const campaign = await store.campaigns.get(click.campaignId);
  const lander = click.landerId ? await store.landers.get(click.landerId) : undefined;
  let offerId = click.offerId;
  if (campaign && click.streamId && (lander?.offers ?? 1) > 1) {
    const routed = await findStream(context, campaign, click.streamId);
    const action = routed?.stream.action;
    const listed = action?.type === 'flow' ? action.offers[slot - 1] : undefined;
    if (listed) offerId = listed.offerId;
  }
  const requested = await store.offers.get(offerId);
  const offer = requested ? await resolveTarget(context, requested) : undefined;
  if (!offer) return { kind: 'not_found' };
  const at = clock.now();
  const first = await recordLanderClick(context, click, offer.id, at);
  const updated: ClickRecord = { ...click, offerId: offer.id, landerClickedAt: click.landerClickedAt ?? at };
  return { kind: 'offer', click: updated, campaign, target: await destinationFor(context, offer, updated), first };
}
