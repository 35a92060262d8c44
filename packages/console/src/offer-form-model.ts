import { CreateOfferParamsSchema, type Offer, type PayoutModel } from '@waypost/schema';
import { z } from 'zod';

/** What the offer form's inputs hold: text as typed, turned into API fields by `toOfferParams`. */
export interface OfferFormValues {
  name: string;
  url: string;
  leadType: string;
  /** `YYYY-MM-DD`, the last day the offer runs; empty for none. */
  expiresAt: string;
  status: 'active' | 'inactive';
  /** Empty for the account currency. */
  currency: string;
  payout: {
    model: PayoutModel;
    mode: 'fixed' | 'auto';
    amount: string;
    percent: string;
    threshold: { count: string; period: 'day' | 'week' | 'month' | 'total' };
    /** Payouts by visitor country; `countries` as typed ("US, CA"). */
    geo: GeoPayoutRow[];
  };
  /** What the advertiser pays; mode '' for none. */
  revenue: { mode: '' | 'fixed' | 'auto'; amount: string; percent: string };
  /** Empty for the caller's default workspace. */
  workspaceId: string;
  affiliateNetworkId: string;
  appendClickId: boolean;
  directTracking: boolean;
  /** One origin per line. */
  allowedOrigins: string;
  cap: { daily: string; total: string; fallbackOfferId: string };
  email: { enabled: boolean; to: string; subject: string; template: string };
  /** The keyword set the offer draws `{keyword}` and `{kw1}`…`{kw5}` from; setId empty for none. */
  keywords: { setId: string; slots: string };
  notes: string;
}

export interface GeoPayoutRow {
  countries: string;
  amount: string;
  percent: string;
}

/** Every input of the form by its name, which is also the API field's dotted path, so issues land on the right input. */
export const OFFER_FORM_FIELDS = [
  'name',
  'url',
  'leadType',
  'expiresAt',
  'status',
  'currency',
  'payout.model',
  'payout.mode',
  'payout.amount',
  'payout.percent',
  'payout.threshold.count',
  'payout.threshold.period',
  'revenue.mode',
  'revenue.amount',
  'revenue.percent',
  'workspaceId',
  'affiliateNetworkId',
  'appendClickId',
  'directTracking',
  'allowedOrigins',
  'cap.daily',
  'cap.total',
  'cap.fallbackOfferId',
  'email.enabled',
  'email.to',
  'email.subject',
  'email.template',
  'keywords.setId',
  'keywords.slots',
  'notes',
] as const;

/** The form's inputs with those of its geo payout rows (`payout.geo.0.amount`…), which come and go. */
export function offerFormFields(values: OfferFormValues): string[] {
  return [...OFFER_FORM_FIELDS, ...values.payout.geo.flatMap((_, index) => ['countries', 'amount', 'percent'].map((part) => `payout.geo.${index}.${part}`))];
}

export const EMPTY_OFFER_FORM: OfferFormValues = {
  name: '',
  url: '',
  leadType: '',
  expiresAt: '',
  status: 'active',
  currency: '',
  payout: { model: 'cpa', mode: 'fixed', amount: '', percent: '', threshold: { count: '', period: 'total' }, geo: [] },
  revenue: { mode: '', amount: '', percent: '' },
  workspaceId: '',
  affiliateNetworkId: '',
  appendClickId: false,
  directTracking: false,
  allowedOrigins: '',
  cap: { daily: '', total: '', fallbackOfferId: '' },
  email: { enabled: false, to: '', subject: '', template: '' },
  keywords: { setId: '', slots: '1' },
  notes: '',
};

export function offerToFormValues(offer: Offer): OfferFormValues {
  return {
    name: offer.name,
    url: offer.url,
    leadType: offer.leadType ?? '',
    expiresAt: offer.expiresAt ? offer.expiresAt.slice(0, 10) : '',
    status: offer.status,
    currency: offer.currency,
    payout: {
      model: offer.payout.model,
      mode: offer.payout.mode,
      amount: offer.payout.amount ?? '',
      percent: offer.payout.percent ?? '',
      threshold: { count: offer.payout.threshold ? String(offer.payout.threshold.count) : '', period: offer.payout.threshold?.period ?? 'total' },
      geo: (offer.payout.geo ?? []).map((geo) => ({ countries: geo.countries.join(', '), amount: geo.amount ?? '', percent: geo.percent ?? '' })),
    },
    revenue: { mode: offer.revenue?.mode ?? '', amount: offer.revenue?.amount ?? '', percent: offer.revenue?.percent ?? '' },
    workspaceId: offer.workspaceId ?? '',
    affiliateNetworkId: offer.affiliateNetworkId ?? '',
    appendClickId: offer.appendClickId,
    directTracking: offer.directTracking,
    allowedOrigins: offer.allowedOrigins.join('\n'),
    cap: {
      daily: offer.cap?.daily !== undefined ? String(offer.cap.daily) : '',
      total: offer.cap?.total !== undefined ? String(offer.cap.total) : '',
      fallbackOfferId: offer.cap?.fallbackOfferId ?? '',
    },
    email: {
      enabled: offer.email?.enabled ?? false,
      to: offer.email?.to.join(', ') ?? '',
      subject: offer.email?.subject ?? '',
      template: offer.email?.template ?? '',
    },
    keywords: { setId: offer.keywords?.setId ?? '', slots: String(offer.keywords?.slots ?? 1) },
    notes: offer.notes ?? '',
  };
}

const blank = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
const count = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));
const list = (value: string, separator: RegExp): string[] =>
  value
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The API body for the form's values, for both `POST /v1/offers` and `PATCH /v1/offers/:id`: every field the form
 * shows is sent, a cleared one as null, so that an edit can remove an expiry, a cap or a lead type.
 */
export function toOfferParams(values: OfferFormValues) {
  const { payout } = values;
  const cap = { daily: count(values.cap.daily), total: count(values.cap.total), fallbackOfferId: blank(values.cap.fallbackOfferId) };
  const emailTo = list(values.email.to, /[,;\s]+/);
  const hasEmail = values.email.enabled || emailTo.length > 0 || values.email.template.trim() !== '' || values.email.subject.trim() !== '';
  return {
    name: values.name,
    url: values.url,
    status: values.status,
    // The last day the offer runs, to its end: an offer "expiring 31 Dec" still takes that day's traffic.
    expiresAt: values.expiresAt ? `${values.expiresAt}T23:59:59Z` : null,
    leadType: blank(values.leadType) ?? null,
    ...(values.currency ? { currency: values.currency } : {}),
    payout: {
      model: payout.model,
      mode: payout.mode,
      amount: blank(payout.amount),
      percent: payout.model === 'cps' ? blank(payout.percent) : undefined,
      threshold:
        (payout.model === 'cpa' || payout.model === 'cpl') && count(payout.threshold.count) !== undefined
          ? { count: count(payout.threshold.count)!, period: payout.threshold.period }
          : undefined,
      geo:
        payout.geo.length > 0
          ? payout.geo.map((geo) => ({ countries: list(geo.countries, /[,;\s]+/), amount: blank(geo.amount), percent: blank(geo.percent) }))
          : undefined,
    },
    revenue: values.revenue.mode ? { mode: values.revenue.mode, amount: blank(values.revenue.amount), percent: blank(values.revenue.percent) } : null,
    ...(values.workspaceId ? { workspaceId: values.workspaceId } : {}),
    affiliateNetworkId: blank(values.affiliateNetworkId) ?? null,
    appendClickId: values.appendClickId,
    directTracking: values.directTracking,
    allowedOrigins: list(values.allowedOrigins, /\n+/),
    cap: cap.daily !== undefined || cap.total !== undefined || cap.fallbackOfferId !== undefined ? cap : null,
    email: hasEmail
      ? { enabled: values.email.enabled, to: emailTo, ...(blank(values.email.subject) ? { subject: values.email.subject.trim() } : {}), template: values.email.template }
      : null,
    keywords: values.keywords.setId ? { setId: values.keywords.setId, slots: count(values.keywords.slots) ?? 1 } : null,
    notes: blank(values.notes) ?? null,
  };
}

/** The form's rules are the server's: the form's values go through the same schema `POST /v1/offers` applies. */
export const OfferFormSchema = z
  .custom<OfferFormValues>()
  .transform((values): unknown => toOfferParams(values))
  .pipe(CreateOfferParamsSchema);

/** Plainer words than zod's defaults for an empty field; every other message is the schema's own, as the server says it. */
export function offerFormMessage(issue: { code: string; input?: unknown; origin?: string; minimum?: unknown }): string | undefined {
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null)) return 'is required';
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'is required';
  if (issue.code === 'invalid_type' && typeof issue.input === 'number' && Number.isNaN(issue.input)) return 'must be a whole number';
  return undefined;
}
