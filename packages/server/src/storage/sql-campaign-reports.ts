import type { Row } from './driver.js';
import { str } from './sql-helpers.js';

/**
 * Migration 13: reports by campaign (README, Reports). The rollups gain the campaign dimensions in their keys and the
 * campaign metrics; conversions keep their click's campaign side (so that a status change books them under the same
 * keys without reading the click) and the cost they book when approved.
 */

/**
 * The counters migration 13 added: unique visits, bots and lander clicks are counted on the visit's own time;
 * `click_cost` is what visits cost and `conversion_cost` what approved conversions cost (`cpa`, `revshare`), both in
 * millionths of the account currency, so that a report rounds their sum once.
 */
export const ADDED_ROLLUP_METRICS_13 = ['unique_visits', 'bots', 'lander_clicks', 'click_cost', 'conversion_cost'] as const;

/** The campaign key columns of both rollups; the keyword, like the sub ids, only in the 15-minute one. */
export const CAMPAIGN_DAILY_KEYS = ['campaign_id', 'stream_id', 'lander_id', 'traffic_source_id', 'os', 'browser'] as const;
export const CAMPAIGN_DETAIL_KEYS = [...CAMPAIGN_DAILY_KEYS, 'keyword'] as const;

/**
 * The key of `rollup_campaign`: campaign traffic by account-timezone day, offer, campaign, stream, lander and source.
 * Campaign visits vary by country, device, OS and browser too, which makes the daily rollup nearly a row per visit; a
 * media buyer's everyday report (campaign × lander × offer) reads this narrow one instead, so that it stays fast over
 * millions of visits. Only campaign events are booked here (a third write for them, none more for `/c`).
 *
 * Its rows are stored by month, then campaign, lander and offer, then the day (`CAMPAIGN_ROLLUP_ORDER`): a report reads
 * each month of its range in the order of those groups, so that SQLite sums them as they come instead of sorting every
 * row of the range first.
 */
export const CAMPAIGN_ROLLUP_KEYS = ['by_click', 'month', 'day', 'offer_id', 'campaign_id', 'stream_id', 'lander_id', 'traffic_source_id'] as const;
const CAMPAIGN_ROLLUP_ORDER = ['by_click', 'month', 'campaign_id', 'lander_id', 'offer_id', 'stream_id', 'traffic_source_id', 'day'] as const;

/** The campaign side of a conversion, copied from its click; null on other traffic. */
export interface CampaignConversionFields {
  campaignId: string | null;
  streamId: string | null;
  landerId: string | null;
  trafficSourceId: string | null;
  keyword: string | null;
  os: string | null;
  browser: string | null;
  /**
   * What the conversion costs the buyer under the campaign's `cpa` or `revshare` model, in millionths of the account
   * currency; reports count it while the conversion is approved.
   */
  costAccount: number;
}

// prettier-ignore
export const CAMPAIGN_CONVERSION_COLUMNS = [
  'campaign_id', 'stream_id', 'lander_id', 'traffic_source_id', 'keyword', 'os', 'browser', 'cost_account',
] as const;

export function campaignConversionValues(conversion: Partial<CampaignConversionFields>): unknown[] {
  return [
    conversion.campaignId ?? null,
    conversion.streamId ?? null,
    conversion.landerId ?? null,
    conversion.trafficSourceId ?? null,
    conversion.keyword ?? null,
    conversion.os ?? null,
    conversion.browser ?? null,
    conversion.costAccount ?? 0,
  ];
}

/** The campaign side of a stored conversion; absent on other traffic, as on the records of code that knows no campaigns. */
export function campaignConversionFromRow(row: Row): Partial<CampaignConversionFields> {
  if (row.campaign_id == null && !Number(row.cost_account ?? 0)) return row.keyword == null ? {} : { keyword: String(row.keyword) };
  return {
    campaignId: str(row.campaign_id),
    streamId: str(row.stream_id),
    landerId: str(row.lander_id),
    trafficSourceId: str(row.traffic_source_id),
    keyword: str(row.keyword),
    os: str(row.os),
    browser: str(row.browser),
    costAccount: Number(row.cost_account ?? 0),
  };
}

/** The rollup key values of the campaign columns, '' for none, in the order of the keys. */
export function campaignKeyValues(delta: Partial<Record<'campaignId' | 'streamId' | 'landerId' | 'trafficSourceId' | 'os' | 'browser' | 'keyword', string | null>>, detail: boolean): string[] {
  const values = [delta.campaignId, delta.streamId, delta.landerId, delta.trafficSourceId, delta.os, delta.browser].map((value) => value ?? '');
  return detail ? [...values, delta.keyword ?? ''] : values;
}

/**
 * The SQL of migration 13. A primary key cannot change in place in SQLite, so both rollups are made anew, as migration
 * 8 did; their rows keep their sums under empty campaign keys. In SQLite they are `WITHOUT ROWID` tables: every write
 * and read of a rollup goes by its key, which is then the one b-tree to walk. Bots were counted as clicks with the device `bot`, so
 * their count is carried over; the other new counters start at 0 (campaign visits are newer than the rollups).
 */
export function campaignReportsMigration(previousMetrics: readonly string[]): string {
  const metrics = [...previousMetrics, ...ADDED_ROLLUP_METRICS_13];
  const subs = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];
  const detailKey = ['by_click', 'bucket', 'offer_id', 'publisher_id', 'country', 'device', ...subs, 'coupon_code', ...CAMPAIGN_DETAIL_KEYS];
  const dailyKey = ['by_click', 'day', 'offer_id', 'publisher_id', 'country', 'device', ...CAMPAIGN_DAILY_KEYS];
  const oldDetailKey = detailKey.slice(0, -CAMPAIGN_DETAIL_KEYS.length);
  const oldDailyKey = dailyKey.slice(0, -CAMPAIGN_DAILY_KEYS.length);
  const columns = metrics.map((metric) => `${metric} BIGINT NOT NULL`).join(',\n  ');
  const campaignColumns = CAMPAIGN_ROLLUP_KEYS.map((column) => (column === 'by_click' ? 'by_click INTEGER NOT NULL' : idColumnOf(column))).join(', ');
  const added = (metric: string) => (metric === 'bots' ? "CASE WHEN device = 'bot' THEN clicks ELSE 0 END" : '0');
  // The new tables get names of their own: PostgreSQL keeps a renamed table's key index under its old name, and
  // migration 8 already left `rollup_*_next_pkey` behind.
  const remake = (table: string, key: string[], oldKey: string[], newKeys: readonly string[], keyTypes: string) => `
CREATE TABLE ${table}_13 (
  ${keyTypes},
  ${newKeys.map(idColumnOf).join(', ')},
  ${columns},
  PRIMARY KEY (${key.join(', ')})
) {{without_rowid}};
INSERT INTO ${table}_13 (${[...key, ...metrics].join(', ')})
  SELECT ${[...oldKey, ...newKeys.map(() => "''"), ...previousMetrics, ...ADDED_ROLLUP_METRICS_13.map(added)].join(', ')} FROM ${table};
DROP TABLE ${table};
ALTER TABLE ${table}_13 RENAME TO ${table};`;
  return `
ALTER TABLE conversions ADD COLUMN campaign_id {{id}};
ALTER TABLE conversions ADD COLUMN stream_id {{id}};
ALTER TABLE conversions ADD COLUMN lander_id {{id}};
ALTER TABLE conversions ADD COLUMN traffic_source_id {{id}};
ALTER TABLE conversions ADD COLUMN keyword TEXT;
ALTER TABLE conversions ADD COLUMN os TEXT;
ALTER TABLE conversions ADD COLUMN browser TEXT;
ALTER TABLE conversions ADD COLUMN cost_account BIGINT NOT NULL DEFAULT 0;
${remake(
  'rollup_detail',
  detailKey,
  oldDetailKey,
  CAMPAIGN_DETAIL_KEYS,
  `by_click INTEGER NOT NULL, bucket BIGINT NOT NULL, offer_id {{id}} NOT NULL, publisher_id {{id}} NOT NULL, country TEXT NOT NULL,
  device TEXT NOT NULL, ${subs.map((sub) => `${sub} TEXT NOT NULL`).join(', ')}, coupon_code TEXT NOT NULL`,
)}
${remake(
  'rollup_daily',
  dailyKey,
  oldDailyKey,
  CAMPAIGN_DAILY_KEYS,
  'by_click INTEGER NOT NULL, day TEXT NOT NULL, offer_id {{id}} NOT NULL, publisher_id {{id}} NOT NULL, country TEXT NOT NULL, device TEXT NOT NULL',
)}
-- A report by campaign reads the traffic outside campaigns from the daily rollup (campaign_id = ''); this index finds it
-- without reading the campaign rows. It changes only when a row is made, never on the updates of a row's sums.
CREATE INDEX ix_rollup_daily_campaign ON rollup_daily (campaign_id, day);

CREATE TABLE rollup_campaign (
  ${campaignColumns},
  ${columns},
  PRIMARY KEY (${CAMPAIGN_ROLLUP_ORDER.join(', ')})
) {{without_rowid}};
`;
}

function idColumnOf(column: string): string {
  return column === 'day' || column === 'month' ? `${column} TEXT NOT NULL` : column.endsWith('_id') ? `${column} {{id}} NOT NULL` : `${column} TEXT NOT NULL`;
}
