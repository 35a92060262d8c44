import { z } from 'zod';
import { ClickIdSchema } from './clicks.js';
import {
  AmountSchema,
  checkMoney,
  ConversionStatusSchema,
  CountrySchema,
  CouponCodeSchema,
  CurrencySchema,
  IdSchema,
  TimestampSchema,
} from './primitives.js';

const TransactionIdSchema = z.string().trim().min(1).max(255);
const EventSchema = z.string().trim().min(1).max(64);

function requireClickOrCoupon(
  value: { clickId?: string | undefined; couponCode?: string | undefined; offerId?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.clickId === undefined && value.couponCode === undefined) {
    ctx.addIssue({ code: 'custom', path: ['clickId'], message: 'clickId or couponCode is required' });
  } else if (value.clickId === undefined && value.offerId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['offerId'], message: 'is required for a coupon-only conversion' });
  }
}

/** `POST /v1/conversions`, from checkout code. */
export const CreateConversionParamsSchema = z
  .strictObject({
    clickId: ClickIdSchema.optional(),
    couponCode: CouponCodeSchema.optional(),
    offerId: IdSchema.optional(),
    /** The sale amount in major units, base of percentage payouts. */
    amount: AmountSchema.optional(),
    /** Currency of `amount` and `payout`; defaults to the offer currency. */
    currency: CurrencySchema.optional(),
    /** The payout, used by offers in `auto` mode. */
    payout: AmountSchema.optional(),
    transactionId: TransactionIdSchema.optional(),
    status: ConversionStatusSchema.optional(),
    event: EventSchema.optional(),
    country: CountrySchema.optional(),
  })
  .superRefine((value, ctx) => {
    requireClickOrCoupon(value, ctx);
    checkMoney(ctx, value.amount, value.currency, ['amount']);
    checkMoney(ctx, value.payout, value.currency, ['payout']);
  });
export type CreateConversionParams = z.input<typeof CreateConversionParamsSchema>;

/** `POST /v1/conversions/browser`, from the browser script. */
export const CreateBrowserConversionParamsSchema = z
  .strictObject({
    clickId: ClickIdSchema,
    offerId: IdSchema.optional(),
    amount: AmountSchema.optional(),
    currency: CurrencySchema.optional(),
    transactionId: TransactionIdSchema.optional(),
    event: EventSchema.optional(),
    couponCode: CouponCodeSchema.optional(),
  })
  .superRefine((value, ctx) => checkMoney(ctx, value.amount, value.currency, ['amount']));
export type CreateBrowserConversionParams = z.input<typeof CreateBrowserConversionParamsSchema>;

export const UpdateConversionParamsSchema = z.strictObject({
  status: ConversionStatusSchema,
  reason: z.string().trim().min(1).max(255).optional(),
});
export type UpdateConversionParams = z.input<typeof UpdateConversionParamsSchema>;

export const ConversionSchema = z.object({
  id: IdSchema,
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  clickId: z.string().nullable(),
  couponCode: z.string().nullable(),
  transactionId: z.string().nullable(),
  event: z.string().nullable(),
  status: ConversionStatusSchema,
  reason: z.string().nullable(),
  kind: z.enum(['conversion', 'rebill']),
  source: z.enum(['postback', 'pixel', 'browser', 'api', 'manual']),
  /** The sale as sent. */
  amount: z.string().nullable(),
  currency: z.string(),
  /** In the offer currency. */
  payout: z.string(),
  /** What the advertiser pays, in the offer currency; null for publisher keys (the merchant's business). */
  revenue: z.string().nullable(),
  offerCurrency: z.string(),
  fxRate: z.string().nullable(),
  /**
   * The currency whose FX rate this conversion's money waits for (`"EUR"`), or null. A sale whose payout needs a rate
   * that is not stored yet is still recorded, with payout and revenue 0; once the rate is stored (`PUT /v1/fx-rates`
   * or the `WAYPOST_FX_URL` feed) it is priced by the offer's rules and this turns null.
   */
  awaitingFxRate: z.string().nullable(),
  payoutState: z.enum(['accruing', 'payable', 'paid', 'forfeited']),
  country: z.string().nullable(),
  sub1: z.string().nullable(),
  sub2: z.string().nullable(),
  sub3: z.string().nullable(),
  sub4: z.string().nullable(),
  sub5: z.string().nullable(),
  /** The merchant's note on a manual transaction; null for publisher keys. */
  note: z.string().nullable(),
  paymentId: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Conversion = z.infer<typeof ConversionSchema>;

export const ListConversionsQuerySchema = z.object({
  offerId: IdSchema.optional(),
  publisherId: IdSchema.optional(),
  status: ConversionStatusSchema.optional(),
  country: CountrySchema.optional(),
  transactionId: TransactionIdSchema.optional(),
  couponCode: z.string().max(32).optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  format: z.enum(['json', 'csv']).optional(),
});

/**
 * `POST /v1/transactions`: a manual transaction, recorded without a click. It names its publisher, or a promo code
 * whose publisher it is attributed to; when it names both, the publisher wins and the code is kept for reports.
 */
export const CreateTransactionParamsSchema = z
  .strictObject({
    publisherId: IdSchema.optional(),
    couponCode: CouponCodeSchema.optional(),
    offerId: IdSchema,
    amount: AmountSchema,
    currency: CurrencySchema.optional(),
    transactionId: TransactionIdSchema.optional(),
    note: z.string().trim().max(1000).optional(),
    status: ConversionStatusSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.publisherId === undefined && value.couponCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'publisherId or couponCode is required' });
    }
    checkMoney(ctx, value.amount, value.currency, ['amount']);
  });
export type CreateTransactionParams = z.input<typeof CreateTransactionParamsSchema>;

/** The answer to every conversion-path request (postback, pixel, browser, API). */
export const ConversionResultSchema = z.object({
  status: z.enum(['accepted', 'duplicate', 'rebill', 'updated', 'rejected']),
  conversionId: IdSchema.optional(),
  reason: z.string().optional(),
});
export type ConversionResult = z.infer<typeof ConversionResultSchema>;

/** The answer to `POST /v1/conversions` and `POST /v1/transactions`: the outcome and the conversion it concerns. */
export const ConversionCreatedSchema = ConversionResultSchema.extend({ conversion: ConversionSchema.optional() });
export type ConversionCreated = z.infer<typeof ConversionCreatedSchema>;

