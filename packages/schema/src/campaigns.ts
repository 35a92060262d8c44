import { z } from 'zod';
import { isCountryCode } from './countries.js';
import { LocalArchiveSchema } from './local-files.js';
import { parseMicros } from './money.js';
import { CurrencySchema, DecimalSchema, IdSchema, OriginSchema, PercentSchema, TimestampSchema, TimezoneSchema, UrlSchema } from './primitives.js';

/*
 * The tracker side (README, Campaigns as resources): traffic sources, landers and campaigns. A campaign is one document:
 * its streams, their filters and actions travel and are stored together, and `PUT /v1/campaigns/:id` replaces them at
 * once.
 */

/** The workspace a record belongs to; on create it defaults to the account's first workspace. */
const WorkspaceIdSchema = IdSchema;

/** A URL query parameter name as a traffic source or a visitor sends it, such as `zoneid` or `utm_term`. */
const ParamNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.\-[\]]{1,64}$/, 'must be a URL parameter name such as "zoneid"');

// ---------------------------------------------------------------------------------------------------------------
// Traffic sources

/** Where a traffic source's URL parameter goes on the visit. */
export const TrafficSourceFieldSchema = z.enum(['externalId', 'cost', 'keyword', 'creativeId', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5']);
export type TrafficSourceField = z.infer<typeof TrafficSourceFieldSchema>;

/** The source's own placeholder, printed as-is in the campaign URL: `{clickid}`, `[zoneid]`, `__CPC__`. */
const SourceMacroSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s&=?#]+$/, 'must be a single placeholder such as "{clickid}" (no spaces, "&", "=", "?" or "#")');

export const TrafficSourceParamSchema = z.strictObject({
  field: TrafficSourceFieldSchema,
  /** The URL parameter the source fills. */
  param: ParamNameSchema,
  /** The source's placeholder for it; a parameter without one is left out of the printed campaign URL. */
  macro: SourceMacroSchema.nullable().optional(),
});
export type TrafficSourceParam = z.infer<typeof TrafficSourceParamSchema>;

const TrafficSourceParamsSchema = z
  .array(TrafficSourceParamSchema)
  .max(20)
  .superRefine((params, ctx) => {
    // One field filled from two parameters, or one parameter read as two fields, would be a guess at run time.
    const fields = new Set<string>();
    const names = new Set<string>();
    params.forEach((param, index) => {
      if (fields.has(param.field)) ctx.addIssue({ code: 'custom', path: [index, 'field'], message: `"${param.field}" is mapped twice` });
      if (names.has(param.param.toLowerCase())) ctx.addIssue({ code: 'custom', path: [index, 'param'], message: `"${param.param}" is mapped twice` });
      fields.add(param.field);
      names.add(param.param.toLowerCase());
    });
  });

const trafficSourceFields = {
  name: z.string().trim().min(1).max(200),
  params: TrafficSourceParamsSchema,
  /**
   * The source's conversion postback, sent through the outbox on each accepted conversion and status change of its
   * clicks. The offer URL's macros (README) plus `{external_id}`, `{campaign_id}` and `{revenue}`; never in the scheme,
   * host or port.
   */
  postbackUrl: UrlSchema.nullable(),
  /**
   * Signs the requests sent to `postbackUrl` (`X-Waypost-Signature`), as a publisher's `postbackSecret` does. Made on
   * create when not given; `PATCH` with a new one rotates it, `null` sends the postback unsigned.
   */
  postbackSecret: z.string().min(16).max(200).nullable(),
  notes: z.string().max(10_000).nullable(),
  workspaceId: WorkspaceIdSchema,
};

export const CreateTrafficSourceParamsSchema = z.strictObject({
  ...trafficSourceFields,
  params: trafficSourceFields.params.default([]),
  postbackUrl: trafficSourceFields.postbackUrl.optional(),
  postbackSecret: trafficSourceFields.postbackSecret.optional(),
  notes: trafficSourceFields.notes.optional(),
  workspaceId: trafficSourceFields.workspaceId.optional(),
});
export type CreateTrafficSourceParams = z.input<typeof CreateTrafficSourceParamsSchema>;

/** `PATCH` body: any subset; each field named is replaced whole (`params` included). */
export const UpdateTrafficSourceParamsSchema = z.strictObject(trafficSourceFields).partial();
export type UpdateTrafficSourceParams = z.input<typeof UpdateTrafficSourceParamsSchema>;

export const TrafficSourceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  params: z.array(TrafficSourceParamSchema),
  postbackUrl: z.string().nullable(),
  /** Seen by the team, never by publishers (who cannot read traffic sources). Null on a source made before it existed. */
  postbackSecret: z.string().nullable(),
  notes: z.string().nullable(),
  workspaceId: IdSchema,
  /** Set by `DELETE`: the source leaves lists and cannot be chosen again, and its clicks keep naming it. */
  archivedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type TrafficSource = z.infer<typeof TrafficSourceSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Landers

const landerFields = {
  name: z.string().trim().min(1).max(200),
  /** The page shown before the offer; may hold the offer URL's macros (README), and `{click_url}` for its call to action. */
  url: UrlSchema.nullable(),
  /** How many offer links the page has (slots `{click_url:1}`…`{click_url:N}`), not a list of offers. */
  offers: z.number().int().min(1).max(10),
  notes: z.string().max(10_000).nullable(),
  workspaceId: WorkspaceIdSchema,
};

export const CreateLanderParamsSchema = z.strictObject({
  ...landerFields,
  url: landerFields.url.optional(),
  offers: landerFields.offers.default(1),
  notes: landerFields.notes.optional(),
  workspaceId: landerFields.workspaceId.optional(),
});
export type CreateLanderParams = z.input<typeof CreateLanderParamsSchema>;

export const UpdateLanderParamsSchema = z.strictObject(landerFields).partial();
export type UpdateLanderParams = z.input<typeof UpdateLanderParamsSchema>;

export const LanderSchema = z.object({
  id: IdSchema,
  name: z.string(),
  url: z.string().nullable(),
  offers: z.number().int(),
  notes: z.string().nullable(),
  /** The uploaded zip it serves at `PUBLIC_URL/l/LANDER_ID/`, used instead of `url` (README, Local landers and offers). */
  archive: LocalArchiveSchema.nullable(),
  workspaceId: IdSchema,
  archivedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Lander = z.infer<typeof LanderSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Stream filters

export const DEVICE_FILTER_VALUES = ['desktop', 'mobile', 'tablet'] as const;
export const OS_VALUES = ['windows', 'macos', 'ios', 'android', 'linux', 'chromeos'] as const;
export const BROWSER_VALUES = ['chrome', 'safari', 'firefox', 'edge', 'opera', 'samsung', 'facebook', 'instagram', 'tiktok'] as const;
export type Os = (typeof OS_VALUES)[number];
export type Browser = (typeof BROWSER_VALUES)[number];

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | null => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let words = 0;
  for (const [index, group] of all.entries()) {
    if (index === all.length - 1 && IPV4.test(group)) words += 2;
    else if (/^[0-9a-fA-F]{1,4}$/.test(group)) words += 1;
    else return false;
  }
  return halves.length === 2 ? words < 8 : words === 8;
}

/** An IPv4 or IPv6 address, or a CIDR range of one (`203.0.113.0/24`, `2001:db8::/32`). */
export function isIpOrCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  if (rest.length > 0) return false;
  const bits = IPV4.test(address) ? 32 : isIpv6(address) ? 128 : 0;
  if (bits === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A weekly time window in the campaign's timezone: ISO days (1 = Monday … 7 = Sunday), `from` inclusive and `to`
 * exclusive, `HH:MM`. A window whose `to` is earlier than its `from` runs past midnight into the next day; equal `from`
 * and `to` is the whole day.
 */
export const ScheduleWindowSchema = z.strictObject({
  days: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
  from: z.string().regex(TIME, 'must be a time "HH:MM" from 00:00 to 23:59'),
  to: z.string().regex(TIME, 'must be a time "HH:MM" from 00:00 to 23:59'),
});
export type ScheduleWindow = z.infer<typeof ScheduleWindowSchema>;

const FilterModeSchema = z.enum(['allow', 'deny']);

/** A filter of one type: `allow` keeps visits whose value is in `values`, `deny` keeps the others. */
function filterOf<T extends string, V extends z.ZodType>(type: T, values: V) {
  return z.strictObject({ type: z.literal(type), mode: FilterModeSchema.default('allow'), values });
}

const valuesOf = <V extends z.ZodType>(value: V, max = 1000) => z.array(value).min(1).max(max);
const flag = z.array(z.boolean()).length(1, 'must be [true] or [false]');

export const StreamFilterSchema = z.discriminatedUnion('type', [
  filterOf(
    'country',
    valuesOf(
      z
        .string()
        .trim()
        .toUpperCase()
        .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as "US"'),
    ),
  ),
  filterOf('device', valuesOf(z.enum(DEVICE_FILTER_VALUES))),
  filterOf('os', valuesOf(z.enum(OS_VALUES))),
  filterOf('browser', valuesOf(z.enum(BROWSER_VALUES))),
  /** The primary subtag of the visitor's first `Accept-Language` language: `en`, `de`. */
  filterOf(
    'language',
    valuesOf(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2,3}$/, 'must be a language subtag such as "en"'),
    ),
  ),
  filterOf(
    'ip',
    valuesOf(
      z
        .string()
        .trim()
        .toLowerCase()
        .refine(isIpOrCidr, 'must be an IPv4 or IPv6 address or CIDR range such as "203.0.113.0/24"'),
    ),
  ),
  /** Referrer domains, each matching its subdomains too; `""` matches an empty referrer. */
  filterOf(
    'referrer',
    valuesOf(
      z
        .string()
        .trim()
        .toLowerCase()
        .refine((value) => value === '' || HOSTNAME.test(value), 'must be a domain such as "example.com", or "" for no referrer'),
    ),
  ),
  /** `name=value`: the visit's URL parameter `name` equals `value` (`name=` matches an empty value). */
  filterOf(
    'param',
    valuesOf(
      z
        .string()
        .max(512)
        .refine((value) => /^[A-Za-z0-9_.\-[\]]{1,64}=/.test(value), 'must be "name=value" with a URL parameter name such as "zone=42"'),
    ),
  ),
  filterOf('schedule', valuesOf(ScheduleWindowSchema, 50)),
  filterOf('unique', flag),
  filterOf('bot', flag),
]);
export type StreamFilter = z.infer<typeof StreamFilterSchema>;
export type StreamFilterType = StreamFilter['type'];

// ---------------------------------------------------------------------------------------------------------------
// Stream actions

/** A relative weight: 200 and 100 split 2 : 1. */
const WeightSchema = z.number().int().min(1).max(1000);

export const FlowLanderSchema = z.strictObject({ landerId: IdSchema, weight: WeightSchema.default(100) });
export const FlowOfferSchema = z.strictObject({ offerId: IdSchema, weight: WeightSchema.default(100) });

/** The most landers and offers one stream may rotate. */
export const MAX_FLOW_LANDERS = 20;
export const MAX_FLOW_OFFERS = 20;

function unique<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(key(item))) ctx.addIssue({ code: 'custom', path: [index], message: `lists ${what} "${key(item)}" twice` });
      seen.add(key(item));
    });
  };
}

export const StreamActionSchema = z.discriminatedUnion('type', [
  /**
   * Draws a lander and an offer by weight; without landers the visit goes straight to the offer. A lander with N offer
   * slots takes the stream's N first offers, so the stream lists at least as many offers as its landers have slots.
   */
  z.strictObject({
    type: z.literal('flow'),
    landers: z
      .array(FlowLanderSchema)
      .max(MAX_FLOW_LANDERS, `must list at most ${MAX_FLOW_LANDERS} landers`)
      .superRefine(unique((lander) => lander.landerId, 'lander'))
      .default([]),
    offers: z
      .array(FlowOfferSchema)
      .min(1, 'must list at least one offer')
      .max(MAX_FLOW_OFFERS, `must list at most ${MAX_FLOW_OFFERS} offers`)
      .superRefine(unique((offer) => offer.offerId, 'offer')),
  }),
  /**
   * Sends the visitor to a URL (sub ids, country and device expanded). No click is recorded (a click belongs to an
   * offer), so the visit counts nowhere, not even in visits or costs (README, The campaign link).
   */
  z.strictObject({ type: z.literal('redirect'), url: UrlSchema }),
  /** Routes the visit through another campaign's streams; the click stays this campaign's. */
  z.strictObject({ type: z.literal('campaign'), campaignId: IdSchema }),
  /** Shows the plain 404 page; like `redirect`, no click is recorded and the visit counts nowhere. */
  z.strictObject({ type: z.literal('not_found') }),
]);
export type StreamAction = z.infer<typeof StreamActionSchema>;
export type FlowAction = Extract<StreamAction, { type: 'flow' }>;

// ---------------------------------------------------------------------------------------------------------------
// Streams

export const StreamTypeSchema = z.enum(['forced', 'regular', 'default']);

const streamFields = {
  name: z.string().trim().min(1).max(200),
  type: StreamTypeSchema.default('regular'),
  status: z.enum(['active', 'paused']).default('active'),
  /** For `rotation: weight` among regular streams. */
  weight: WeightSchema.default(100),
  /** `all` needs every filter to pass, `any` one of them; a stream without filters passes every visit. */
  match: z.enum(['all', 'any']).default('all'),
  filters: z.array(StreamFilterSchema).max(30).default([]),
  action: StreamActionSchema,
};

/**
 * A stream as sent: the server assigns ids. On `PUT`, a stream that carries the id of one of the campaign's streams
 * keeps it; one without an id gets a new one.
 */
export const StreamParamsSchema = z.strictObject({ id: IdSchema.optional(), ...streamFields });
export type StreamParams = z.input<typeof StreamParamsSchema>;

export const StreamSchema = z.object({
  id: IdSchema,
  name: z.string(),
  type: StreamTypeSchema,
  status: z.enum(['active', 'paused']),
  weight: z.number().int(),
  match: z.enum(['all', 'any']),
  filters: z.array(StreamFilterSchema),
  action: StreamActionSchema,
});
export type Stream = z.infer<typeof StreamSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Campaigns

export const CostModelSchema = z.enum(['none', 'cpc', 'cpuc', 'cpm', 'cpa', 'revshare', 'auto']);
export type CostModel = z.infer<typeof CostModelSchema>;

/** A cost in the campaign currency with up to 6 decimal places, kept in millionths of a unit ("0.0004"). */
export const CostAmountSchema = DecimalSchema.superRefine((value, ctx) => {
  const parsed = parseMicros(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

/**
 * What the traffic costs: `cpc` `amount` per visit, `cpuc` per unique visit, `cpm` per 1,000 visits, `cpa` per approved
 * conversion, `revshare` `percent` of the conversion's revenue, `auto` the source's `cost` parameter, `none` nothing.
 */
export const CampaignCostSchema = z
  .strictObject({
    model: CostModelSchema,
    amount: CostAmountSchema.optional(),
    percent: PercentSchema.optional(),
  })
  .superRefine((cost, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const needsAmount = cost.model === 'cpc' || cost.model === 'cpuc' || cost.model === 'cpm' || cost.model === 'cpa';
    if (needsAmount && cost.amount === undefined) issue('amount', `is required with model "${cost.model}"`);
    if (!needsAmount && cost.amount !== undefined) issue('amount', `is not used with model "${cost.model}"`);
    if (cost.model === 'revshare' && cost.percent === undefined) issue('percent', 'is required with model "revshare"');
    if (cost.model !== 'revshare' && cost.percent !== undefined) issue('percent', 'is only used with model "revshare"');
  });
export type CampaignCost = z.infer<typeof CampaignCostSchema>;

export const RedirectModeSchema = z.enum(['302', '307', 'meta', 'double_meta', 'js']);
export type RedirectMode = z.infer<typeof RedirectModeSchema>;

/**
 * A campaign's alias: the readable name in its link (`/t/summer-sale`), unique without regard to case. It cannot look
 * like a campaign id, so that `/t/:campaign` never has to choose between the two.
 */
export const CampaignAliasSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "-" and "_"')
  .refine((alias) => !/^cmp_/i.test(alias), 'must not start with "cmp_", which campaign ids use');

export const CampaignStatusSchema = z.enum(['active', 'paused']);

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  alias: CampaignAliasSchema.nullable(),
  status: CampaignStatusSchema,
  trafficSourceId: IdSchema.nullable(),
  /** The currency of its costs; defaults to the account currency. */
  currency: CurrencySchema,
  /** The timezone of its schedule filters; defaults to the account timezone. */
  timezone: TimezoneSchema,
  cost: CampaignCostSchema,
  redirect: RedirectModeSchema,
  /** How a regular stream is chosen among those whose filters pass: the first in list order, or drawn by weight. */
  rotation: z.enum(['position', 'weight']),
  /** A visitor counts as unique once per this many hours, per campaign and per stream. */
  uniquenessHours: z.number().int().min(1).max(8760),
  /** A returning visitor gets the stream, lander and offer of their last visit while that stream still passes. */
  bindVisitors: z.boolean(),
  /** Whether the browser script (`data-campaign`) may record visits that came without the campaign link. */
  directTracking: z.boolean(),
  /** Origins allowed to record direct visits; empty means any. */
  allowedOrigins: z.array(OriginSchema).max(100),
  streams: z.array(StreamParamsSchema).max(100),
  notes: z.string().max(10_000).nullable(),
  workspaceId: WorkspaceIdSchema,
};

/** The rules that tie the streams together; every issue names its field. */
function checkStreams(campaign: { streams?: z.output<typeof StreamParamsSchema>[] | undefined }, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  let defaults = 0;
  campaign.streams?.forEach((stream, index) => {
    if (stream.id !== undefined) {
      if (ids.has(stream.id)) ctx.addIssue({ code: 'custom', path: ['streams', index, 'id'], message: `"${stream.id}" is listed twice` });
      ids.add(stream.id);
    }
    if (stream.type === 'default' && ++defaults > 1) {
      ctx.addIssue({ code: 'custom', path: ['streams', index, 'type'], message: 'a campaign has at most one default stream' });
    }
  });
}

export const CreateCampaignParamsSchema = z
  .strictObject({
    ...campaignFields,
    alias: campaignFields.alias.optional(),
    status: campaignFields.status.default('active'),
    trafficSourceId: campaignFields.trafficSourceId.optional(),
    currency: campaignFields.currency.optional(),
    timezone: campaignFields.timezone.optional(),
    cost: campaignFields.cost.default({ model: 'none' }),
    redirect: campaignFields.redirect.default('302'),
    rotation: campaignFields.rotation.default('position'),
    uniquenessHours: campaignFields.uniquenessHours.default(24),
    bindVisitors: campaignFields.bindVisitors.default(false),
    directTracking: campaignFields.directTracking.default(false),
    allowedOrigins: campaignFields.allowedOrigins.default([]),
    streams: campaignFields.streams.default([]),
    notes: campaignFields.notes.optional(),
    workspaceId: campaignFields.workspaceId.optional(),
  })
  .superRefine(checkStreams);
export type CreateCampaignParams = z.input<typeof CreateCampaignParamsSchema>;

/**
 * `PUT` body: the whole campaign, as on create (fields left out take their defaults, and `currency` and `timezone` keep
 * the campaign's). Its streams replace the old ones at once.
 */
export const ReplaceCampaignParamsSchema = CreateCampaignParamsSchema;
export type ReplaceCampaignParams = CreateCampaignParams;

/** `PATCH` body: any subset; each field named is replaced whole (`streams` replaces every stream, as on `PUT`). */
export const UpdateCampaignParamsSchema = z.strictObject(campaignFields).partial().superRefine(checkStreams);
export type UpdateCampaignParams = z.input<typeof UpdateCampaignParamsSchema>;

export const CampaignSchema = z.object({
  id: IdSchema,
  name: z.string(),
  alias: z.string().nullable(),
  status: CampaignStatusSchema,
  trafficSourceId: IdSchema.nullable(),
  currency: z.string(),
  timezone: z.string(),
  cost: CampaignCostSchema,
  redirect: RedirectModeSchema,
  rotation: z.enum(['position', 'weight']),
  uniquenessHours: z.number().int(),
  bindVisitors: z.boolean(),
  directTracking: z.boolean(),
  allowedOrigins: z.array(z.string()),
  streams: z.array(StreamSchema),
  notes: z.string().nullable(),
  workspaceId: IdSchema,
  /** Set by `DELETE`: the link answers 404 and the campaign leaves lists; its clicks and reports stay. */
  archivedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Campaign = z.infer<typeof CampaignSchema>;

/**
 * `GET /v1/campaigns/:id/links`. `campaignUrl` is what the buyer pastes into the traffic source: the source's
 * placeholders appear with literal braces (`cid={clickid}`), never URL-encoded. `clickUrl` is the lander's call to
 * action (offer slot 1; `/click/N` for slot N): it finds the visit by the `waypost_cid` cookie, and `{click_url}` in a
 * lander's URL expands to it with `?cid=CLICK_ID` for browsers that drop the cookie.
 */
export const CampaignLinksSchema = z.object({
  campaignId: IdSchema,
  campaignUrl: z.string(),
  clickUrl: z.string(),
});
export type CampaignLinks = z.infer<typeof CampaignLinksSchema>;

const ListArchivedSchema = z.object({
  q: z.string().max(255).optional(),
  includeArchived: z.enum(['true', 'false']).optional(),
  workspaceId: IdSchema.optional(),
});

export const ListTrafficSourcesQuerySchema = ListArchivedSchema;
export const ListLandersQuerySchema = ListArchivedSchema;
export const ListCampaignsQuerySchema = ListArchivedSchema.extend({
  status: CampaignStatusSchema.optional(),
  trafficSourceId: IdSchema.optional(),
});
export type ListCampaignsQuery = z.infer<typeof ListCampaignsQuerySchema>;
