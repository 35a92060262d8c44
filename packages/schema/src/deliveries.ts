import { z } from 'zod';
import { ConversionStatusSchema, IdSchema, TimestampSchema } from './primitives.js';

/** `postback`: the publisher's own tracker (`postbackUrl`); `email`: the offer's conversion e-mail. */
export const DeliveryKindSchema = z.enum(['postback', 'email']);
export type DeliveryKind = z.infer<typeof DeliveryKindSchema>;

/** `pending` until a try succeeds (`delivered`) or the last allowed try fails (`failed`). */
export const DeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** What the delivery announces: an accepted conversion, or a later change of its status. */
export const DeliveryTriggerSchema = z.enum(['conversion', 'status_change']);
export type DeliveryTrigger = z.infer<typeof DeliveryTriggerSchema>;

/** One entry of the delivery log: an outbound publisher postback or conversion e-mail, and how its tries went. */
export const DeliverySchema = z.object({
  /** Stable across retries; sent as `X-Waypost-Delivery` so that a receiver can drop repeats. */
  id: IdSchema,
  kind: DeliveryKindSchema,
  trigger: DeliveryTriggerSchema,
  conversionId: IdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  /** The conversion's status when the delivery was made: the value of `{status}`. */
  conversionStatus: ConversionStatusSchema,
  /** The URL called (macros expanded), or the e-mail's recipients separated by ", ". */
  target: z.string(),
  /** The e-mail's subject; null for postbacks. */
  subject: z.string().nullable(),
  status: DeliveryStatusSchema,
  attempts: z.number().int(),
  /** When the next try is due; null once delivered or failed. */
  nextAttemptAt: TimestampSchema.nullable(),
  lastAttemptAt: TimestampSchema.nullable(),
  /** The receiver's HTTP status on the last try (postbacks). */
  lastResponseStatus: z.number().int().nullable(),
  /**
   * Why the last try failed: a short reason ("HTTP 500", "timeout", "destination refused: loopback address"). Admin
   * keys also see a sanitised excerpt of the reply after it; a publisher key never sees what the reply said.
   */
  lastError: z.string().nullable(),
  deliveredAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const ListDeliveriesQuerySchema = z.object({
  conversionId: IdSchema.optional(),
  publisherId: IdSchema.optional(),
  kind: DeliveryKindSchema.optional(),
  status: DeliveryStatusSchema.optional(),
});
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuerySchema>;
