// On the first render's path through the router: no schema here (zod would come with it); the screen checks the names.

/** The report screen's settings, kept in the URL so that a bookmark or a shared link shows the same report. */
export interface ReportsSearch {
  from?: string;
  to?: string;
  /** Comma-separated dimensions, as the API takes them: `campaign,lander`. */
  groupBy?: string;
  campaignId?: string;
  trafficSourceId?: string;
  landerId?: string;
  offerId?: string;
  publisherId?: string;
  /** Conversions of one status only. */
  status?: 'pending' | 'approved' | 'rejected';
  country?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function parseReportsSearch(search: Record<string, unknown>): ReportsSearch {
  const date = (value: unknown) => (typeof value === 'string' && DATE.test(value) ? value : undefined);
  const groupBy = text(search.groupBy)
    ?.split(',')
    .filter((dim) => /^[a-zA-Z0-9]{1,32}$/.test(dim))
    .join(',');
  const country = text(search.country)?.toUpperCase();
  const result: ReportsSearch = {
    from: date(search.from),
    to: date(search.to),
    groupBy: groupBy || undefined,
    campaignId: text(search.campaignId),
    trafficSourceId: text(search.trafficSourceId),
    landerId: text(search.landerId),
    offerId: text(search.offerId),
    publisherId: text(search.publisherId),
    status: search.status === 'pending' || search.status === 'approved' || search.status === 'rejected' ? search.status : undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
  };
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as ReportsSearch;
}

/** `YYYY-MM-DD` of a day `offset` days from today, in UTC (the API's default timezone for reports). */
export function dayFromToday(offset: number, now = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
  return day.toISOString().slice(0, 10);
}

export const DASHBOARD_PERIODS = [
  { value: 'today', label: 'Today', days: 1 },
  { value: '7d', label: 'Last 7 days', days: 7 },
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number]['value'];

export interface DashboardSearch {
  period?: DashboardPeriod;
}

export function parseDashboardSearch(search: Record<string, unknown>): DashboardSearch {
  const period = DASHBOARD_PERIODS.find((option) => option.value === search.period)?.value;
  return period ? { period } : {};
}
