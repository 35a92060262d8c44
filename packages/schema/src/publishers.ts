import { z } from 'zod';
import { EmailSchema, IdSchema, TimestampSchema, UrlSchema } from './primitives.js';

export const PublisherStatusSchema = z.enum(['active', 'paused']);

const publisherFields = {
  name: z.string().trim().min(1).max(200),
  email: EmailSchema.nullable(),
  status: PublisherStatusSchema,
  /** The publisher's own tracker, notified on each conversion. Macros as for offer URLs plus `{payout}`, `{status}`. */
  postbackUrl: UrlSchema.nullable(),
  /** Signs the notifications sent to `postbackUrl` (`X-Waypost-Signature`). */
  postbackSecret: z.string().min(16).max(200).nullable(),
};

export const CreatePublisherParamsSchema = z.strictObject({
  ...publisherFields,
  email: publisherFields.email.optional(),
  status: publisherFields.status.default('active'),
  postbackUrl: publisherFields.postbackUrl.optional(),
  postbackSecret: publisherFields.postbackSecret.optional(),
});
export type CreatePublisherParams = z.input<typeof CreatePublisherParamsSchema>;

export const UpdatePublisherParamsSchema = z.strictObject(publisherFields).partial();
export type UpdatePublisherParams = z.input<typeof UpdatePublisherParamsSchema>;

export const PublisherSchema = z.object({
  id: IdSchema,
  name: z.string(),
  email: z.string().nullable(),
  status: PublisherStatusSchema,
  postbackUrl: z.string().nullable(),
  /** Only admin keys see the secret. */
  postbackSecret: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Publisher = z.infer<typeof PublisherSchema>;

export const ListPublishersQuerySchema = z.object({
  status: PublisherStatusSchema.optional(),
  q: z.string().max(255).optional(),
});

export const BalanceSchema = z.object({
  publisherId: IdSchema,
  currency: z.string(),
  accruing: z.string(),
  pending: z.string(),
  approved: z.string(),
  paid: z.string(),
});
export type Balance = z.infer<typeof BalanceSchema>;
