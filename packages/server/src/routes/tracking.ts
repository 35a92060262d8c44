import {
  CreateBrowserConversionParamsSchema,
  CreateVisitParamsSchema,
  IdSchema,
  toErrorIssues,
  type VisitResponse,
} from '@waypost/schema';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import { adClickIdsFrom, destinationFor, recordClick, recordVisit, resolveTarget, subIdsFrom } from '../engine/clicks.js';
import { type ConversionInput, type ConversionOutcome, ConversionError, recordConversion } from '../engine/conversions.js';
import { readConversionParams } from '../engine/network-params.js';
import { addToRollups } from '../engine/rollups.js';
import { ApiError, bodyError, toApiError } from '../http/errors.js';
import { type LaneRoute, type TrackingRequest, writeAnswer } from '../http/lane.js';
import { encodeLocation } from '../tracking/redirect-pages.js';
import { withoutNul } from '../http/nul.js';
import type { PostbackLogRecord } from '../storage/store.js';
import { campaignDirectVisit } from './campaign-tracking.js';
import { type LogOutcome, postbackLogEntry } from './postback-log.js';
import {
  type ConversionParams,
  corsHeaders,
  originAllowed,
  readCookie,
  serializeCookie,
  TRANSPARENT_GIF,
  truncateIp,
  visitDevice,
} from '../tracking/index.js';

export const CLICK_COOKIE = 'waypost_cid';
export const CLICK_COOKIE_DAYS = 90;

/** The plain page of an unknown or unusable tracking link. */
export const notFoundPage = (res: ServerResponse): void => writeAnswer(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'This link is not available.\n');

/** The visitor's country: the trusted header when present, else the address the proxy settings give, before truncation. */
export function visitCountry({ config, countryLookup }: AppContext, req: TrackingRequest): string | null {
  const value = config.countryHeader === 'off' ? undefined : req.get(config.countryHeader)?.trim().toUpperCase();
  if (value && /^[A-Z]{2}$/.test(value) && value !== 'XX' && value !== 'T1') return value;
  return countryLookup?.country(req.ip) ?? null;
}

/** The tracking link `GET /c/:offerId`, on the tracking lane (http/lane.ts). */
export function clickLaneRoute(context: AppContext): LaneRoute {
  const { store } = context;
  return {
    path: '/c/:offerId',
    async handle(req, res) {
      // NUL cannot be stored (http/nul.ts): a tracking parameter loses it rather than the visitor being lost.
      const query = withoutNul(req.query);
      const offerId = req.params.offerId!;
      const requested = IdSchema.safeParse(offerId).success ? await store.offers.get(offerId) : undefined;
      if (!requested) return notFoundPage(res);
      // A repeated pub names no one publisher: refused like an unknown one rather than recorded without any.
      if (Array.isArray(query.pub)) return notFoundPage(res);
      const pub = typeof query.pub === 'string' && query.pub !== '' ? query.pub : undefined;
      const publisher = pub && IdSchema.safeParse(pub).success ? await store.publishers.get(pub) : undefined;
      if (pub && !publisher) return notFoundPage(res);
      const target = await resolveTarget(context, requested);
      if (!target) return notFoundPage(res);
      const click = await recordClick(context, {
        offer: target,
        requestedOfferId: requested.id,
        publisherId: publisher?.id ?? null,
        rejectedReason: publisher?.status === 'paused' ? 'publisher_paused' : null,
        subs: subIdsFrom(query),
        source: 'redirect',
        country: visitCountry(context, req),
        device: visitDevice(req),
        referrer: req.get('referer')?.slice(0, 2048) ?? null,
        landingUrl: null,
        adClickIds: adClickIdsFrom(query),
        ipPrefix: truncateIp(req.ip),
      });
      const destination = await destinationFor(context, target, click);
      if (!destination) return notFoundPage(res);
      writeAnswer(
        res,
        302,
        {
          Location: encodeLocation(destination),
          'Set-Cookie': serializeCookie(CLICK_COOKIE, click.id, { maxAgeSeconds: CLICK_COOKIE_DAYS * 86_400, path: '/', secure: req.secure, httpOnly: true, sameSite: 'Lax' }),
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer-when-downgrade',
        },
        '',
      );
    },
  };
}

/**
 * The public tracking endpoints (README, Tracking endpoints): no API key, each with its own guard. Returns the error
 * handler for their requests whose body cannot be read, to mount after every route.
 */
export function trackingRoutes(router: Router, context: AppContext): ErrorRequestHandler {
  const { store, config, clock } = context;
  const countryOf = (req: Request) => visitCountry(context, req);

  const logEntry = (req: Request, channel: PostbackLogRecord['channel'], params: Record<string, unknown>, outcome: LogOutcome) =>
    postbackLogEntry(clock, req, channel, params, outcome);
  /** Logs a refused report (an accepted one is logged in its conversion's transaction) and counts it. */
  const log = (req: Request, channel: PostbackLogRecord['channel'], params: Record<string, unknown>, outcome: LogOutcome) => {
    if (outcome.reason) context.metrics?.rejection(channel, outcome.reason);
    return store.postbackLog.insert(logEntry(req, channel, params, outcome));
  };

  /** Runs one conversion report and writes its outcome, good or bad, to the postback log. */
  const convert = async (
    req: Request,
    channel: PostbackLogRecord['channel'],
    params: Record<string, unknown>,
    input: () => ConversionInput | Promise<ConversionInput>,
  ) => {
    try {
      return await recordConversion(context, await input(), {
        log: (outcome) =>
          logEntry(req, channel, params, {
            httpStatus: outcome.httpStatus,
            status: outcome.result.status,
            reason: outcome.result.reason,
            offerId: outcome.offerId,
            clickId: outcome.clickId,
            conversionId: outcome.result.conversionId,
          }),
      });
    } catch (error) {
      const apiError = toApiError(error);
      if (!apiError) throw error;
      // The log entry would wait for the same write lock; the sender is told to retry instead.
      if (apiError.code === 'database_busy') {
        context.metrics?.rejection(channel, apiError.code);
        throw apiError;
      }
      const known = error instanceof ConversionError ? error : undefined;
      await log(req, channel, params, { httpStatus: apiError.status, status: 'error', reason: apiError.code, offerId: known?.offerId, clickId: known?.clickId });
      throw apiError;
    }
  };

  // Browser endpoints: JSON sent as text/plain, so that browsers skip the CORS preflight.
  const browserBody = express.text({ type: ['text/plain', 'application/json'], limit: '16kb' });
  const parseJson = (req: Request): unknown => {
    // application/json was already parsed by the app's JSON parser.
    if (req.body !== undefined && typeof req.body === 'object') return withoutNul(req.body);
    if (typeof req.body !== 'string') throw new ApiError(415, 'unsupported_media_type', 'send JSON as text/plain or application/json');
    try {
      return withoutNul(JSON.parse(req.body));
    } catch {
      throw new ApiError(400, 'malformed_json', 'the request body is not valid JSON', [{ path: 'body', code: 'malformed_json', message: 'not valid JSON' }]);
    }
  };
  const cors = (req: Request, res: Response) => {
    for (const [name, value] of Object.entries(corsHeaders(req.get('origin')))) res.setHeader(name, value);
  };
  router.options(['/v1/visits', '/v1/conversions/browser'], (req, res) => {
    cors(req, res);
    res.status(204).end();
  });

  // POST /v1/visits — direct tracking.
  router.post('/v1/visits', browserBody, async (req, res) => {
    cors(req, res);
    const raw = parseJson(req);
    // A lander's script with data-campaign: the server picks the stream, lander and offer (README, Campaigns).
    if (raw && typeof raw === 'object' && 'campaignId' in raw) {
      const { status, body } = await campaignDirectVisit(context, req, raw);
      return res.status(status).json(body);
    }
    const parsed = CreateVisitParamsSchema.safeParse(raw);
    if (!parsed.success) throw ApiError.validation(toErrorIssues(parsed.error));
    const body = parsed.data;
    const offer = await store.offers.get(body.offerId);
    if (!offer) throw ApiError.notFound('offer');
    if (!offer.directTracking) throw new ApiError(403, 'direct_tracking_disabled', 'direct tracking is not enabled for this offer');
    if (!originAllowed(req.get('origin'), offer.allowedOrigins)) throw new ApiError(403, 'origin_not_allowed', 'this origin may not track this offer');
    const reply = (click: { id: string; offerId: string; publisherId: string | null } & Record<`sub${1 | 2 | 3 | 4 | 5}`, string | null>): VisitResponse => ({
      clickId: click.id,
      offerId: click.offerId,
      publisherId: click.publisherId,
      sub1: click.sub1,
      sub2: click.sub2,
      sub3: click.sub3,
      sub4: click.sub4,
      sub5: click.sub5,
    });
    const known = body.clickId ? await store.clicks.get(body.clickId) : undefined;
    if (known && known.offerId === offer.id) {
      await recordVisit(context, known, body.landingUrl, body.referrer ?? null);
      return res.json(reply(known));
    }
    const publisher = body.publisherId ? await store.publishers.get(body.publisherId) : undefined;
    if (body.publisherId && !publisher) throw ApiError.notFound('publisher');
    const click = await recordClick(context, {
      offer,
      requestedOfferId: offer.id,
      publisherId: publisher?.id ?? null,
      rejectedReason: publisher?.status === 'paused' ? 'publisher_paused' : null,
      subs: subIdsFrom(body),
      source: 'direct',
      country: countryOf(req),
      device: visitDevice(req),
      referrer: body.referrer?.slice(0, 2048) ?? null,
      landingUrl: body.landingUrl,
      adClickIds: body.adClickIds ?? {},
      ipPrefix: truncateIp(req.ip),
    });
    res.status(201).json(reply(click));
  });

  // POST /v1/conversions/browser — a conversion from the browser script, guarded by allowedOrigins.
  router.post('/v1/conversions/browser', browserBody, async (req, res) => {
    cors(req, res);
    let raw: unknown;
    try {
      raw = parseJson(req);
    } catch (error) {
      // Logged like every other refused report, though there are no parameters to keep.
      const apiError = toApiError(error);
      if (apiError) await log(req, 'browser', {}, { httpStatus: apiError.status, status: 'error', reason: apiError.code });
      throw error;
    }
    const params = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const outcome = await convert(req, 'browser', params, async () => {
      const parsed = CreateBrowserConversionParamsSchema.safeParse(raw);
      if (!parsed.success) throw ApiError.validation(toErrorIssues(parsed.error));
      // Guarded by the offer's allowedOrigins, checked before anything is recorded.
      const click = await store.clicks.get(parsed.data.clickId);
      const offer = click ? await store.offers.get(click.offerId) : undefined;
      if (offer && !originAllowed(req.get('origin'), offer.allowedOrigins)) {
        throw new ApiError(403, 'origin_not_allowed', 'this origin may not report conversions for this offer');
      }
      return { source: 'browser', ...parsed.data };
    });
    res.status(outcome.httpStatus).json(outcome.result);
  });

  // GET /pixel.gif — an image-pixel conversion; it always answers with the GIF.
  router.get('/pixel.gif', async (req, res) => {
    const query = withoutNul(req.query as Record<string, unknown>);
    const clickFromCookie = readCookie(req.get('cookie'), CLICK_COOKIE);
    try {
      // Read with the fixed parameter names of the offer's network, once the offer is known (README, Affiliate
      // networks).
      const normalized = await readConversionParams(context, query, clickFromCookie);
      if (!normalized.ok) {
        await log(req, 'pixel', query, { httpStatus: 400, status: 'error', reason: normalized.code });
        throw new ApiError(400, normalized.code, `${normalized.field}: ${normalized.message}`);
      }
      const p = normalized.params;
      // Without the offer's token the pixel's status and payout are ignored (README, Security); with it, it is a
      // postback.
      const token = p.token ?? req.get('x-waypost-token');
      await convert(req, 'pixel', query, () => ({ ...fromParams(p), source: 'pixel', clickId: p.click_id ?? clickFromCookie, token, ip: req.ip }));
    } catch (error) {
      const apiError = toApiError(error);
      if (!apiError) throw error;
      // Already logged; a pixel never breaks the page. A busy database still says so, with the GIF, so that nothing
      // claims the conversion was taken.
      if (apiError.status === 503) {
        for (const [name, value] of Object.entries(apiError.headers ?? {})) res.setHeader(name, value);
        return sendGif(res, 503);
      }
    }
    sendGif(res);
  });

  // GET|POST /postback — server-to-server conversions.
  const postback = async (req: Request, res: Response) => {
    const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    const params = withoutNul({ ...(req.query as Record<string, unknown>), ...body });
    let outcome: ConversionOutcome;
    try {
      // Read with the fixed parameter names of the offer's network, once the offer is known (README, Affiliate
      // networks).
      const normalized = await readConversionParams(context, params);
      if (!normalized.ok) {
        const error = new ApiError(400, normalized.code, `${normalized.field}: ${normalized.message}`, [{ path: normalized.field, code: normalized.code, message: normalized.message }]);
        await log(req, 'postback', params, { httpStatus: 400, status: 'error', reason: normalized.code });
        throw error;
      }
      const p = normalized.params;
      outcome = await convert(req, 'postback', params, () => ({
        ...fromParams(p),
        source: 'postback',
        token: p.token ?? req.get('x-waypost-token'),
        ip: req.ip,
      }));
    } catch (error) {
      const apiError = toApiError(error);
      if (!apiError) throw error;
      for (const [name, value] of Object.entries(apiError.headers ?? {})) res.setHeader(name, value);
      return res.status(apiError.status).json({ status: 'rejected', reason: apiError.code, ...apiError.toBody() });
    }
    res.status(outcome.httpStatus).json(outcome.result);
  };
  router.get('/postback', postback);
  router.post('/postback', express.urlencoded({ extended: false, limit: '16kb' }), postback);

  // GET /i/:offerId — one CPM impression.
  router.get('/i/:offerId', async (req, res) => {
    const offer = IdSchema.safeParse(req.params.offerId).success ? await store.offers.get(req.params.offerId) : undefined;
    const pub = typeof req.query.pub === 'string' ? req.query.pub : undefined;
    const publisher = pub && IdSchema.safeParse(pub).success ? await store.publishers.get(pub) : undefined;
    if (!offer || Array.isArray(req.query.pub) || (pub && !publisher)) return sendGif(res, 404);
    // A bot's impression is nobody's view: it is not counted, so it never earns a CPM payout (README, Security).
    const device = visitDevice(req);
    if (device === 'bot') return sendGif(res);
    const now = clock.now();
    const dimensions = { offerId: offer.id, publisherId: publisher?.id ?? null, country: countryOf(req), device, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null };
    await store.transaction((tx) => addToRollups(tx, config.timezone, now, dimensions, { impressions: 1 }));
    sendGif(res);
  });

  // A body that cannot be read (corrupt gzip, deflate or br; a form of over 1,000 fields) fails in a body parser,
  // before the route runs: the report still goes to the postback log, and the pixel still answers with its GIF.
  const channels = new Map<string, PostbackLogRecord['channel']>([
    ['GET /postback', 'postback'],
    ['POST /postback', 'postback'],
    ['GET /pixel.gif', 'pixel'],
    ['POST /v1/conversions/browser', 'browser'],
  ]);
  return async (error, req, res, next) => {
    const apiError = bodyError(error);
    const channel = channels.get(`${req.method} ${req.path.toLowerCase().replace(/\/$/, '')}`);
    if (!apiError || !channel) return next(error);
    await log(req, channel, withoutNul(req.query as Record<string, unknown>), { httpStatus: apiError.status, status: 'error', reason: apiError.code });
    if (channel === 'pixel') return sendGif(res);
    if (channel === 'postback') return res.status(apiError.status).json({ status: 'rejected', reason: apiError.code, ...apiError.toBody() });
    cors(req, res);
    next(apiError);
  };
}

/** Postback and pixel parameters, under their canonical names, as a conversion report. */
function fromParams(p: ConversionParams): Omit<ConversionInput, 'source'> {
  return {
    clickId: p.click_id,
    couponCode: p.coupon,
    offerId: p.offer_id,
    transactionId: p.transaction_id,
    event: p.event,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    payout: p.payout,
    country: p.country,
  };
}

function sendGif(res: Response, status = 200): void {
  res.status(status).set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, max-age=0' }).send(TRANSPARENT_GIF);
}
