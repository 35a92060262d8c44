import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

export const CreatePaymentParamsSchema = z.strictObject({ publisherId: IdSchema });
export type CreatePaymentParams = z.input<typeof CreatePaymentParamsSchema>;

export const PaymentStatusSchema = z.enum(['pending', 'approved']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

export const PaymentSchema = z.object({
  id: IdSchema,
  publisherId: IdSchema,
  /** `pending` when gathered; `approved` once the merchant has paid it through its own payment system. */
  status: PaymentStatusSchema,
  /** In the account currency; includes negative adjustments carried over from earlier payments. */
  total: z.string(),
  currency: z.string(),
  /** Conversion payouts in the payment. */
  conversionCount: z.number().int(),
  /** Negative adjustments in the payment: conversions rejected after an earlier payment paid them. */
  adjustmentCount: z.number().int(),
  /** Their sum, zero or negative, already included in `total`. */
  adjustmentTotal: z.string(),
  createdAt: TimestampSchema,
  approvedAt: TimestampSchema.nullable(),
});
export type Payment = z.infer<typeof PaymentSchema>;

export const ListPaymentsQuerySchema = z.object({
  publisherId: IdSchema.optional(),
  status: PaymentStatusSchema.optional(),
});

/** One line of a payment: a conversion's payout, or the negative adjustment of a conversion rejected after it was paid. */
export const PaymentItemSchema = z.object({
  paymentId: IdSchema,
  conversionId: IdSchema,
  kind: z.enum(['payout', 'adjustment']),
  /** In the payment currency; negative for an adjustment. */
  amount: z.string(),
  createdAt: TimestampSchema,
});
export type PaymentItem = z.infer<typeof PaymentItemSchema>;
