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
  source: z.enum(['redirect', 'direct']),
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
});
export type Click = z.infer<typeof ClickSchema>;

export const ListClicksQuerySchema = z.object({
  offerId: IdSchema.optional(),
  publisherId: IdSchema.optional(),
  source: z.enum(['redirect', 'direct']).optional(),
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

export const VisitResponseSchema = z.object({
  clickId: ClickIdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  ...SubIdsSchema.shape,
});
export type VisitResponse = z.infer<typeof VisitResponseSchema>;
