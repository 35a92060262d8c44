import { z } from 'zod';
import { IdSchema, LabelSchema, TimestampSchema, UrlSchema } from './primitives.js';

export const AD_CLICK_ID_PARAMS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid'] as const;
export type AdClickIdParam = (typeof AD_CLICK_ID_PARAMS)[number];

export const AdClickIdsSchema = z.partialRecord(z.enum(AD_CLICK_ID_PARAMS), z.string().max(512));
export type AdClickIds = z.infer<typeof AdClickIdsSchema>;

export const DeviceSchema = z.enum(['desktop', 'mobile', 'tablet', 'bot']);
export type Device = z.infer<typeof DeviceSchema>;

/** A click id: URL-safe, at most 32 characters, at least 96 random bits when Waypost makes it. */
export const ClickIdSchema = z
  .string()
  .trim()
  .min(8)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a Waypost click id (URL-safe, at most 32 characters)');

export const SubIdsSchema = z.object({
  sub1: LabelSchema.nullable(),
  sub2: LabelSchema.nullable(),
  sub3: LabelSchema.nullable(),
  sub4: LabelSchema.nullable(),
  sub5: LabelSchema.nullable(),
});

export const ClickSchema = z.object({
  id: ClickIdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  ...SubIdsSchema.shape,
  source: z.enum(['redirect', 'direct', 'campaign']),
  country: z.string().nullable(),
  device: DeviceSchema,
  referrer: z.string().nullable(),
  landingUrl: z.string().nullable(),
  adClickIds: AdClickIdsSchema,
  /** The visitor's address with the host part cut (/24 for IPv4, /48 for IPv6). */
  ipPrefix: z.string().nullable(),
  status: z.enum(['accepted', 'rejected']),
  reason: z.string().nullable(),
  createdAt: TimestampSchema,
  // The campaign side (SPEC §10 step 6): null on clicks that did not come through a campaign.
  campaignId: IdSchema.nullable(),
  /** The stream that acted; with a `campaign` action, a stream of the target campaign. */
  streamId: IdSchema.nullable(),
  landerId: IdSchema.nullable(),
  trafficSourceId: IdSchema.nullable(),
  /** The traffic source's own click id. */
  externalId: z.string().nullable(),
  creativeId: z.string().nullable(),
  keyword: z.string().nullable(),
  os: z.string().nullable(),
  browser: z.string().nullable(),
  language: z.string().nullable(),
  isBot: z.boolean().nullable(),
  isUnique: z.boolean().nullable(),
  isUniqueStream: z.boolean().nullable(),
  /** What the visit cost, in the campaign currency, as a decimal with up to 6 places ("0.0004"). */
  cost: z.string().nullable(),
  landerClickedAt: TimestampSchema.nullable(),
});
export type Click = z.infer<typeof ClickSchema>;

export const ListClicksQuerySchema = z.object({
  offerId: IdSchema.optional(),
  publisherId: IdSchema.optional(),
  source: z.enum(['redirect', 'direct', 'campaign']).optional(),
  campaignId: IdSchema.optional(),
  landerId: IdSchema.optional(),
  trafficSourceId: IdSchema.optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
});

const optionalSub = LabelSchema.optional();

/** `POST /v1/visits`, sent by the browser script (as `text/plain` JSON, to avoid a CORS preflight). */
export const CreateVisitParamsSchema = z.strictObject({
  offerId: IdSchema,
  publisherId: IdSchema.optional(),
  clickId: ClickIdSchema.optional(),
  sub1: optionalSub,
  sub2: optionalSub,
  sub3: optionalSub,
  sub4: optionalSub,
  sub5: optionalSub,
  landingUrl: UrlSchema,
  referrer: z.string().max(2048).optional(),
  adClickIds: AdClickIdsSchema.optional(),
});
export type CreateVisitParams = z.input<typeof CreateVisitParamsSchema>;

/**
 * `POST /v1/visits` for a campaign (the script's `data-campaign`): the server picks the stream, lander and offer as for
 * the campaign link. A known `clickId` of the campaign records a visit on that click instead. Other fields the script
 * sends for offers (`publisherId`) are ignored: campaign traffic has no publisher.
 */
export const CreateCampaignVisitParamsSchema = z.object({
  campaignId: z.string().trim().min(1).max(64),
  clickId: ClickIdSchema.optional(),
  sub1: optionalSub,
  sub2: optionalSub,
  sub3: optionalSub,
  sub4: optionalSub,
  sub5: optionalSub,
  landingUrl: UrlSchema,
  referrer: z.string().max(2048).optional(),
  adClickIds: AdClickIdsSchema.optional(),
});
export type CreateCampaignVisitParams = z.input<typeof CreateCampaignVisitParamsSchema>;

export const VisitResponseSchema = z.object({
  clickId: ClickIdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  ...SubIdsSchema.shape,
  /** Campaign visits only: the lander drawn for the visit, or null when the stream sends visitors straight to the offer. */
  landerId: IdSchema.nullable().optional(),
});
export type VisitResponse = z.infer<typeof VisitResponseSchema>;
