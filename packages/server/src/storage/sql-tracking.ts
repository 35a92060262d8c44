import type { AdClickIds, ConversionStatus, Device, List, ListQuery, PromoCode, ReportDimension } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import { ROLLUP_METRICS, type RollupMetric } from './migrations.js';
import {
  CAMPAIGN_CONVERSION_COLUMNS,
  CAMPAIGN_DAILY_KEYS,
  CAMPAIGN_DETAIL_KEYS,
  CAMPAIGN_ROLLUP_KEYS,
  campaignConversionFromRow,
  campaignConversionValues,
  campaignKeyValues,
} from './sql-campaign-reports.js';
import { CAMPAIGN_CLICK_COLUMNS, campaignClickFromRow, campaignClickValues } from './sql-campaign-visits.js';
import { offerWorkspaceCondition, paginate, str } from './sql-helpers.js';
import type {
  ClickFilter,
  ClickRecord,
  ClickRepository,
  ConversionChanges,
  ConversionFilter,
  ConversionRecord,
  ConversionRepository,
  CounterRepository,
  FxRateRepository,
  IdempotencyRepository,
  PayoutState,
  PostbackLogRecord,
  PostbackLogRepository,
  PromoCodeRepository,
  RollupRepository,
  RollupRow,
  SettingsRepository,
} from './store.js';

/** The tracking engine's repositories, each made over a connection or a transaction (see `lazyObjects`). */
export const trackingRepositories = {
  clicks: clickRepository,
  conversions: conversionRepository,
  counters: counterRepository,
  rollups: rollupRepository,
  fxRates: fxRateRepository,
  postbackLog: postbackLogRepository,
  idempotency: idempotencyRepository,
  promoCodes: promoCodeRepository,
  settings: settingsRepository,
};

const date = (ms: unknown) => new Date(Number(ms));
const num = (value: unknown) => Number(value ?? 0);
const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const;

/** Time-range and equality filters shared by the lists. */
function where(filters: [column: string, op: '=' | '>=' | '<', value: unknown][]) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [column, op, value] of filters) {
    if (value === undefined) continue;
    clauses.push(`${column} ${op} ?`);
    params.push(value instanceof Date ? value.getTime() : value);
  }
  return { where: clauses, params };
}

function clickRepository(db: SqlExecutor): ClickRepository {
  const fromRow = (row: Row): ClickRecord => ({
    id: String(row.id),
    offerId: String(row.offer_id),
    requestedOfferId: str(row.requested_offer_id),
    publisherId: str(row.publisher_id),
    sub1: str(row.sub1),
    sub2: str(row.sub2),
    sub3: str(row.sub3),
    sub4: str(row.sub4),
    sub5: str(row.sub5),
    source: row.source as ClickRecord['source'],
    country: str(row.country),
    device: row.device as Device,
    referrer: str(row.referrer),
    landingUrl: str(row.landing_url),
    adClickIds: row.ad_click_ids ? (JSON.parse(String(row.ad_click_ids)) as AdClickIds) : {},
    ipPrefix: str(row.ip_prefix),
    status: row.status as ClickRecord['status'],
    reason: str(row.reason),
    payout: num(row.payout),
    revenue: num(row.revenue),
    createdAt: date(row.created_at),
    ...campaignClickFromRow(row),
    ...(row.keywords ? { keywords: JSON.parse(String(row.keywords)) as string[] } : {}),
  });
  const filterOf = (filter: ClickFilter) => {
    const sql = where([
      ['offer_id', '=', filter.offerId],
      ['publisher_id', '=', filter.publisherId],
      ['source', '=', filter.source],
      ['campaign_id', '=', filter.campaignId],
      ['lander_id', '=', filter.landerId],
      ['traffic_source_id', '=', filter.trafficSourceId],
      ['created_at', '>=', filter.from],
      ['created_at', '<', filter.to],
    ]);
    if (filter.workspaces) sql.where.push(offerWorkspaceCondition('offer_id', filter.workspaces, sql.params));
    return sql;
  };
  return {
    async insert(click) {
      await db.append(
        'clicks',
        CLICK_COLUMNS,
        [
          click.id,
          click.offerId,
          click.requestedOfferId,
          click.publisherId,
          ...SUBS.map((sub) => click[sub]),
          click.source,
          click.country,
          click.device,
          click.referrer,
          click.landingUrl,
          Object.keys(click.adClickIds).length ? JSON.stringify(click.adClickIds) : null,
          click.ipPrefix,
          click.status,
          click.reason,
          click.payout,
          click.revenue,
          click.createdAt.getTime(),
          ...campaignClickValues(click),
          click.keywords && click.keywords.length > 1 ? JSON.stringify(click.keywords) : null,
        ],
      );
    },
    async get(id) {
      const row = await db.get('SELECT * FROM clicks WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      return paginate(db, { from: 'clicks', ...filterOf(filter) }, page, fromRow);
    },
    async addVisit(visit) {
      await db.run('INSERT INTO visits (id, click_id, landing_url, referrer, created_at) VALUES (?, ?, ?, ?, ?)', [
        visit.id,
        visit.clickId,
        visit.landingUrl,
        visit.referrer,
        visit.createdAt.getTime(),
      ]);
    },
    async count(filter) {
      const { where: clauses, params } = filterOf(filter);
      const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM clicks${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`, params);
      return num(row?.n);
    },
  };
}

const CONVERSION_COLUMNS = [
  'offer_id', 'publisher_id', 'click_id', 'coupon_code', 'transaction_id', 'event', 'status', 'reason', 'kind', 'source',
  'amount', 'currency', 'payout', 'revenue', 'offer_currency', 'fx_rate', 'payout_account', 'revenue_account',
  'payout_state', 'threshold_period', 'cap_day', 'counted', 'country', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'note',
  'payment_id', 'awaiting_fx', 'reported_payout', 'click_at', 'device', 'amount_account', 'created_at', 'updated_at',
] as const;

const INSERT_CONVERSION = ((columns) => `INSERT INTO conversions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`)([
  'id',
  'click_key',
  'dedupe_key',
  'is_primary',
  ...CONVERSION_COLUMNS,
  ...CAMPAIGN_CONVERSION_COLUMNS,
]);

// prettier-ignore
const CLICK_COLUMNS = [
  'id', 'offer_id', 'requested_offer_id', 'publisher_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'country', 'device',
  'referrer', 'landing_url', 'ad_click_ids', 'ip_prefix', 'status', 'reason', 'payout', 'revenue', 'created_at',
  ...CAMPAIGN_CLICK_COLUMNS, 'keywords',
] as const;

// prettier-ignore
const POSTBACK_LOG_COLUMNS = [
  'id', 'channel', 'method', 'params', 'ip', 'http_status', 'outcome', 'reason', 'offer_id', 'click_id', 'conversion_id', 'created_at',
] as const;

const FIND_TWINS = `SELECT * FROM conversions WHERE offer_id = ? AND click_key = ? AND dedupe_key = ?
  UNION ALL SELECT * FROM conversions WHERE offer_id = ? AND click_key = ? AND is_primary = 1`;

const CHANGEABLE_COLUMNS: Record<keyof ConversionChanges, (typeof CONVERSION_COLUMNS)[number] | 'cost_account'> = {
  status: 'status',
  reason: 'reason',
  counted: 'counted',
  payoutState: 'payout_state',
  amount: 'amount',
  currency: 'currency',
  payout: 'payout',
  revenue: 'revenue',
  fxRate: 'fx_rate',
  payoutAccount: 'payout_account',
  revenueAccount: 'revenue_account',
  offerCurrency: 'offer_currency',
  awaitingFx: 'awaiting_fx',
  reportedPayout: 'reported_payout',
  amountAccount: 'amount_account',
  costAccount: 'cost_account',
  updatedAt: 'updated_at',
};

function conversionValues(c: ConversionRecord): unknown[] {
  return [
    c.offerId, c.publisherId, c.clickId, c.couponCode, c.transactionId, c.event, c.status, c.reason, c.kind, c.source,
    c.amount, c.currency, c.payout, c.revenue, c.offerCurrency, c.fxRate, c.payoutAccount, c.revenueAccount,
    c.payoutState, c.thresholdPeriod, c.capDay, c.counted ? 1 : 0, c.country, c.sub1, c.sub2, c.sub3, c.sub4, c.sub5,
    c.note, c.paymentId, c.awaitingFx, c.reportedPayout, c.clickAt?.getTime() ?? null, c.device, c.amountAccount, c.createdAt.getTime(),
    c.updatedAt.getTime(),
  ];
}

function conversionRepository(db: SqlExecutor): ConversionRepository {
  const fromRow = (row: Row): ConversionRecord => ({
    id: String(row.id),
    offerId: String(row.offer_id),
    publisherId: str(row.publisher_id),
    clickId: str(row.click_id),
    couponCode: str(row.coupon_code),
    transactionId: str(row.transaction_id),
    event: str(row.event),
    status: row.status as ConversionStatus,
    reason: str(row.reason),
    kind: row.kind as ConversionRecord['kind'],
    source: row.source as ConversionRecord['source'],
    amount: row.amount == null ? null : num(row.amount),
    currency: String(row.currency),
    payout: num(row.payout),
    revenue: num(row.revenue),
    offerCurrency: String(row.offer_currency),
    fxRate: str(row.fx_rate),
    payoutAccount: num(row.payout_account),
    revenueAccount: num(row.revenue_account),
    payoutState: row.payout_state as PayoutState,
    thresholdPeriod: str(row.threshold_period),
    capDay: str(row.cap_day),
    counted: num(row.counted) === 1,
    country: str(row.country),
    sub1: str(row.sub1),
    sub2: str(row.sub2),
    sub3: str(row.sub3),
    sub4: str(row.sub4),
    sub5: str(row.sub5),
    note: str(row.note),
    paymentId: str(row.payment_id),
    awaitingFx: str(row.awaiting_fx),
    reportedPayout: row.reported_payout == null ? null : num(row.reported_payout),
    clickAt: row.click_at == null ? null : date(row.click_at),
    device: str(row.device) as Device | null,
    amountAccount: num(row.amount_account),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    ...campaignConversionFromRow(row),
  });
  const one = async (sql: string, params: unknown[]) => {
    const row = await db.get(sql, params);
    return row ? fromRow(row) : undefined;
  };
  return {
    async insert(conversion) {
      const inserted = await db.run(INSERT_CONVERSION, [
        conversion.id,
        conversion.clickKey,
        conversion.dedupeKey,
        conversion.isPrimary ? 1 : 0,
        ...conversionValues(conversion),
        ...campaignConversionValues(conversion),
      ]);
      return inserted > 0;
    },
    async findTwins(offerId, clickKey, dedupeKey) {
      // Two index lookups (the key, the primary), each at most one row; the primary may also be the one with the key.
      const rows = await db.all(FIND_TWINS, [offerId, clickKey, dedupeKey, offerId, clickKey]);
      const twins: { sameKey?: ConversionRecord; primary?: ConversionRecord } = {};
      for (const row of rows) {
        const conversion = fromRow(row);
        if (row.dedupe_key === dedupeKey) twins.sameKey = conversion;
        if (num(row.is_primary) === 1) twins.primary = conversion;
      }
      return twins;
    },
    get: (id) => one('SELECT * FROM conversions WHERE id = ?', [id]),
    async list(filter: ConversionFilter, page: ListQuery, order): Promise<List<ConversionRecord>> {
      const { where: clauses, params } = where([
        ['offer_id', '=', filter.offerId],
        ['publisher_id', '=', filter.publisherId],
        ['status', '=', filter.status],
        ['country', '=', filter.country],
        ['transaction_id', '=', filter.transactionId],
        ['created_at', '>=', filter.from],
        ['created_at', '<', filter.to],
      ]);
      if (filter.couponCode !== undefined) {
        clauses.push('lower(coupon_code) = ?');
        params.push(filter.couponCode.toLowerCase());
      }
      if (filter.workspaces) clauses.push(offerWorkspaceCondition('offer_id', filter.workspaces, params));
      if (page.cursor) {
        clauses.push(order === 'desc' ? 'id < ?' : 'id > ?');
        params.push(page.cursor);
      }
      const rows = await db.all(
        `SELECT * FROM conversions${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY id ${order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`,
        [...params, page.limit + 1],
      );
      const data = rows.slice(0, page.limit).map(fromRow);
      return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
    },
    async update(id, changes, expected) {
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [field, value] of Object.entries(changes)) {
        sets.push(`${CHANGEABLE_COLUMNS[field as keyof ConversionChanges]} = ?`);
        params.push(value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value);
      }
      const where = ['id = ?'];
      params.push(id);
      if (expected.status !== undefined) where.push('status = ?'), params.push(expected.status);
      if (expected.payoutState !== undefined) where.push('payout_state = ?'), params.push(expected.payoutState);
      if (expected.awaitingFx === null) where.push('awaiting_fx IS NULL');
      else if (expected.awaitingFx !== undefined) where.push('awaiting_fx = ?'), params.push(expected.awaitingFx);
      return (await db.run(`UPDATE conversions SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`, params)) > 0;
    },
    async awaitingFx(currencies, afterId, limit) {
      if (currencies.length === 0) return [];
      const rows = await db.all(
        `SELECT * FROM conversions WHERE awaiting_fx IN (${currencies.map(() => '?').join(', ')})${afterId ? ' AND id > ?' : ''} ORDER BY id LIMIT ?`,
        [...currencies, ...(afterId ? [afterId] : []), limit],
      );
      return rows.map(fromRow);
    },
    async inThresholdPeriod(offerId, publisherId, period) {
      const rows = await db.all('SELECT * FROM conversions WHERE offer_id = ? AND publisher_id = ? AND threshold_period = ? ORDER BY id', [
        offerId,
        publisherId,
        period,
      ]);
      return rows.map(fromRow);
    },
    releaseThreshold(offerId, publisherId, period, at) {
      return db.run(
        `UPDATE conversions SET payout_state = 'payable', updated_at = ?
         WHERE offer_id = ? AND publisher_id = ? AND threshold_period = ? AND payout_state = 'accruing'`,
        [at.getTime(), offerId, publisherId, period],
      );
    },
    async accruing(offerId, limit) {
      const rows = await db.all("SELECT * FROM conversions WHERE offer_id = ? AND payout_state = 'accruing' ORDER BY id LIMIT ?", [offerId, limit]);
      return rows.map(fromRow);
    },
    async pendingBefore(offerId, before, limit) {
      const rows = await db.all(
        "SELECT * FROM conversions WHERE status = 'pending' AND offer_id = ? AND created_at < ? ORDER BY created_at LIMIT ?",
        [offerId, before.getTime(), limit],
      );
      return rows.map(fromRow);
    },
  };
}

const COUNT_UP = `INSERT INTO counters (scope, count, released) VALUES (?, 1, 0)
   ON CONFLICT (scope) DO UPDATE SET count = counters.count + 1`;

function counterRepository(db: SqlExecutor): CounterRepository {
  const increment = async (scope: string) => db.get<{ count: number; released: number }>(`${COUNT_UP} RETURNING count, released`, [scope]);
  // Counting under a limit needs no row back: the upsert changes nothing when the count is already at the limit.
  const countUnder = async (scope: string, limit?: number) =>
    (await (limit === undefined ? db.run(COUNT_UP, [scope]) : db.run(`${COUNT_UP} WHERE counters.count < ?`, [scope, limit]))) > 0;
  const decrement = (scope: string) => db.run('UPDATE counters SET count = count - 1 WHERE scope = ? AND count > 0', [scope]);
  return {
    async incrementAll(scopes) {
      // Without limits (an offer with no cap still counts, so that a cap set later knows its day) one statement
      // counts every scope.
      if (scopes.length > 1 && scopes.every((scope) => scope.limit === undefined)) {
        await db.run(
          `INSERT INTO counters (scope, count, released) VALUES ${scopes.map(() => '(?, 1, 0)').join(', ')}
           ON CONFLICT (scope) DO UPDATE SET count = counters.count + 1`,
          scopes.map((scope) => scope.scope),
        );
        return true;
      }
      const done: string[] = [];
      for (const { scope, limit } of scopes) {
        if (!(await countUnder(scope, limit))) {
          for (const counted of done) await decrement(counted);
          return false;
        }
        done.push(scope);
      }
      return true;
    },
    async increment(scope) {
      const row = await increment(scope);
      return { count: num(row?.count), released: num(row?.released) === 1 };
    },
    async decrement(scope) {
      await decrement(scope);
    },
    async release(scope) {
      return (await db.run('UPDATE counters SET released = 1 WHERE scope = ? AND released = 0', [scope])) > 0;
    },
    async get(scope) {
      const row = await db.get<{ count: number; released: number }>('SELECT count, released FROM counters WHERE scope = ?', [scope]);
      return row ? { count: num(row.count), released: num(row.released) === 1 } : undefined;
    },
  };
}

/** Report dimension → rollup column. */
const DIMENSION_COLUMNS: Record<ReportDimension, string> = {
  day: 'day',
  offer: 'offer_id',
  publisher: 'publisher_id',
  country: 'country',
  device: 'device',
  sub1: 'sub1',
  sub2: 'sub2',
  sub3: 'sub3',
  sub4: 'sub4',
  sub5: 'sub5',
  couponCode: 'coupon_code',
  campaign: 'campaign_id',
  stream: 'stream_id',
  lander: 'lander_id',
  trafficSource: 'traffic_source_id',
  keyword: 'keyword',
  os: 'os',
  browser: 'browser',
};
const BUCKET_MS = 15 * 60 * 1000;
/** The metrics of clicks and impressions, which are booked at their own time only (`by_click = 0`). */
const TRAFFIC_METRICS: readonly RollupMetric[] = ['clicks', 'impressions', 'click_payout', 'click_revenue', 'unique_visits', 'bots', 'lander_clicks', 'click_cost'];

/**
 * Adds a delta of `metrics` to a rollup row, creating it when it is the first event of its key (the other metrics
 * start at 0). Each statement comes in two: every metric, and the traffic ones only, which is what a click or an
 * impression adds: a third of the parameters and of the additions on the busiest write.
 */
const rollupUpsert = (table: string, keys: string[], metrics: readonly RollupMetric[] = ROLLUP_METRICS) =>
  `INSERT INTO ${table} (${keys.join(', ')}, ${ROLLUP_METRICS.join(', ')})
   VALUES (${[...keys.map(() => '?'), ...ROLLUP_METRICS.map((metric) => (metrics.includes(metric) ? '?' : '0'))].join(', ')})
   ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${metrics.map((metric) => `${metric} = ${table}.${metric} + excluded.${metric}`).join(', ')}`;
const rollupUpserts = (table: string, keys: string[]) => ({ all: rollupUpsert(table, keys), traffic: rollupUpsert(table, keys, TRAFFIC_METRICS) });
const DAILY_KEYS = ['by_click', 'day', 'offer_id', 'publisher_id', 'country', 'device', ...CAMPAIGN_DAILY_KEYS];
const dailySql = rollupUpserts('rollup_daily', DAILY_KEYS);
const campaignSql = rollupUpserts('rollup_campaign', [...CAMPAIGN_ROLLUP_KEYS]);
/** The dimensions `rollup_campaign` keeps, and those of them only campaign traffic has. */
const CAMPAIGN_ROLLUP_DIMENSIONS: readonly ReportDimension[] = ['day', 'offer', 'campaign', 'stream', 'lander', 'trafficSource'];
const CAMPAIGN_ONLY_DIMENSIONS: readonly ReportDimension[] = ['campaign', 'stream', 'lander', 'trafficSource'];
const detailSql = rollupUpserts('rollup_detail', ['by_click', 'bucket', 'offer_id', 'publisher_id', 'country', 'device', ...SUBS, 'coupon_code', ...CAMPAIGN_DETAIL_KEYS]);

/** The months (`YYYY-MM`) from the one of `from` to the one of `to`, both days `YYYY-MM-DD`. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

function rollupRepository(db: SqlExecutor): RollupRepository {
  return {
    async add(delta) {
      const trafficOnly = Object.entries(delta.metrics).every(([metric, value]) => !value || TRAFFIC_METRICS.includes(metric as RollupMetric));
      const kind = trafficOnly ? 'traffic' : 'all';
      const metrics = (trafficOnly ? TRAFFIC_METRICS : ROLLUP_METRICS).map((metric) => delta.metrics[metric] ?? 0);
      const common = [delta.offerId, delta.publisherId ?? '', delta.country ?? '', delta.device ?? ''];
      const byClick = delta.byClick ? 1 : 0;
      const campaignKeys = campaignKeyValues(delta, false);
      await db.accumulate(dailySql[kind], [byClick, delta.day, ...common, ...campaignKeys], metrics);
      if (delta.campaignId) await db.accumulate(campaignSql[kind], [byClick, delta.day.slice(0, 7), delta.day, delta.offerId, ...campaignKeys.slice(0, 4)], metrics);
      await db.accumulate(
        detailSql[kind],
        [
          byClick,
          Math.floor(delta.at.getTime() / BUCKET_MS),
          ...common,
          ...SUBS.map((sub) => delta[sub] ?? ''),
          delta.couponCode?.toLowerCase() ?? '',
          ...campaignKeyValues(delta, true),
        ],
        metrics,
      );
    },
    async query(query): Promise<RollupRow[]> {
      const params: unknown[] = [];
      // By click date, the conversion metrics come from the rows booked at the click's time and the traffic from the
      // others (whose click-time twins hold no traffic).
      const byClick = query.dateBasis === 'click';
      const clauses = [byClick ? 'by_click IN (0, 1)' : 'by_click = 0'];
      let dayExpression = 'day';
      if (query.source === 'daily') {
        clauses.push('day >= ?', 'day <= ?');
        params.push(query.days[0]!.day, query.days.at(-1)!.day);
      } else {
        if (query.groupBy.includes('day')) {
          // Local days as bucket ranges: every UTC offset is a multiple of 15 minutes, so each bucket is in one day.
          dayExpression = `CASE ${query.days.map(() => 'WHEN bucket < ? THEN ?').join(' ')} END`;
          for (const day of query.days) params.push(Math.ceil(day.end.getTime() / BUCKET_MS), day.day);
        }
        clauses.push('bucket >= ?', 'bucket < ?');
        params.push(Math.ceil(query.days[0]!.start.getTime() / BUCKET_MS), Math.ceil(query.days.at(-1)!.end.getTime() / BUCKET_MS));
      }
      const { filters } = query;
      for (const [column, value] of [
        ['offer_id', filters.offerId],
        ['publisher_id', filters.publisherId],
        ['country', filters.country],
        ['coupon_code', filters.couponCode?.toLowerCase()],
        ['campaign_id', filters.campaignId],
        ['traffic_source_id', filters.trafficSourceId],
        ['lander_id', filters.landerId],
      ] as const) {
        if (value !== undefined) {
          clauses.push(`${column} = ?`);
          params.push(value);
        }
      }
      if (filters.workspaces) clauses.push(offerWorkspaceCondition('offer_id', filters.workspaces, params));
      // A report about campaigns that the narrow campaign rollup can answer reads it, plus the traffic outside campaigns
      // from the daily rollup unless a campaign filter leaves that out.
      const campaignFiltered = filters.campaignId !== undefined || filters.trafficSourceId !== undefined || filters.landerId !== undefined;
      const narrow =
        query.source === 'daily' &&
        filters.publisherId === undefined &&
        filters.country === undefined &&
        query.groupBy.every((dimension) => CAMPAIGN_ROLLUP_DIMENSIONS.includes(dimension)) &&
        (campaignFiltered || query.groupBy.some((dimension) => CAMPAIGN_ONLY_DIMENSIONS.includes(dimension)));
      const table = query.source === 'daily' ? 'rollup_daily' : 'rollup_detail';
      const dimensions = query.groupBy.map((dimension) => DIMENSION_COLUMNS[dimension]);
      const metricOf = (metric: RollupMetric) => (byClick && !TRAFFIC_METRICS.includes(metric) ? `CASE WHEN by_click = 1 THEN ${metric} ELSE 0 END` : metric);
      const groupedBy = dimensions.length ? ` GROUP BY ${dimensions.join(', ')}` : '';
      const sums = ROLLUP_METRICS.map((metric) => `SUM(${metric}) AS ${metric}`);
      let grouped: string;
      if (narrow) {
        // Each part is summed where it is read; the traffic outside campaigns adds at most a row per group.
        const part = (from: string, conditions: string[]) =>
          `SELECT ${[...dimensions, ...ROLLUP_METRICS.map((metric) => `SUM(${metricOf(metric)}) AS ${metric}`)].join(', ')} FROM ${from} WHERE ${conditions.join(' AND ')}${groupedBy}`;
        // One part per month of the range, each read in the rollup's order (see CAMPAIGN_ROLLUP_KEYS).
        const shared = params.splice(0);
        const parts: string[] = [];
        for (const month of monthsOf(query.days[0]!.day, query.days.at(-1)!.day)) {
          parts.push(part('rollup_campaign', [...clauses, 'month = ?']));
          params.push(...shared, month);
        }
        if (!campaignFiltered) {
          // `by_click + 0` leaves the key's first column unusable, so that SQLite reads the index on (campaign_id, day)
          // rather than every row of the range by the key.
          parts.push(part('rollup_daily', ["campaign_id = ''", clauses[0]!.replace('by_click', 'by_click + 0'), ...clauses.slice(1)]));
          params.push(...shared);
        }
        grouped = parts.length === 1 ? parts[0]! : `SELECT ${[...dimensions, ...sums].join(', ')} FROM (${parts.join(' UNION ALL ')}) u${groupedBy}`;
      } else {
        const inner = [
          query.groupBy.includes('day') ? `${dayExpression} AS day` : undefined,
          ...dimensions.filter((column) => column !== 'day'),
          ...ROLLUP_METRICS.map((metric) => `${metricOf(metric)} AS ${metric}`),
        ].filter(Boolean);
        grouped = `SELECT ${[...dimensions, ...sums].join(', ')}
         FROM (SELECT ${inner.join(', ')} FROM ${table} WHERE ${clauses.join(' AND ')}) r${groupedBy}`;
      }
      // Names for the ids in the report, read with it rather than once per row afterwards.
      const names = [
        ...(query.groupBy.includes('offer') ? [{ column: 'offer_name', join: 'LEFT JOIN offers o ON o.id = g.offer_id', name: 'o.name' }] : []),
        ...(query.groupBy.includes('publisher') ? [{ column: 'publisher_name', join: 'LEFT JOIN publishers p ON p.id = g.publisher_id', name: 'p.name' }] : []),
      ];
      const sql =
        `SELECT g.*${names.map((name) => `, ${name.name} AS ${name.column}`).join('')} FROM (${grouped}) g ${names.map((name) => name.join).join(' ')}` +
        (dimensions.length ? ` ORDER BY ${dimensions.map((column) => `g.${column}`).join(', ')}` : '');
      const rows = await db.all(sql, params);
      return rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const dimension of query.groupBy) {
          const value = row[DIMENSION_COLUMNS[dimension]];
          out[dimension] = value === '' || value == null ? null : String(value);
        }
        if (query.groupBy.includes('offer')) out.offerName = str(row.offer_name);
        if (query.groupBy.includes('publisher')) out.publisherName = str(row.publisher_name);
        for (const metric of ROLLUP_METRICS) out[metric] = num(row[metric]);
        return out as RollupRow;
      });
    },
    async rebuildDaily(dayOf) {
      await db.run('DELETE FROM rollup_daily');
      await db.run('DELETE FROM rollup_campaign');
      const rows = await db.all(
        `SELECT by_click, bucket, offer_id, publisher_id, country, device, ${CAMPAIGN_DAILY_KEYS.join(', ')}, ${ROLLUP_METRICS.map((m) => `SUM(${m}) AS ${m}`).join(', ')}
         FROM rollup_detail GROUP BY by_click, bucket, offer_id, publisher_id, country, device, ${CAMPAIGN_DAILY_KEYS.join(', ')}`,
      );
      for (const row of rows) {
        await db.run(dailySql.all, [
          num(row.by_click),
          dayOf(new Date(num(row.bucket) * BUCKET_MS)),
          row.offer_id,
          row.publisher_id,
          row.country,
          row.device,
          ...CAMPAIGN_DAILY_KEYS.map((key) => row[key]),
          ...ROLLUP_METRICS.map((metric) => num(row[metric])),
        ]);
        if (row.campaign_id !== '') {
          const day = dayOf(new Date(num(row.bucket) * BUCKET_MS));
          await db.run(campaignSql.all, [
            num(row.by_click),
            day.slice(0, 7),
            day,
            row.offer_id,
            ...CAMPAIGN_DAILY_KEYS.slice(0, 4).map((key) => row[key]),
            ...ROLLUP_METRICS.map((metric) => num(row[metric])),
          ]);
        }
      }
    },
  };
}

function fxRateRepository(db: SqlExecutor): FxRateRepository {
  return {
    async all() {
      const rows = await db.all('SELECT * FROM fx_rates ORDER BY currency');
      return rows.map((row) => ({ currency: String(row.currency), rate: String(row.rate), updatedAt: date(row.updated_at) }));
    },
    async put(rates, at) {
      for (const [currency, rate] of Object.entries(rates)) {
        await db.run(
          'INSERT INTO fx_rates (currency, rate, updated_at) VALUES (?, ?, ?) ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at',
          [currency, rate, at.getTime()],
        );
      }
    },
  };
}

function postbackLogRepository(db: SqlExecutor): PostbackLogRepository {
  const fromRow = (row: Row): PostbackLogRecord => ({
    id: String(row.id),
    channel: row.channel as PostbackLogRecord['channel'],
    method: String(row.method),
    params: JSON.parse(String(row.params)) as Record<string, unknown>,
    ip: str(row.ip),
    httpStatus: num(row.http_status),
    outcome: String(row.outcome),
    reason: str(row.reason),
    offerId: str(row.offer_id),
    clickId: str(row.click_id),
    conversionId: str(row.conversion_id),
    createdAt: date(row.created_at),
  });
  return {
    async insert(entry) {
      await db.append(
        'postback_log',
        POSTBACK_LOG_COLUMNS,
        [
          entry.id,
          entry.channel,
          entry.method,
          JSON.stringify(entry.params),
          entry.ip,
          entry.httpStatus,
          entry.outcome,
          entry.reason,
          entry.offerId,
          entry.clickId,
          entry.conversionId,
          entry.createdAt.getTime(),
        ],
      );
    },
    list(filter, page) {
      const sql = where([
        ['offer_id', '=', filter.offerId],
        ['outcome', '=', filter.outcome],
        ['created_at', '>=', filter.from],
        ['created_at', '<', filter.to],
      ]);
      // Entries that named no known offer belong to no workspace: only callers who reach every workspace see them.
      if (filter.workspaces) sql.where.push(offerWorkspaceCondition('offer_id', filter.workspaces, sql.params));
      return paginate(db, { from: 'postback_log', ...sql }, page, fromRow);
    },
    deleteBefore(before, limit) {
      // Neither database has DELETE … LIMIT; the subquery walks ix_postback_log_created.
      return db.run(
        'DELETE FROM postback_log WHERE id IN (SELECT id FROM postback_log WHERE created_at < ? ORDER BY created_at LIMIT ?)',
        [before.getTime(), limit],
      );
    },
  };
}

function idempotencyRepository(db: SqlExecutor): IdempotencyRepository {
  return {
    async claim(scopeKey, requestHash, at) {
      const claimed = await db.run(
        'INSERT INTO idempotency_keys (scope_key, request_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        [scopeKey, requestHash, at.getTime()],
      );
      if (claimed > 0) return { claimed: true };
      const row = await db.get('SELECT * FROM idempotency_keys WHERE scope_key = ?', [scopeKey]);
      return { claimed: false, requestHash: String(row?.request_hash), status: row?.status == null ? null : num(row.status), body: str(row?.body) };
    },
    async complete(scopeKey, status, body) {
      await db.run('UPDATE idempotency_keys SET status = ?, body = ? WHERE scope_key = ?', [status, body, scopeKey]);
    },
    async release(scopeKey) {
      await db.run('DELETE FROM idempotency_keys WHERE scope_key = ? AND status IS NULL', [scopeKey]);
    },
  };
}

function promoCodeRepository(db: SqlExecutor): PromoCodeRepository {
  const fromRow = (row: Row): PromoCode => ({
    id: String(row.id),
    code: String(row.code),
    offerId: String(row.offer_id),
    publisherId: String(row.publisher_id),
    createdAt: date(row.created_at).toISOString(),
  });
  return {
    async insert(code) {
      await db.run('INSERT INTO promo_codes (id, offer_id, publisher_id, code, code_key, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        code.id,
        code.offerId,
        code.publisherId,
        code.code,
        code.code.toLowerCase(),
        code.requestId,
        Date.parse(code.createdAt),
      ]);
    },
    async find(offerId, code) {
      const row = await db.get('SELECT * FROM promo_codes WHERE offer_id = ? AND code_key = ?', [offerId, code.toLowerCase()]);
      return row ? fromRow(row) : undefined;
    },
    list(filter, page) {
      const sql = where([['publisher_id', '=', filter.publisherId], ['offer_id', '=', filter.offerId]]);
      if (filter.workspaces) sql.where.push(offerWorkspaceCondition('offer_id', filter.workspaces, sql.params));
      return paginate(db, { from: 'promo_codes', ...sql }, page, fromRow);
    },
  };
}

function settingsRepository(db: SqlExecutor): SettingsRepository {
  return {
    async get(name) {
      return str((await db.get('SELECT value FROM settings WHERE name = ?', [name]))?.value) ?? undefined;
    },
    async lock(name) {
      // An UPDATE that changes nothing takes the row lock on both databases (SQLite has no SELECT … FOR UPDATE).
      return str((await db.get('UPDATE settings SET value = value WHERE name = ? RETURNING value', [name]))?.value) ?? undefined;
    },
    async set(name, value) {
      await db.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
    },
  };
}
