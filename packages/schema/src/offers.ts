import { z } from 'zod';
import { LocalArchiveSchema, OfferKeywordsSchema } from './local-files.js';
import {
  AmountSchema,
  checkMoney,
  CountrySchema,
  CurrencySchema,
  EmailSchema,
  IdSchema,
  LabelSchema,
  OriginSchema,
  PercentSchema,
  TimestampSchema,
  TimezoneSchema,
  UrlSchema,
} from './primitives.js';

export const PayoutModelSchema = z.enum(['cps', 'cpa', 'cpl', 'cpc', 'cpm']);
export type PayoutModel = z.infer<typeof PayoutModelSchema>;

export const PayoutModeSchema = z.enum(['fixed', 'auto']);
export type PayoutMode = z.infer<typeof PayoutModeSchema>;

export const ThresholdSchema = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  period: z.enum(['day', 'week', 'month', 'total']),
});
export type Threshold = z.infer<typeof ThresholdSchema>;

export const GeoPayoutSchema = z.strictObject({
  countries: z.array(CountrySchema).min(1).max(250),
  amount: AmountSchema.optional(),
  percent: PercentSchema.optional(),
});
export type GeoPayout = z.infer<typeof GeoPayoutSchema>;

export const PayoutRuleSchema = z.strictObject({
  model: PayoutModelSchema,
  mode: PayoutModeSchema.default('fixed'),
  amount: AmountSchema.optional(),
  percent: PercentSchema.optional(),
  threshold: ThresholdSchema.optional(),
  geo: z.array(GeoPayoutSchema).max(100).optional(),
});
export type PayoutRule = z.infer<typeof PayoutRuleSchema>;

export const RevenueRuleSchema = z.strictObject({
  mode: PayoutModeSchema.default('fixed'),
  amount: AmountSchema.optional(),
  percent: PercentSchema.optional(),
});
export type RevenueRule = z.infer<typeof RevenueRuleSchema>;

export const DuplicatesPolicySchema = z.enum(['ignore', 'rebill', 'allow']);
export type DuplicatesPolicy = z.infer<typeof DuplicatesPolicySchema>;

export const ApprovalSchema = z.strictObject({
  defaultStatus: z.enum(['approved', 'pending']).default('approved'),
  holdDays: z.number().int().min(0).max(3650).optional(),
  /** Status of conversions the browser script or pixel reports, which anyone can fire. @default 'pending' */
  browserStatus: z.enum(['approved', 'pending']).optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

export const CapSchema = z.strictObject({
  daily: z.number().int().min(1).optional(),
  total: z.number().int().min(1).optional(),
  timezone: TimezoneSchema.optional(),
  fallbackOfferId: IdSchema.optional(),
});
export type Cap = z.infer<typeof CapSchema>;

export const OfferEmailSchema = z.strictObject({
  enabled: z.boolean(),
  to: z.array(EmailSchema).max(20).default([]),
  subject: z.string().max(255).default('New conversion on {offer_id}'),
  template: z.string().max(20_000).default(''),
});
export type OfferEmail = z.infer<typeof OfferEmailSchema>;

export const OfferStatusSchema = z.enum(['active', 'inactive']);

/** The fields of an offer that its owner sets, without defaults (PATCH takes any subset of them). */
const offerFields = {
  name: z.string().trim().min(1).max(200),
  url: UrlSchema,
  status: OfferStatusSchema,
  expiresAt: TimestampSchema.nullable(),
  leadType: LabelSchema.nullable(),
  currency: CurrencySchema,
  payout: PayoutRuleSchema,
  revenue: RevenueRuleSchema.nullable(),
  duplicates: DuplicatesPolicySchema,
  approval: ApprovalSchema,
  cap: CapSchema.nullable(),
  affiliateNetworkId: IdSchema.nullable(),
  appendClickId: z.boolean(),
  staticUrl: UrlSchema.nullable(),
  countries: z.array(CountrySchema).max(250),
  group: LabelSchema.nullable(),
  tags: z.array(LabelSchema).max(50),
  notes: z.string().max(10_000).nullable(),
  directTracking: z.boolean(),
  /** Origins allowed to call the browser endpoints. Empty means any origin. */
  allowedOrigins: z.array(OriginSchema).max(100),
  /** IPs or CIDR ranges allowed to send postbacks. Empty means any address. */
  postbackIpAllowlist: z.array(z.string().trim().min(1).max(64)).max(100),
  email: OfferEmailSchema.nullable(),
  /** `public` offers are visible to every publisher; `private` ones only to `publisherIds`. */
  visibility: z.enum(['public', 'private']),
  /** Publishers allowed to see and promote a private offer. */
  publisherIds: z.array(IdSchema).max(10_000),
  /** Keywords drawn per click from a keyword set, for `{keyword}` and `{kw1}`…`{kw5}` (README, Keyword sets). */
  keywords: OfferKeywordsSchema.nullable(),
};

type OfferRulesInput = {
  currency?: string | undefined;
  payout: PayoutRule;
  revenue?: RevenueRule | null | undefined;
  cap?: Cap | null | undefined;
  email?: OfferEmail | null | undefined;
};

/** The rules that tie the fields of an offer together; every issue names its field. */
export function checkOfferRules(offer: OfferRulesInput, ctx: z.RefinementCtx): void {
  const { payout, currency } = offer;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (payout.percent !== undefined && payout.model !== 'cps') issue(['payout', 'percent'], 'is only allowed with model "cps"');
  if (payout.threshold !== undefined && payout.model !== 'cpa' && payout.model !== 'cpl') {
    issue(['payout', 'threshold'], 'is only allowed with model "cpa" or "cpl"');
  }
  if (payout.amount !== undefined && payout.percent !== undefined) issue(['payout', 'percent'], 'give either amount or percent, not both');
  if (payout.mode === 'fixed' && payout.amount === undefined && payout.percent === undefined) {
    issue(['payout', 'amount'], payout.model === 'cps' ? 'is required (or percent) in fixed mode' : 'is required in fixed mode');
  }
  checkMoney(ctx, payout.amount, currency, ['payout', 'amount']);
  payout.geo?.forEach((geo, index) => {
    if ((geo.amount === undefined) === (geo.percent === undefined)) issue(['payout', 'geo', index, 'amount'], 'give exactly one of amount or percent');
    if (geo.percent !== undefined && payout.model !== 'cps') issue(['payout', 'geo', index, 'percent'], 'is only allowed with model "cps"');
    checkMoney(ctx, geo.amount, currency, ['payout', 'geo', index, 'amount']);
  });
  if (offer.revenue) {
    const { revenue } = offer;
    if (revenue.amount !== undefined && revenue.percent !== undefined) issue(['revenue', 'percent'], 'give either amount or percent, not both');
    if (revenue.mode === 'fixed' && revenue.amount === undefined && revenue.percent === undefined) issue(['revenue', 'amount'], 'is required in fixed mode');
    checkMoney(ctx, revenue.amount, currency, ['revenue', 'amount']);
  }
  if (offer.cap && offer.cap.daily === undefined && offer.cap.total === undefined && offer.cap.fallbackOfferId === undefined) {
    issue(['cap'], 'needs daily, total or fallbackOfferId');
  }
  if (offer.email?.enabled && offer.email.to.length === 0) issue(['email', 'to'], 'needs at least one address when enabled');
}

export const CreateOfferParamsSchema = z
  .strictObject({
    ...offerFields,
    status: offerFields.status.default('active'),
    expiresAt: offerFields.expiresAt.optional(),
    leadType: offerFields.leadType.optional(),
    /** Defaults to the account currency (`WAYPOST_CURRENCY`). */
    currency: offerFields.currency.optional(),
    revenue: offerFields.revenue.optional(),
    duplicates: offerFields.duplicates.default('ignore'),
    approval: offerFields.approval.default({ defaultStatus: 'approved' }),
    cap: offerFields.cap.optional(),
    affiliateNetworkId: offerFields.affiliateNetworkId.optional(),
    appendClickId: offerFields.appendClickId.default(false),
    staticUrl: offerFields.staticUrl.optional(),
    countries: offerFields.countries.default([]),
    group: offerFields.group.optional(),
    tags: offerFields.tags.default([]),
    notes: offerFields.notes.optional(),
    directTracking: offerFields.directTracking.default(false),
    allowedOrigins: offerFields.allowedOrigins.default([]),
    postbackIpAllowlist: offerFields.postbackIpAllowlist.default([]),
    email: offerFields.email.optional(),
    visibility: offerFields.visibility.default('public'),
    publisherIds: offerFields.publisherIds.default([]),
    keywords: offerFields.keywords.optional(),
    /** Defaults to the caller's workspace: the account's first for callers who reach them all (README, Workspaces). */
    workspaceId: IdSchema.optional(),
  })
  .superRefine(checkOfferRules);
export type CreateOfferParams = z.input<typeof CreateOfferParamsSchema>;

/** PATCH body: any subset of the fields. The server checks the merged offer again as a whole. */
export const UpdateOfferParamsSchema = z.strictObject({ ...offerFields, workspaceId: IdSchema }).partial();
export type UpdateOfferParams = z.input<typeof UpdateOfferParamsSchema>;

/** The complete, stored configuration of an offer, checked as a whole after defaults and merges. */
export const OfferConfigSchema = z.strictObject(offerFields).superRefine(checkOfferRules);
export type OfferConfig = z.output<typeof OfferConfigSchema>;

export const OfferSchema = z.object({
  id: IdSchema,
  name: z.string(),
  url: z.string(),
  status: OfferStatusSchema,
  expiresAt: TimestampSchema.nullable(),
  leadType: z.string().nullable(),
  currency: z.string(),
  payout: PayoutRuleSchema,
  revenue: RevenueRuleSchema.nullable(),
  duplicates: DuplicatesPolicySchema,
  approval: ApprovalSchema,
  cap: CapSchema.nullable(),
  affiliateNetworkId: IdSchema.nullable(),
  appendClickId: z.boolean(),
  staticUrl: z.string().nullable(),
  countries: z.array(z.string()),
  group: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  directTracking: z.boolean(),
  allowedOrigins: z.array(z.string()),
  postbackIpAllowlist: z.array(z.string()),
  postbackToken: z.string(),
  email: OfferEmailSchema.nullable(),
  visibility: z.enum(['public', 'private']),
  publisherIds: z.array(IdSchema),
  keywords: OfferKeywordsSchema.nullable(),
  /** The uploaded zip it serves at `PUBLIC_URL/o/OFFER_ID/`, which is then its URL (README, Local landers and offers). */
  archive: LocalArchiveSchema.nullable(),
  workspaceId: IdSchema,
  archivedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Offer = z.infer<typeof OfferSchema>;

/**
 * What a publisher key sees of an offer: what it needs to promote it, none of the merchant's configuration. Its own
 * tracking link stands in for the destination `url`, which is the merchant's (a publisher who had it could skip the
 * tracking link).
 */
export const PublisherOfferSchema = OfferSchema.pick({
  id: true,
  name: true,
  status: true,
  expiresAt: true,
  leadType: true,
  currency: true,
  payout: true,
  countries: true,
  group: true,
  tags: true,
  directTracking: true,
  createdAt: true,
}).extend({
  /** The publisher's own tracking link (`/c/:offerId?pub=`). */
  trackingUrl: z.string(),
});
export type PublisherOffer = z.infer<typeof PublisherOfferSchema>;

export const ListOffersQuerySchema = z.object({
  status: OfferStatusSchema.optional(),
  leadType: z.string().max(255).optional(),
  q: z.string().max(255).optional(),
  includeArchived: z.enum(['true', 'false']).optional(),
  workspaceId: IdSchema.optional(),
});
export type ListOffersQuery = z.infer<typeof ListOffersQuerySchema>;

export const OfferLinksQuerySchema = z.object({ publisherId: IdSchema.optional() });

export const OfferLinksSchema = z.object({
  offerId: IdSchema,
  publisherId: IdSchema.nullable(),
  trackingUrl: z.string(),
  /** Carries the offer's secret postback token, so publisher keys get null. */
  postbackUrl: z.string().nullable(),
  pixelUrl: z.string(),
  impressionUrl: z.string(),
  /**
   * The script tag for a lander that visitors reach through the tracking link: it keeps the click id the link brought
   * in a first-party cookie, for the thank-you page. Works on every offer.
   */
  landerSnippet: z.string(),
  /**
   * The script tag for a lander that visitors may also reach without the tracking link: it records such a visit as a
   * click (`source: "direct"`). Null unless the offer has `directTracking`, since `POST /v1/visits` refuses every
   * view of an offer without it; `directTrackingSnippetUnavailable` then says why.
   */
  directTrackingSnippet: z.string().nullable(),
  /** Why `directTrackingSnippet` is null: `direct_tracking_disabled` (set the offer's `directTracking` to true). */
  directTrackingSnippetUnavailable: z.enum(['direct_tracking_disabled']).nullable(),
  conversionSnippet: z.string(),
});
export type OfferLinks = z.infer<typeof OfferLinksSchema>;
