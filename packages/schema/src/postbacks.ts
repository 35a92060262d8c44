import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

/** One entry of the postback log: every postback, pixel and browser-conversion request. */
export const PostbackLogEntrySchema = z.object({
  id: IdSchema,
  channel: z.enum(['postback', 'pixel', 'browser', 'api', 'manual']),
  method: z.string(),
  /** Parameters as received, with the token redacted. */
  params: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  httpStatus: z.number().int(),
  outcome: z.string(),
  reason: z.string().nullable(),
  offerId: z.string().nullable(),
  clickId: z.string().nullable(),
  conversionId: z.string().nullable(),
  createdAt: TimestampSchema,
});
export type PostbackLogEntry = z.infer<typeof PostbackLogEntrySchema>;

export const ListPostbacksQuerySchema = z.object({
  offerId: IdSchema.optional(),
  outcome: z.string().max(32).optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
});

/** The canonical postback parameters and the aliases networks send for them. */
export const POSTBACK_PARAM_ALIASES = {
  click_id: ['click_id', 'subid', 'cid', 'clickid'],
  transaction_id: ['transaction_id', 'txid', 'tid', 'order_id'],
  amount: ['amount'],
  payout: ['payout', 'revenue'],
  currency: ['currency'],
  status: ['status', 'cnv_status'],
  event: ['event'],
  coupon: ['coupon', 'coupon_code'],
  offer_id: ['offer_id'],
  country: ['country'],
  token: ['token'],
} as const;

/** Status values a postback may carry and what each means. Matching is case-insensitive. */
export const POSTBACK_STATUS_ALIASES: Record<string, 'approved' | 'pending' | 'rejected' | 'rebill'> = {
  approved: 'approved',
  sale: 'approved',
  approve: 'approved',
  confirmed: 'approved',
  '1': 'approved',
  pending: 'pending',
  lead: 'pending',
  hold: 'pending',
  '0': 'pending',
  rejected: 'rejected',
  reject: 'rejected',
  declined: 'rejected',
  cancelled: 'rejected',
  refund: 'rejected',
  '-1': 'rejected',
  rebill: 'rebill',
};
