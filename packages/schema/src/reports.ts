import { z } from 'zod';
import { ConversionStatusSchema, CountrySchema, DateSchema, IdSchema, TimezoneSchema } from './primitives.js';

export const REPORT_DIMENSIONS = [
  'day',
  'offer',
  'publisher',
  'country',
  'device',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'couponCode',
  'campaign',
  'stream',
  'lander',
  'trafficSource',
  'keyword',
  'os',
  'browser',
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
  campaignId: IdSchema.optional(),
  trafficSourceId: IdSchema.optional(),
  landerId: IdSchema.optional(),
  /** The day a conversion counts on: its own (the default) or its click's. */
  dateBasis: z
    .enum(['conversion', 'click'])
    .optional()
    .meta({ description: "The day a conversion counts on: its own (`conversion`, the default) or its click's (`click`). Clicks and impressions count on their own day either way." }),
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
    /** Of `total`, those without a click (manual, coupon-only): counted, but left out of `cr`. */
    clickless: z.number().int(),
  }),
  rebills: z.number().int(),
  /** What the advertiser pays; null for publisher keys (the merchant's business). */
  revenue: z.string().nullable(),
  /** Non-rejected payouts, CPC and CPM included (or those of `status`). */
  payout: z.string(),
  /** revenue − payout − cost; null for publisher keys. */
  profit: z.string().nullable(),
  /** Sale amounts of non-rejected conversions (or those of `status`), rebills included, in the account currency. */
  sales: z.string(),
  /**
   * Non-rejected conversions with a click, per click, as a percentage with 2 decimals. Conversions without a click have
   * none to divide by and are left out.
   */
  cr: z.string(),
  /** Earnings per click: payout ÷ clicks, in the account currency. */
  epc: z.string(),
  /** Visits recorded as clicks (bots included): the same count as `clicks`, under the name trackers use. */
  visits: z.number().int(),
  /** Campaign visits that were the visitor's first within the campaign's uniqueness window. */
  uniqueVisits: z.number().int(),
  /** Visits classified as bots (they are counted and charged, and flagged). */
  bots: z.number().int(),
  /** Campaign visits whose lander's click URL was followed, once per visit. */
  landerClicks: z.number().int(),
  /** Lander clicks per visit, as a percentage with 2 decimals. */
  ctr: z.string(),
  /**
   * What the traffic cost (visit costs, and cpa/revshare costs of approved conversions), summed in millionths and
   * rounded once to the account currency; null for publisher keys.
   */
  cost: z.string().nullable(),
  /** profit ÷ cost as a percentage with 2 decimals; null when the cost is 0, and for publisher keys. */
  roi: z.string().nullable(),
});

export const ReportRowSchema = ReportMetricsSchema.extend({
  day: z.string().optional(),
  offerId: z.string().nullable().optional(),
  /** The offer's name, in rows grouped by offer. */
  offerName: z.string().nullable().optional(),
  publisherId: z.string().nullable().optional(),
  /** The publisher's name, in rows grouped by publisher. */
  publisherName: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  /** The visitor's device: null for conversions without a click, and for events recorded before devices were kept. */
  device: z.string().nullable().optional(),
  sub1: z.string().nullable().optional(),
  sub2: z.string().nullable().optional(),
  sub3: z.string().nullable().optional(),
  sub4: z.string().nullable().optional(),
  sub5: z.string().nullable().optional(),
  couponCode: z.string().nullable().optional(),
  campaignId: z.string().nullable().optional(),
  streamId: z.string().nullable().optional(),
  landerId: z.string().nullable().optional(),
  trafficSourceId: z.string().nullable().optional(),
  keyword: z.string().nullable().optional(),
  os: z.string().nullable().optional(),
  browser: z.string().nullable().optional(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const ReportSchema = z.object({
  currency: z.string(),
  timezone: z.string(),
  rows: z.array(ReportRowSchema),
  totals: ReportMetricsSchema,
});
export type Report = z.infer<typeof ReportSchema>;
