import { z } from 'zod';
import { ConversionStatusSchema, CountrySchema, DateSchema, IdSchema, TimezoneSchema } from './primitives.js';

export const REPORT_DIMENSIONS = [
  'day',
  'offer',
  'publisher',
  'country',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'couponCode',
] as const;
export const ReportDimensionSchema = z.enum(REPORT_DIMENSIONS);
export type ReportDimension = z.infer<typeof ReportDimensionSchema>;

// A comma-separated list has no JSON Schema enum, so /openapi.json lists the dimensions in a description and a pattern.
const dimensionList = `(?:${REPORT_DIMENSIONS.join('|')})`;
const groupByOpenApi = {
  description: `Comma-separated dimensions, such as \`day,offer\`, any of: ${REPORT_DIMENSIONS.join(', ')}.`,
  pattern: `^\\s*${dimensionList}\\s*(?:,\\s*${dimensionList}\\s*)*$`,
};

export const ReportQuerySchema = z.object({
  from: DateSchema,
  to: DateSchema,
  timezone: TimezoneSchema.optional(),
  /** Comma-separated dimensions, such as `day,offer`. */
  groupBy: z
    .string()
    .max(200)
    .optional()
    .transform((value, ctx) => {
      const dims = (value ?? '').split(',').map((dim) => dim.trim()).filter(Boolean);
      for (const dim of dims) {
        if (!ReportDimensionSchema.safeParse(dim).success) {
          ctx.addIssue({ code: 'custom', message: `unknown dimension "${dim.slice(0, 32)}"; use ${REPORT_DIMENSIONS.join(', ')}` });
          return z.NEVER;
        }
      }
      return [...new Set(dims)] as ReportDimension[];
    })
    .meta(groupByOpenApi),
  offerId: IdSchema.optional(),
  publisherId: IdSchema.optional(),
  country: CountrySchema.optional(),
  status: ConversionStatusSchema.optional(),
  couponCode: z.string().max(32).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type ReportQuery = z.input<typeof ReportQuerySchema>;

export const ReportMetricsSchema = z.object({
  clicks: z.number().int(),
  impressions: z.number().int(),
  conversions: z.object({
    total: z.number().int(),
    approved: z.number().int(),
    pending: z.number().int(),
    rejected: z.number().int(),
  }),
  rebills: z.number().int(),
  /** What the advertiser pays; null for publisher keys (the merchant's business). */
  revenue: z.string().nullable(),
  /** Non-rejected payouts, CPC and CPM included (or those of `status`). */
  payout: z.string(),
  profit: z.string().nullable(),
  /** Non-rejected conversions per click, as a percentage with 2 decimals. */
  cr: z.string(),
  /** Earnings per click: payout ÷ clicks, in the account currency. */
  epc: z.string(),
});

export const ReportRowSchema = ReportMetricsSchema.extend({
  day: z.string().optional(),
  offerId: z.string().nullable().optional(),
  publisherId: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  sub1: z.string().nullable().optional(),
  sub2: z.string().nullable().optional(),
  sub3: z.string().nullable().optional(),
  sub4: z.string().nullable().optional(),
  sub5: z.string().nullable().optional(),
  couponCode: z.string().nullable().optional(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const ReportSchema = z.object({
  currency: z.string(),
  timezone: z.string(),
  rows: z.array(ReportRowSchema),
  totals: ReportMetricsSchema,
});
export type Report = z.infer<typeof ReportSchema>;
