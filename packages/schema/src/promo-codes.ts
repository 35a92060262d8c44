import { z } from 'zod';
import { CouponCodeSchema, IdSchema, TimestampSchema } from './primitives.js';

export const PromoCodeRequestStatusSchema = z.enum(['moderation', 'confirmed', 'rejected']);

export const CreatePromoCodeRequestParamsSchema = z.strictObject({
  offerId: IdSchema,
  publisherId: IdSchema,
  /** Where the publisher will use the code, such as "YouTube" or "Instagram". */
  platform: z.string().trim().min(1).max(200),
});
export type CreatePromoCodeRequestParams = z.input<typeof CreatePromoCodeRequestParamsSchema>;

export const DecidePromoCodeRequestParamsSchema = z
  .strictObject({
    decision: z.enum(['confirm', 'reject']),
    code: CouponCodeSchema.optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.decision === 'reject' && value.code !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'is only allowed with decision "confirm"' });
    }
  });
export type DecidePromoCodeRequestParams = z.input<typeof DecidePromoCodeRequestParamsSchema>;

export const PromoCodeRequestSchema = z.object({
  id: IdSchema,
  offerId: IdSchema,
  publisherId: IdSchema,
  platform: z.string(),
  status: PromoCodeRequestStatusSchema,
  code: z.string().nullable(),
  reason: z.string().nullable(),
  decidedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type PromoCodeRequest = z.infer<typeof PromoCodeRequestSchema>;

export const PromoCodeSchema = z.object({
  id: IdSchema,
  code: z.string(),
  offerId: IdSchema,
  publisherId: IdSchema,
  createdAt: TimestampSchema,
});
export type PromoCode = z.infer<typeof PromoCodeSchema>;

/** `POST /v1/promo-codes` (admin): issue a code to a publisher directly, without a request. */
export const CreatePromoCodeParamsSchema = z.strictObject({ offerId: IdSchema, publisherId: IdSchema, code: CouponCodeSchema });
export type CreatePromoCodeParams = z.input<typeof CreatePromoCodeParamsSchema>;

export const ListPromoCodesQuerySchema = z.object({ offerId: IdSchema.optional(), publisherId: IdSchema.optional() });

export const ListPromoCodeRequestsQuerySchema = z.object({
  status: PromoCodeRequestStatusSchema.optional(),
  publisherId: IdSchema.optional(),
  offerId: IdSchema.optional(),
  includeExpired: z.enum(['true', 'false']).optional(),
});
