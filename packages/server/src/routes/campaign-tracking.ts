import { ClickIdSchema, CreateCampaignVisitParamsSchema, toErrorIssues, type VisitResponse } from '@waypost/schema';
import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { AppContext } from '../context.js';
import { primaryLanguage } from '../domain/campaign-filters.js';
import { adClickIdsFrom, recordVisit, subIdsFrom } from '../engine/clicks.js';
import { type CampaignVisitInput, followLanderClick, hopTokens, recordCampaignVisit } from '../engine/campaign-visits.js';
import { ApiError } from '../http/errors.js';
import { type LaneRoute, type TrackingRequest, writeAnswer } from '../http/lane.js';
import { withoutNul } from '../http/nul.js';
import { originAllowed, readCookie, serializeCookie, truncateIp, visitDevice } from '../tracking/index.js';
import { metaRefreshPage, redirectAnswer, type RedirectMode } from '../tracking/redirect-pages.js';
import { userAgentInfo } from '../tracking/user-agent.js';
import { CLICK_COOKIE, CLICK_COOKIE_DAYS, notFoundPage, visitCountry } from './tracking.js';

/** The first-party cookie that makes a visitor known to a campaign (README, Campaigns: uniqueness). */
export const VISITOR_COOKIE = 'waypost_v';
// 400 days: the longest lifetime browsers keep a cookie for.
const VISITOR_COOKIE_DAYS = 400;

// An id (`cmp_…`) or an alias: letters, digits, '-' and '_'. Anything else cannot name a campaign.
const CAMPAIGN_REF = /^[A-Za-z0-9_-]{1,64}$/;

/** What a request tells of the visit, beyond the query. */
function visitInput(context: AppContext, req: TrackingRequest, query: Record<string, unknown>, referrer: string | null, landingUrl: string | null): CampaignVisitInput {
  const userAgent = req.get('user-agent')?.trim() ?? '';
  const device = visitDevice(req);
  const { os, browser } = userAgentInfo(userAgent);
  const ipPrefix = truncateIp(req.ip);
  return {
    facts: {
      country: visitCountry(context, req),
      device,
      os,
      browser,
      language: primaryLanguage(req.get('accept-language')),
      ip: req.ip ?? null,
      referrer,
      params: query,
      at: context.clock.now(),
      isBot: device === 'bot',
    },
    visitorCookie: readCookie(req.get('cookie'), VISITOR_COOKIE),
    userAgent,
    ipPrefix,
    query,
    subs: subIdsFrom(query),
    adClickIds: adClickIdsFrom(query),
    landingUrl,
  };
}

/**
 * The public campaign endpoints (README, Campaigns), on the tracking lane (http/lane.ts): the campaign link
 * `GET /t/:campaign`, the double-meta hop `GET /r/:token` and the lander's click URL `GET /click/:n`.
 */
export function campaignLaneRoutes(context: AppContext): LaneRoute[] {
  const { store, config, clock } = context;
  const publicUrl = config.publicUrl.replace(/\/+$/, '');

  const cookies = (req: TrackingRequest, clickId: string | null, visitor: string | null): string[] => {
    const secure = req.secure;
    const set: string[] = [];
    if (clickId) set.push(serializeCookie(CLICK_COOKIE, clickId, { maxAgeSeconds: CLICK_COOKIE_DAYS * 86_400, path: '/', secure, httpOnly: true, sameSite: 'Lax' }));
    if (visitor) set.push(serializeCookie(VISITOR_COOKIE, visitor, { maxAgeSeconds: VISITOR_COOKIE_DAYS * 86_400, path: '/', secure, httpOnly: true, sameSite: 'Lax' }));
    return set;
  };

  /** The 404 page, with the visitor's cookie when one was made. */
  const notFound = (res: ServerResponse, setCookies: string[] = []) => {
    for (const cookie of setCookies) res.appendHeader('Set-Cookie', cookie);
    notFoundPage(res);
  };

  /** Answers with the campaign's redirect mode, or the 404 page when the target is no http(s) URL. */
  const answer = async (res: ServerResponse, mode: RedirectMode, target: string | null, setCookies: string[]) => {
    const tokens = target && mode === 'double_meta' ? await hopTokens(store) : undefined;
    const page = target ? redirectAnswer(mode, target, (url) => `${publicUrl}/r/${tokens!.sign(url, clock.now())}`) : null;
    if (!page) return notFound(res, setCookies);
    writeAnswer(res, page.status, setCookies.length > 0 ? { ...page.headers, 'Set-Cookie': setCookies } : page.headers, page.body);
  };

  return [
    {
      // The campaign link.
      path: '/t/:campaign',
      async handle(req, res) {
        const ref = req.params.campaign!;
        const campaign = CAMPAIGN_REF.test(ref) ? await store.campaigns.getByIdOrAlias(ref) : undefined;
        if (!campaign || campaign.status !== 'active' || campaign.archivedAt !== null) return notFoundPage(res);
        const query = withoutNul(req.query);
        const input = visitInput(context, req, query, req.get('referer') ?? null, null);
        const outcome = await recordCampaignVisit(context, campaign, input);
        const visitor = outcome.visitor !== input.visitorCookie ? outcome.visitor : null;
        res.setHeader('Cache-Control', 'no-store');
        if (outcome.kind === 'not_found') return notFound(res, cookies(req, null, visitor));
        if (outcome.kind === 'redirect') return answer(res, campaign.redirect, outcome.url, cookies(req, null, visitor));
        await answer(res, campaign.redirect, outcome.target, cookies(req, outcome.click.id, visitor));
      },
    },
    {
      // The second hop of a double meta refresh: only to a target this server signed, for a short while.
      path: '/r/:token',
      async handle(req, res) {
        const target = (await hopTokens(store)).verify(req.params.token!, clock.now());
        if (!target) return notFoundPage(res);
        const page = metaRefreshPage(target);
        writeAnswer(res, page.status, page.headers, page.body);
      },
    },
    {
      // The lander's call to action.
      path: '/click/:n',
      async handle(req, res) {
        const n = req.params.n!;
        const slot = /^(?:[1-9]|10)$/.test(n) ? Number(n) : undefined;
        const cid = typeof req.query.cid === 'string' && req.query.cid !== '' ? req.query.cid : readCookie(req.get('cookie'), CLICK_COOKIE);
        if (!slot || !cid || !ClickIdSchema.safeParse(cid).success) return notFoundPage(res);
        const outcome = await followLanderClick(context, cid, slot);
        if (outcome.kind === 'not_found') return notFoundPage(res);
        await answer(res, outcome.campaign?.redirect ?? '302', outcome.target, cookies(req, outcome.click.id, null));
      },
    },
  ];
}

/**
 * `POST /v1/visits` with `campaignId` (README, Campaigns: direct tracking): a visit that reached the lander without
 * the campaign link, routed through the campaign's streams. The lander's URL stands in for the campaign link's query.
 */
export async function campaignDirectVisit(context: AppContext, req: Request, raw: unknown): Promise<{ status: number; body: VisitResponse }> {
  const parsed = CreateCampaignVisitParamsSchema.safeParse(raw);
  if (!parsed.success) throw ApiError.validation(toErrorIssues(parsed.error));
  const body = parsed.data;
  const campaign = CAMPAIGN_REF.test(body.campaignId) ? await context.store.campaigns.getByIdOrAlias(body.campaignId) : undefined;
  if (!campaign || campaign.status !== 'active') throw ApiError.notFound('campaign');
  if (!campaign.directTracking) throw new ApiError(403, 'direct_tracking_disabled', 'direct tracking is not enabled for this campaign');
  if (!originAllowed(req.get('origin'), campaign.allowedOrigins)) throw new ApiError(403, 'origin_not_allowed', 'this origin may not track this campaign');
  const reply = (click: { id: string; offerId: string; landerId?: string | null | undefined } & Record<`sub${1 | 2 | 3 | 4 | 5}`, string | null>): VisitResponse => ({
    clickId: click.id,
    offerId: click.offerId,
    publisherId: null,
    sub1: click.sub1,
    sub2: click.sub2,
    sub3: click.sub3,
    sub4: click.sub4,
    sub5: click.sub5,
    landerId: click.landerId ?? null,
  });
  const known = body.clickId ? await context.store.clicks.get(body.clickId) : undefined;
  if (known && known.campaignId === campaign.id) {
    await recordVisit(context, known, body.landingUrl, body.referrer ?? null);
    return { status: 200, body: reply(known) };
  }
  let landingQuery: Record<string, unknown> = {};
  try {
    landingQuery = Object.fromEntries(new URL(body.landingUrl).searchParams);
  } catch {
    // The schema took it as a URL; nothing more to read from it then.
  }
  const query = withoutNul({ ...landingQuery, ...Object.fromEntries(Object.entries(body).filter(([name]) => /^sub[1-5]$/.test(name))) });
  const input = visitInput(context, req, query, body.referrer ?? null, body.landingUrl);
  if (body.adClickIds) input.adClickIds = { ...input.adClickIds, ...body.adClickIds };
  const outcome = await recordCampaignVisit(context, campaign, input);
  if (outcome.kind !== 'click') throw new ApiError(404, 'no_offer', 'no stream of this campaign sends this visit to an offer');
  return { status: 201, body: reply(outcome.click) };
}
