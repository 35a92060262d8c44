import type {
  Campaign,
  CampaignLinks,
  CreateCampaignParamsSchema,
  CreateLanderParamsSchema,
  CreateTrafficSourceParamsSchema,
  Lander,
  Stream,
  StreamParamsSchema,
  TrafficSource,
} from '@waypost/schema';
import type { z } from 'zod';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import { newId, newSecret } from '../ids.js';
import { refusedHost } from '../outbox/addresses.js';
import type { CampaignReferenceKind, Repositories } from '../storage/index.js';
import { assertReferenceTo } from './workspaces.js';

/*
 * Traffic sources, landers and campaigns as resources (README, Campaigns): what makes a new one, what a campaign may
 * refer to, and the links it hands out. The routes parse and call these; `/t/:campaign` reads what they store.
 */

type CampaignStore = Pick<Repositories, 'campaigns' | 'landers' | 'trafficSources' | 'offers' | 'workspaces'>;

/** How many campaigns a 409 names when a record is still in use. */
const IN_USE_SHOWN = 5;

export function newTrafficSource(params: z.output<typeof CreateTrafficSourceParamsSchema>, workspaceId: string, now: Date): TrafficSource {
  return {
    id: newId('ts_', now),
    name: params.name,
    params: params.params,
    postbackUrl: params.postbackUrl ?? null,
    // Every new source signs its postbacks unless told not to, as a receiver can only check what is signed.
    postbackSecret: params.postbackSecret === undefined ? newSecret() : params.postbackSecret,
    notes: params.notes ?? null,
    workspaceId,
    archivedAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function newLander(params: z.output<typeof CreateLanderParamsSchema>, workspaceId: string, now: Date): Lander {
  return {
    id: newId('lnd_', now),
    name: params.name,
    url: params.url ?? null,
    offers: params.offers,
    notes: params.notes ?? null,
    archive: null,
    workspaceId,
    archivedAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

type CampaignParams = z.output<typeof CreateCampaignParamsSchema>;

/**
 * The campaign a create or `PUT` body describes. Stream ids are the server's: a stream that names one of `previous`'s
 * streams keeps its id, one without an id gets a new one, and any other id is refused (422 naming it).
 */
export function campaignFromParams(
  params: CampaignParams,
  base: { id: string; workspaceId: string; currency: string; timezone: string; createdAt: string; previous: readonly Stream[] },
  now: Date,
): Campaign {
  return {
    id: base.id,
    name: params.name,
    alias: params.alias ?? null,
    status: params.status,
    trafficSourceId: params.trafficSourceId ?? null,
    currency: params.currency ?? base.currency,
    timezone: params.timezone ?? base.timezone,
    cost: params.cost,
    redirect: params.redirect,
    rotation: params.rotation,
    uniquenessHours: params.uniquenessHours,
    bindVisitors: params.bindVisitors,
    directTracking: params.directTracking,
    allowedOrigins: params.allowedOrigins,
    streams: assignStreamIds(params.streams, base.previous, now),
    notes: params.notes ?? null,
    workspaceId: base.workspaceId,
    archivedAt: null,
    createdAt: base.createdAt,
    updatedAt: now.toISOString(),
  };
}

/** See {@link campaignFromParams}. */
export function assignStreamIds(streams: readonly z.output<typeof StreamParamsSchema>[], previous: readonly Stream[], now: Date): Stream[] {
  const known = new Set(previous.map((stream) => stream.id));
  return streams.map(({ id, ...stream }, index) => {
    if (id !== undefined && !known.has(id)) {
      throw ApiError.field(`streams.${index}.id`, `no stream "${id}" in this campaign; leave the id out to add a stream`);
    }
    return { id: id ?? newId('str_', now), ...stream };
  });
}

/**
 * Checks what a campaign refers to: its traffic source, and its streams' landers, offers and target campaigns exist, are
 * not archived, and are in a workspace the campaign may refer to; a lander's offer slots are covered by the stream's
 * offers; and no `campaign` action leads back to this campaign. Every refusal is a 422 naming the field.
 */
export async function checkCampaignReferences(store: CampaignStore, auth: Auth, campaign: Campaign): Promise<void> {
  const reference = async (target: { workspaceId: string; archivedAt: string | null } | undefined, field: string, missing: string) =>
    assertReferenceTo(store, auth, campaign.workspaceId, target && !target.archivedAt ? target : undefined, field, missing);

  if (campaign.trafficSourceId) {
    await reference(await store.trafficSources.get(campaign.trafficSourceId), 'trafficSourceId', `no traffic source "${campaign.trafficSourceId}"`);
  }
  for (const [index, { action }] of campaign.streams.entries()) {
    const at = `streams.${index}.action`;
    if (action.type === 'flow') {
      let slots = 0;
      for (const [position, { landerId }] of action.landers.entries()) {
        const lander = await store.landers.get(landerId);
        await reference(lander, `${at}.landers.${position}.landerId`, `no lander "${landerId}"`);
        // A lander shows its URL or its local archive (README, Local landers and offers); one without either shows nothing.
        if (!lander!.url && !lander!.archive) throw ApiError.field(`${at}.landers.${position}.landerId`, `lander "${landerId}" has neither a URL nor an archive; give it one first`);
        slots = Math.max(slots, lander!.offers);
      }
      for (const [position, { offerId }] of action.offers.entries()) {
        await reference(await store.offers.get(offerId), `${at}.offers.${position}.offerId`, `no offer "${offerId}"`);
      }
      // A lander with N offer slots links `{click_url:1}`…`{click_url:N}` to the stream's first N offers.
      if (slots > action.offers.length) throw ApiError.field(`${at}.offers`, `must list at least ${slots} offers, one for each offer slot of its landers`);
    } else if (action.type === 'campaign') {
      if (action.campaignId === campaign.id) throw ApiError.field(`${at}.campaignId`, 'must not be the campaign itself');
      await reference(await store.campaigns.get(action.campaignId), `${at}.campaignId`, `no campaign "${action.campaignId}"`);
      const loop = await pathBack(store, campaign.id, action.campaignId);
      if (loop) throw ApiError.field(`${at}.campaignId`, `would send visits in a loop: ${[campaign.id, ...loop].join(' → ')}`);
    }
  }
}

/**
 * The chain of `campaign` actions from `start` that leads back to `home`, ending with `home`, or undefined when none
 * does. Stored campaigns are followed as they are; `home` is the campaign being saved.
 */
async function pathBack(store: CampaignStore, home: string, start: string): Promise<string[] | undefined> {
  const seen = new Set<string>();
  const walk = async (id: string, path: string[]): Promise<string[] | undefined> => {
    if (id === home) return [...path, id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    const campaign = await store.campaigns.get(id);
    if (!campaign || campaign.archivedAt) return undefined;
    for (const { action } of campaign.streams) {
      if (action.type !== 'campaign') continue;
      const found = await walk(action.campaignId, [...path, id]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, []);
}

/** 409 when live campaigns still use the record that is about to be deleted, naming a few of them. */
export async function assertUnused(store: Pick<Repositories, 'campaigns'>, kind: CampaignReferenceKind, id: string, what: string): Promise<void> {
  const users = await store.campaigns.usedBy(kind, id, IN_USE_SHOWN + 1);
  if (users.length === 0) return;
  const named = users.slice(0, IN_USE_SHOWN).join(', ') + (users.length > IN_USE_SHOWN ? ', …' : '');
  throw ApiError.conflict(`the ${what} is used by campaign${users.length > 1 ? 's' : ''} ${named}; take it out of them first`);
}

/** 422 on `offers` when a lander would get more offer slots than a live campaign's stream that shows it has offers. */
export async function assertSlotsCovered(store: Pick<Repositories, 'campaigns'>, lander: Lander): Promise<void> {
  for (const campaignId of await store.campaigns.usedBy('lander', lander.id, 1000)) {
    const campaign = await store.campaigns.get(campaignId);
    for (const stream of campaign?.streams ?? []) {
      const { action } = stream;
      if (action.type !== 'flow' || !action.landers.some(({ landerId }) => landerId === lander.id)) continue;
      if (action.offers.length < lander.offers) {
        throw ApiError.field('offers', `stream "${stream.name}" of campaign ${campaignId} shows this lander with only ${action.offers.length} offers`);
      }
    }
  }
}

/**
 * 422 on `field` when a postback URL's host is `localhost` or a literal private address (README, Security): the outbox
 * would refuse it anyway, and the API says so at once. A name that resolves to one is refused when the outbox connects.
 */
export function assertPublicDestination(url: string | null | undefined, field: string, allowPrivate: boolean): void {
  if (!url || allowPrivate) return;
  const kind = refusedHost(new URL(url.replace(/\{[^{}]*\}/g, 'x')).hostname);
  if (kind) throw ApiError.field(field, `must not point at a ${kind} address (WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true allows it)`);
}

/**
 * The campaign URL the buyer pastes into the traffic source, and the lander's click URL. The source's placeholders stay
 * literal (`cid={clickid}`), because the source fills them; a parameter without a placeholder is left out.
 */
export function campaignLinks(publicUrl: string, campaign: Campaign, source: TrafficSource | undefined): CampaignLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const query = (source?.params ?? []).flatMap(({ param, macro }) => (macro ? [`${encodeURIComponent(param)}=${macro}`] : [])).join('&');
  return {
    campaignId: campaign.id,
    campaignUrl: `${base}/t/${encodeURIComponent(campaign.alias ?? campaign.id)}${query ? `?${query}` : ''}`,
    clickUrl: `${base}/click/1`,
  };
}
