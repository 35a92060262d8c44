import { z } from 'zod';
import { AmountSchema, CouponCodeSchema, IdSchema, PercentSchema, TimestampSchema } from './primitives.js';

/** An override of an offer's payout for one publisher, one coupon code, or both together. */
export const CreatePersonalPayoutParamsSchema = z
  .strictObject({
    publisherId: IdSchema.optional(),
    couponCode: CouponCodeSchema.optional(),
    amount: AmountSchema.optional(),
    percent: PercentSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.publisherId === undefined && value.couponCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'publisherId or couponCode is required' });
    }
    if ((value.amount === undefined) === (value.percent === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give exactly one of amount or percent' });
    }
  });
export type CreatePersonalPayoutParams = z.input<typeof CreatePersonalPayoutParamsSchema>;

export const PersonalPayoutSchema = z.object({
  id: IdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  couponCode: z.string().nullable(),
  amount: z.string().nullable(),
  percent: z.string().nullable(),
  createdAt: TimestampSchema,
});
export type PersonalPayout = z.infer<typeof PersonalPayoutSchema>;
