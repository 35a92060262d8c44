import { divideRounded, formatMoney, type Report, type ReportDimension, type ReportRow } from '@waypost/schema';
import type { z } from 'zod';
import type { ReportQuerySchema } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { microsToMinor } from '../domain/campaign-money.js';
import { addDays, dayBounds, impressionPayout, localDate, selectPayoutRule } from '../domain/index.js';
import { ApiError } from '../http/errors.js';
import type { RollupMetric, RollupRow, WorkspaceFilter } from '../storage/index.js';
import { loadFx, toAccount } from './money.js';

type ParsedReportQuery = z.output<typeof ReportQuerySchema>;

// The keyword is kept, like the sub ids, in the 15-minute rollup only.
const DAILY_DIMENSIONS: readonly ReportDimension[] = ['day', 'offer', 'publisher', 'country', 'device', 'campaign', 'stream', 'lander', 'trafficSource', 'os', 'browser'];
const OUTPUT_KEY: Record<ReportDimension, keyof ReportRow> = {
  day: 'day',
  offer: 'offerId',
  publisher: 'publisherId',
  country: 'country',
  device: 'device',
  sub1: 'sub1',
  sub2: 'sub2',
  sub3: 'sub3',
  sub4: 'sub4',
  sub5: 'sub5',
  couponCode: 'couponCode',
  campaign: 'campaignId',
  stream: 'streamId',
  lander: 'landerId',
  trafficSource: 'trafficSourceId',
  keyword: 'keyword',
  os: 'os',
  browser: 'browser',
};
const MAX_DAYS = 366;

type Sums = Record<RollupMetric, number> & { cpm_payout: number };

/**
 * Keeps the account timezone's daily rollup in step with WAYPOST_TIMEZONE: rebuilt from the 15-minute rollup on a
 * change, and after a migration that made it anew (which names no timezone).
 */
export async function ensureRollupTimezone({ store, config }: Pick<AppContext, 'store' | 'config'>): Promise<void> {
  if ((await store.settings.get('rollup_timezone')) === config.timezone) return;
  await store.transaction(async (tx) => {
    // Servers that start together on one PostgreSQL database take turns: a second rebuild would add to the first's rows.
    const current = await tx.settings.lock('rollup_timezone');
    if (current === config.timezone) return;
    if (current !== undefined) await tx.rollups.rebuildDaily((bucketStart) => localDate(bucketStart, config.timezone));
    await tx.settings.set('rollup_timezone', config.timezone);
  });
}

/**
 * A report from the rollups, never from the clicks: the account-day rollup when the question allows it, else the
 * 15-minute detail rollup with days cut in the asked timezone. Money is in the account currency.
 */
export async function buildReport(
  context: AppContext,
  query: ParsedReportQuery,
  audience: 'admin' | 'publisher',
  /** Only the offers of these workspaces (a caller limited to some, README, Workspaces). */
  workspaces?: WorkspaceFilter,
): Promise<Report> {
  const { store, config } = context;
  const timezone = query.timezone ?? config.timezone;
  if (query.to < query.from) throw ApiError.field('to', 'must not be before from');
  const days: { day: string; start: Date; end: Date }[] = [];
  for (let day = query.from; day <= query.to; day = addDays(day, 1)) {
    if (days.length >= MAX_DAYS) throw ApiError.field('to', `a report covers at most ${MAX_DAYS} days`);
    days.push({ day, ...dayBounds(day, timezone) });
  }
  const groupBy = query.groupBy ?? [];
  const daily =
    timezone === config.timezone &&
    (await store.settings.get('rollup_timezone')) === config.timezone &&
    groupBy.every((dimension) => DAILY_DIMENSIONS.includes(dimension)) &&
    query.couponCode === undefined;
  const filters = {
    offerId: query.offerId,
    publisherId: query.publisherId,
    country: query.country,
    couponCode: query.couponCode,
    campaignId: query.campaignId,
    trafficSourceId: query.trafficSourceId,
    landerId: query.landerId,
    workspaces,
  };
  const source = daily ? ('daily' as const) : ('detail' as const);
  const dateBasis = query.dateBasis ?? 'conversion';
  const rows = await store.rollups.query({ source, days, groupBy, filters, dateBasis });

  const sums = new Map<string, { dims: RollupRow; sums: Sums }>();
  const keyOf = (row: Partial<Record<ReportDimension, string | null>>) => JSON.stringify(groupBy.map((dimension) => row[dimension] ?? null));
  const metricKeys = Object.keys(emptySums()) as (keyof Sums)[];
  for (const row of rows) {
    // By click date, a group that only had conversions of earlier clicks keeps its row with nothing in it.
    if (groupBy.length > 0 && metricKeys.every((key) => !(row as Partial<Sums>)[key])) continue;
    sums.set(keyOf(row), { dims: row, sums: { ...row, cpm_payout: 0 } });
  }

  // CPM pays per impression: impressions × amount / 1000 per day and rule, rounded once, then summed into the rows.
  if (rows.some((row) => row.impressions > 0)) {
    const cellDims = [...new Set<ReportDimension>([...groupBy, 'day', 'offer', 'publisher', 'country'])];
    const cells = await store.rollups.query({ source, days, groupBy: cellDims, filters, dateBasis });
    const fx = await loadFx(context);
    for (const cell of cells) {
      if (cell.impressions === 0 || !cell.offer) continue;
      const offer = await store.offers.get(cell.offer);
      if (!offer || offer.payout.model !== 'cpm') continue;
      const rule = selectPayoutRule(offer, { publisherId: cell.publisher, country: cell.country }, await store.personalPayouts.allForOffer(offer.id));
      const payout = toAccount(impressionPayout(cell.impressions, rule, offer.currency), offer.currency, fx);
      const entry = sums.get(keyOf(cell));
      if (entry) entry.sums.cpm_payout += payout;
    }
  }

  const currency = config.currency;
  const metrics = (s: Sums) => {
    const status = query.status;
    const counts = status
      ? {
          total: s[status],
          approved: status === 'approved' ? s.approved : 0,
          pending: status === 'pending' ? s.pending : 0,
          rejected: status === 'rejected' ? s.rejected : 0,
          clickless: s[`clickless_${status}`],
        }
      : {
          total: s.approved + s.pending + s.rejected,
          approved: s.approved,
          pending: s.pending,
          rejected: s.rejected,
          clickless: s.clickless_approved + s.clickless_pending + s.clickless_rejected,
        };
    const payout = status ? s[`payout_${status}`] : s.payout_approved + s.payout_pending + s.click_payout + s.cpm_payout;
    const revenue = status ? s[`revenue_${status}`] : s.revenue_approved + s.revenue_pending + s.click_revenue;
    const sales = status ? s[`sales_${status}`] : s.sales_approved + s.sales_pending;
    // A conversion rate is of clicks: conversions without one (manual, coupon-only) would take it over 100%.
    const converted = status ? counts.total - counts.clickless : s.approved + s.pending - s.clickless_approved - s.clickless_pending;
    // Costs are summed in millionths and rounded once (README, Reports); a status filter keeps the costs of those
    // conversions only, as it keeps their payout and revenue.
    const costMicros = status ? (status === 'approved' ? s.conversion_cost : 0) : s.click_cost + s.conversion_cost;
    const cost = microsToMinor(costMicros, currency);
    const profit = revenue - payout - cost;
    const admin = audience === 'admin';
    return {
      clicks: s.clicks,
      impressions: s.impressions,
      conversions: counts,
      rebills: s.rebills,
      revenue: audience === 'admin' ? formatMoney(revenue, currency) : null,
      payout: formatMoney(payout, currency),
      profit: admin ? formatMoney(profit, currency) : null,
      sales: formatMoney(sales, currency),
      cr: percentOf(converted, s.clicks),
      epc: s.clicks === 0 ? formatMoney(0, currency) : formatMoney(Number(divideRounded(BigInt(payout), BigInt(s.clicks))), currency),
      visits: s.clicks,
      uniqueVisits: s.unique_visits,
      bots: s.bots,
      landerClicks: s.lander_clicks,
      ctr: percentOf(s.lander_clicks, s.clicks),
      cost: admin ? formatMoney(cost, currency) : null,
      roi: admin && cost !== 0 ? percentOf(profit, cost) : null,
    };
  };
  const totals = emptySums();
  const reportRows: ReportRow[] = [];
  for (const { dims, sums: s } of sums.values()) {
    for (const key of Object.keys(totals) as (keyof Sums)[]) totals[key] += s[key];
    const row: Record<string, unknown> = {};
    for (const dimension of groupBy) row[OUTPUT_KEY[dimension]] = dims[dimension] ?? null;
    if (groupBy.includes('offer')) row.offerName = dims.offerName ?? null;
    if (groupBy.includes('publisher')) row.publisherName = dims.publisherName ?? null;
    reportRows.push({ ...(row as Partial<ReportRow>), ...metrics(s) } as ReportRow);
  }
  return { currency, timezone, rows: reportRows, totals: metrics(totals) };
}

/** `part` per 100 of `whole`, with 2 decimals, rounded once, half away from zero. */
function percentOf(part: number, whole: number): string {
  if (whole === 0) return '0.00';
  const hundredths = divideRounded(BigInt(part) * 10_000n, BigInt(whole));
  // A loss makes a negative roi, whose sign goes before the whole number only.
  const size = hundredths < 0n ? -hundredths : hundredths;
  return `${hundredths < 0n ? '-' : ''}${size / 100n}.${String(size % 100n).padStart(2, '0')}`;
}

function emptySums(): Sums {
  return {
    clicks: 0, impressions: 0, approved: 0, pending: 0, rejected: 0, rebills: 0, payout_approved: 0, payout_pending: 0,
    payout_rejected: 0, revenue_approved: 0, revenue_pending: 0, revenue_rejected: 0, click_payout: 0, click_revenue: 0, sales_approved: 0,
    sales_pending: 0, sales_rejected: 0, clickless_approved: 0, clickless_pending: 0, clickless_rejected: 0, cpm_payout: 0, unique_visits: 0,
    bots: 0, lander_clicks: 0, click_cost: 0, conversion_cost: 0,
  };
}

/** The report as CSV rows: dimensions (an offer's or publisher's name after its id), then flat metrics. */
export function reportCsvRows(report: Report): { columns: { key: string; header: string }[]; rows: Record<string, unknown>[] } {
  const dimensionKeys = Object.values(OUTPUT_KEY)
    .flatMap((key): (keyof ReportRow)[] => (key === 'offerId' ? [key, 'offerName'] : key === 'publisherId' ? [key, 'publisherName'] : [key]))
    .filter((key) => report.rows.some((row) => key in row));
  const metricKeys = [
    'clicks', 'impressions', 'conversions', 'approved', 'pending', 'rejected', 'clickless', 'rebills', 'revenue', 'payout', 'profit', 'sales', 'cr',
    'epc', 'visits', 'uniqueVisits', 'bots', 'landerClicks', 'ctr', 'cost', 'roi',
  ];
  const rows = report.rows.map((row) => ({
    ...Object.fromEntries(dimensionKeys.map((key) => [key, row[key]])),
    clicks: row.clicks,
    impressions: row.impressions,
    conversions: row.conversions.total,
    approved: row.conversions.approved,
    pending: row.conversions.pending,
    rejected: row.conversions.rejected,
    clickless: row.conversions.clickless,
    rebills: row.rebills,
    revenue: row.revenue,
    payout: row.payout,
    profit: row.profit,
    sales: row.sales,
    cr: row.cr,
    epc: row.epc,
    visits: row.visits,
    uniqueVisits: row.uniqueVisits,
    bots: row.bots,
    landerClicks: row.landerClicks,
    ctr: row.ctr,
    cost: row.cost,
    roi: row.roi,
  }));
  return { columns: [...dimensionKeys, ...metricKeys].map((key) => ({ key, header: key })), rows };
}
