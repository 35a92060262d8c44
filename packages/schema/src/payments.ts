import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

export const CreatePaymentParamsSchema = z.strictObject({ publisherId: IdSchema });
export type CreatePaymentParams = z.input<typeof CreatePaymentParamsSchema>;

export const PaymentSchema = z.object({
  id: IdSchema,
  publisherId: IdSchema,
  status: z.enum(['pending', 'approved']),
  /** In the account currency; includes negative adjustments carried over from earlier payments. */
  total: z.string(),
  currency: z.string(),
  conversionCount: z.number().int(),
  createdAt: TimestampSchema,
  approvedAt: TimestampSchema.nullable(),
});
export type Payment = z.infer<typeof PaymentSchema>;
