import type { SqlDriver } from './driver.js';
import { ADDED_ROLLUP_METRICS_13, campaignReportsMigration } from './sql-campaign-reports.js';
import { CAMPAIGN_VISITS_MIGRATION } from './sql-campaign-visits.js';
import { LOCAL_FILES_MIGRATION } from './sql-local-files.js';

/** The counters of migration 2's rollups (`{{metrics}}` in its SQL). */
const FIRST_ROLLUP_METRICS = [
  'clicks',
  'impressions',
  'approved',
  'pending',
  'rejected',
  'rebills',
  'payout_approved',
  'payout_pending',
  'payout_rejected',
  'revenue_approved',
  'revenue_pending',
  'revenue_rejected',
  'click_payout',
  'click_revenue',
] as const;

/** The counters migration 8 added when it made the rollups anew. */
const ADDED_ROLLUP_METRICS_8 = [
  'sales_approved',
  'sales_pending',
  'sales_rejected',
  'clickless_approved',
  'clickless_pending',
  'clickless_rejected',
] as const;

/**
 * The additive counters of a report rollup row. Conversions are counted by status; payout, revenue and sales (sale
 * amounts; account currency, minor units) are kept per status so that a status filter and a status change stay exact.
 * `rebills` count rebill conversions, whose money is in the status columns too. `clickless_*` count, of the
 * conversions by status, those without a click (manual, coupon-only), which a conversion rate leaves out.
 */
export const ROLLUP_METRICS = [...FIRST_ROLLUP_METRICS, ...ADDED_ROLLUP_METRICS_8, ...ADDED_ROLLUP_METRICS_13] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

/** The id of the workspace migration 10 creates, which holds every record made before workspaces existed. */
export const FIRST_WORKSPACE_ID = 'ws_first';

/**
 * Versioned migrations, written once for both databases. `{{id}}` is an identifier column: PostgreSQL gets the
 * "C" collation so that cursor pagination over time-sortable ids orders bytewise, as SQLite does.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'configuration',
    sql: `
CREATE TABLE offers (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  status TEXT NOT NULL,
  lead_type TEXT,
  visibility TEXT NOT NULL,
  config TEXT NOT NULL,
  postback_token TEXT NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_offers_name ON offers (name_key);

CREATE TABLE offer_publishers (
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  PRIMARY KEY (offer_id, publisher_id)
);
CREATE INDEX ix_offer_publishers_publisher ON offer_publishers (publisher_id);

CREATE TABLE publishers (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  status TEXT NOT NULL,
  postback_url TEXT,
  postback_secret TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE affiliate_networks (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  config TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE personal_payouts (
  id {{id}} PRIMARY KEY,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}},
  coupon_key TEXT,
  coupon_code TEXT,
  amount TEXT,
  percent TEXT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_personal_payouts_target ON personal_payouts (offer_id, COALESCE(publisher_id, ''), COALESCE(coupon_key, ''));

CREATE TABLE api_keys (
  id {{id}} PRIMARY KEY,
  name TEXT,
  role TEXT NOT NULL,
  publisher_id {{id}},
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (hash);
`,
  },
  {
    version: 2,
    name: 'tracking',
    sql: `
CREATE TABLE clicks (
  id {{id}} PRIMARY KEY,
  offer_id {{id}} NOT NULL,
  requested_offer_id {{id}},
  publisher_id {{id}},
  sub1 TEXT, sub2 TEXT, sub3 TEXT, sub4 TEXT, sub5 TEXT,
  source TEXT NOT NULL,
  country TEXT,
  device TEXT NOT NULL,
  referrer TEXT,
  landing_url TEXT,
  ad_click_ids TEXT,
  ip_prefix TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  payout BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ix_clicks_offer ON clicks (offer_id, id);
CREATE INDEX ix_clicks_publisher ON clicks (publisher_id, id);

CREATE TABLE visits (
  id {{id}} PRIMARY KEY,
  click_id {{id}} NOT NULL,
  landing_url TEXT,
  referrer TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX ix_visits_click ON visits (click_id);

CREATE TABLE conversions (
  id {{id}} PRIMARY KEY,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}},
  click_id {{id}},
  click_key TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  coupon_code TEXT,
  transaction_id TEXT,
  event TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  amount BIGINT,
  currency TEXT NOT NULL,
  payout BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  offer_currency TEXT NOT NULL,
  fx_rate TEXT,
  payout_account BIGINT NOT NULL,
  revenue_account BIGINT NOT NULL,
  payout_state TEXT NOT NULL,
  threshold_period TEXT,
  cap_day TEXT,
  counted INTEGER NOT NULL,
  country TEXT,
  sub1 TEXT, sub2 TEXT, sub3 TEXT, sub4 TEXT, sub5 TEXT,
  note TEXT,
  payment_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- Dedupe is the database's job: one row per (offer, click, transaction id or event), and under the ignore and
-- rebill policies one primary conversion per click.
CREATE UNIQUE INDEX ux_conversions_key ON conversions (offer_id, click_key, dedupe_key);
CREATE UNIQUE INDEX ux_conversions_primary ON conversions (offer_id, click_key) WHERE is_primary = 1;
CREATE INDEX ix_conversions_offer ON conversions (offer_id, id);
CREATE INDEX ix_conversions_publisher ON conversions (publisher_id, id);
CREATE INDEX ix_conversions_transaction ON conversions (transaction_id);
CREATE INDEX ix_conversions_status ON conversions (status, offer_id, created_at);
CREATE INDEX ix_conversions_threshold ON conversions (offer_id, publisher_id, threshold_period);

-- Caps and thresholds: one row per scope, changed only by atomic upserts.
CREATE TABLE counters (
  scope TEXT PRIMARY KEY,
  count BIGINT NOT NULL,
  released INTEGER NOT NULL
);

CREATE TABLE fx_rates (
  currency TEXT PRIMARY KEY,
  rate TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE postback_log (
  id {{id}} PRIMARY KEY,
  channel TEXT NOT NULL,
  method TEXT NOT NULL,
  params TEXT NOT NULL,
  ip TEXT,
  http_status INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  offer_id {{id}},
  click_id {{id}},
  conversion_id {{id}},
  created_at BIGINT NOT NULL
);
CREATE INDEX ix_postback_log_offer ON postback_log (offer_id, id);

CREATE TABLE idempotency_keys (
  scope_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE promo_codes (
  id {{id}} PRIMARY KEY,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  code TEXT NOT NULL,
  code_key TEXT NOT NULL,
  request_id {{id}},
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_promo_codes_code ON promo_codes (offer_id, code_key);
CREATE INDEX ix_promo_codes_publisher ON promo_codes (publisher_id, id);

-- Report rollups, kept up to date as events arrive so that a report never scans clicks. rollup_daily is keyed by
-- the calendar day in the account timezone; rollup_detail by 15-minute UTC buckets (every timezone offset is a
-- multiple of 15 minutes) with the sub ids and coupon code.
CREATE TABLE rollup_daily (
  day TEXT NOT NULL,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  country TEXT NOT NULL,
  {{metrics}},
  PRIMARY KEY (day, offer_id, publisher_id, country)
);
CREATE TABLE rollup_detail (
  bucket BIGINT NOT NULL,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  country TEXT NOT NULL,
  sub1 TEXT NOT NULL, sub2 TEXT NOT NULL, sub3 TEXT NOT NULL, sub4 TEXT NOT NULL, sub5 TEXT NOT NULL,
  coupon_code TEXT NOT NULL,
  {{metrics}},
  PRIMARY KEY (bucket, offer_id, publisher_id, country, sub1, sub2, sub3, sub4, sub5, coupon_code)
);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'outbox',
    sql: `
-- Outbound publisher postbacks and conversion e-mails, written in the transaction that records the conversion or
-- its status change, so that none is lost to a crash. A sender claims a row by setting locked_until (a lease) with
-- a conditional UPDATE; another process skips it until the lease runs out.
CREATE TABLE outbox (
  id {{id}} PRIMARY KEY,
  kind TEXT NOT NULL,
  trigger_event TEXT NOT NULL,
  conversion_id {{id}} NOT NULL,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}},
  conversion_status TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT,
  locked_until BIGINT,
  lock_token TEXT,
  last_attempt_at BIGINT,
  last_response_status INTEGER,
  last_error TEXT,
  delivered_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_outbox_conversion ON outbox (conversion_id, id);
CREATE INDEX ix_outbox_publisher ON outbox (publisher_id, id);
`,
  },
  {
    version: 4,
    name: 'promo code requests and payments',
    sql: `
CREATE TABLE promo_code_requests (
  id {{id}} PRIMARY KEY,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  platform TEXT NOT NULL,
  platform_key TEXT NOT NULL,
  status TEXT NOT NULL,
  code TEXT,
  reason TEXT,
  decided_at BIGINT,
  created_at BIGINT NOT NULL
);
-- One open request per offer, publisher and platform: a second submission is a conflict, not a second request.
CREATE UNIQUE INDEX ux_promo_code_requests_open ON promo_code_requests (offer_id, publisher_id, platform_key) WHERE status = 'moderation';
CREATE INDEX ix_promo_code_requests_publisher ON promo_code_requests (publisher_id, id);

CREATE TABLE payments (
  id {{id}} PRIMARY KEY,
  publisher_id {{id}} NOT NULL,
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  total BIGINT NOT NULL,
  conversion_count INTEGER NOT NULL,
  adjustment_count INTEGER NOT NULL,
  adjustment_total BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  approved_at BIGINT
);
CREATE INDEX ix_payments_publisher ON payments (publisher_id, id);

-- The lines of each payment, in the payment currency: a conversion's payout, or the negative adjustment of a
-- conversion rejected after its payout was paid.
CREATE TABLE payment_items (
  payment_id {{id}} NOT NULL,
  conversion_id {{id}} NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (payment_id, conversion_id)
);
-- A payout lands in one payment at most, and so does its adjustment: the database refuses a second claim, even
-- from a payment request racing in another server process.
CREATE UNIQUE INDEX ux_payment_items_claim ON payment_items (conversion_id, kind);
`,
  },
  {
    version: 5,
    name: 'partial conversion indexes',
    sql: `
-- Most conversions carry no transaction id and no threshold period, and are not pending for long; indexing only
-- those that are leaves three index writes off most conversions. A lookup of a value (column = ?) still uses its
-- index. The threshold index ends with the id, so that a period's conversions come out in order without the
-- publisher's other conversions; the pending index serves the approval sweep (approval.holdDays).
DROP INDEX ix_conversions_status;
CREATE INDEX ix_conversions_pending ON conversions (offer_id, created_at) WHERE status = 'pending';
DROP INDEX ix_conversions_transaction;
CREATE INDEX ix_conversions_transaction ON conversions (transaction_id) WHERE transaction_id IS NOT NULL;
DROP INDEX ix_conversions_threshold;
CREATE INDEX ix_conversions_threshold ON conversions (offer_id, publisher_id, threshold_period, id) WHERE threshold_period IS NOT NULL;
`,
  },
  {
    version: 6,
    name: 'log retention indexes',
    sql: `
-- The retention prune (engine/retention.ts) deletes the oldest postback-log entries and finished deliveries a few
-- hundred at a time; these indexes find them without scanning the tables. A finished delivery is dated by its last
-- change, and pending ones, which the prune never deletes, stay out of the index.
CREATE INDEX ix_postback_log_created ON postback_log (created_at);
CREATE INDEX ix_outbox_finished ON outbox (updated_at) WHERE status IN ('delivered', 'failed');
`,
  },
  {
    version: 7,
    name: 'conversions awaiting an fx rate',
    sql: `
-- A conversion whose money needs a rate that is not stored yet is kept, priced 0 and marked with the currency it waits
-- for; when that rate is stored it is priced (engine/fx-reprice.ts). The payout it reported is kept for that, since
-- in auto mode it is the payout. Few conversions ever wait, so the index holds only those.
ALTER TABLE conversions ADD COLUMN awaiting_fx TEXT;
ALTER TABLE conversions ADD COLUMN reported_payout BIGINT;
CREATE INDEX ix_conversions_awaiting_fx ON conversions (awaiting_fx, id) WHERE awaiting_fx IS NOT NULL;
`,
  },
  {
    version: 8,
    name: 'reports by device, sales and click date',
    sql: reportsByDeviceSalesAndClickDate(),
  },
  {
    version: 9,
    name: 'accounts',
    sql: `
-- Team accounts (README, Team accounts). Only hashes of passwords and tokens are stored.
CREATE TABLE users (
  id {{id}} PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  name TEXT,
  role TEXT NOT NULL,
  publisher_id {{id}},
  password_hash TEXT,
  status TEXT NOT NULL,
  last_sign_in_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_users_email ON users (email_key);

CREATE TABLE user_workspaces (
  user_id {{id}} NOT NULL,
  workspace_id {{id}} NOT NULL,
  PRIMARY KEY (user_id, workspace_id)
);
CREATE INDEX ix_user_workspaces_workspace ON user_workspaces (workspace_id);

CREATE TABLE sessions (
  id {{id}} PRIMARY KEY,
  user_id {{id}} NOT NULL,
  token_hash TEXT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_sessions_token ON sessions (token_hash);
CREATE INDEX ix_sessions_user ON sessions (user_id);

-- One-time links: invites and password resets.
CREATE TABLE account_tokens (
  id {{id}} PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id {{id}} NOT NULL,
  token_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_account_tokens_token ON account_tokens (token_hash);
CREATE INDEX ix_account_tokens_user ON account_tokens (user_id);

-- Attempts counted by the sign-in throttle, per hashed e-mail or client address; rows past the window are pruned.
CREATE TABLE sign_in_attempts (
  id {{id}} PRIMARY KEY,
  scope TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX ix_sign_in_attempts_scope ON sign_in_attempts (scope, at);
CREATE INDEX ix_sign_in_attempts_at ON sign_in_attempts (at);
`,
  },
  {
    version: 10,
    name: 'workspaces and audit log',
    sql: workspacesAndAuditLog(),
  },
  {
    version: 11,
    name: 'campaigns',
    sql: `
-- The tracker side (README, Campaigns). Each record is one JSON document in config, with columns for what is looked up.
CREATE TABLE traffic_sources (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  workspace_id {{id}} NOT NULL,
  config TEXT NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ix_traffic_sources_workspace ON traffic_sources (workspace_id, id);

CREATE TABLE landers (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  workspace_id {{id}} NOT NULL,
  config TEXT NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ix_landers_workspace ON landers (workspace_id, id);

-- A campaign with its streams. An alias is unique among live campaigns whatever its case; archiving frees it.
CREATE TABLE campaigns (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  alias TEXT,
  alias_key TEXT,
  status TEXT NOT NULL,
  workspace_id {{id}} NOT NULL,
  traffic_source_id {{id}},
  config TEXT NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_campaigns_alias ON campaigns (alias_key) WHERE archived_at IS NULL;
CREATE INDEX ix_campaigns_workspace ON campaigns (workspace_id, id);
CREATE INDEX ix_campaigns_traffic_source ON campaigns (traffic_source_id, id);

-- What each campaign's streams and traffic source name (offers, landers, other campaigns, the source), so that a
-- record in use is found by one indexed read before it is deleted.
CREATE TABLE campaign_references (
  kind TEXT NOT NULL,
  ref_id {{id}} NOT NULL,
  campaign_id {{id}} NOT NULL,
  PRIMARY KEY (kind, ref_id, campaign_id)
);
CREATE INDEX ix_campaign_references_campaign ON campaign_references (campaign_id);
`,
  },
  {
    version: 12,
    name: 'campaign visits',
    sql: CAMPAIGN_VISITS_MIGRATION,
  },
  {
    version: 13,
    name: 'campaign reports',
    sql: campaignReportsMigration([...FIRST_ROLLUP_METRICS, ...ADDED_ROLLUP_METRICS_8]),
  },
  {
    version: 14,
    name: 'local files and keyword sets',
    sql: LOCAL_FILES_MIGRATION,
  },
  {
    version: 15,
    name: 'publisher index of clicks without campaign clicks',
    sql: `
-- Campaign visits and links without pub= have no publisher: the clicks-by-publisher index leaves them out, one write
-- less a visit. Lookups name a publisher (publisher_id = ?), which both databases match to the partial index.
DROP INDEX ix_clicks_publisher;
CREATE INDEX ix_clicks_publisher ON clicks (publisher_id, id) WHERE publisher_id IS NOT NULL;
`,
  },
  {
    version: 16,
    name: 'keywords of a click',
    sql: `
-- The keywords a click drew from its offer's keyword set (a JSON list, when two or more), so that {kw2}...{kw5} are
-- filled on a local page and after the lander's click URL too, not only in the redirect that drew them.
ALTER TABLE clicks ADD COLUMN keywords TEXT;
`,
  },
];

/**
 * Migration 8. Conversions keep their click's time (reports by click date) and device (reports by device), and their
 * sale amount in the account currency at the rates they were priced with (the `sales` figure). The rollups gain the
 * device and `by_click` in their keys: rows with `by_click = 1` hold conversion metrics booked at the click's time
 * (at the conversion's own when it has no click), beside the rows of today, which book every event at its own time.
 * A primary key cannot change in place in SQLite, so both tables are made anew.
 *
 * What it can, it fills in from the conversions: click times, the clickless counts, and the click-date rows. Events
 * before it have no device (their clicks were counted without one, so their conversions stay without one too, and
 * reports show them under `device: null`), and no sales (the rates of their time are not kept).
 */
function reportsByDeviceSalesAndClickDate(): string {
  const metrics = [...FIRST_ROLLUP_METRICS, ...ADDED_ROLLUP_METRICS_8];
  const subs = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];
  const detailKey = ['by_click', 'bucket', 'offer_id', 'publisher_id', 'country', 'device', ...subs, 'coupon_code'];
  const dailyKey = ['by_click', 'day', 'offer_id', 'publisher_id', 'country', 'device'];
  const columns = metrics.map((metric) => `${metric} BIGINT NOT NULL`).join(',\n  ');
  // A conversion's rollup key and metrics as engine/rollups.ts books them, device left empty.
  const keyOf = (bucket: string) =>
    [bucket, 'offer_id', "COALESCE(publisher_id, '')", "COALESCE(country, '')", "''", ...subs.map((sub) => `COALESCE(${sub}, '')`), "COALESCE(LOWER(coupon_code), '')"];
  const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const money = (column: string, status: string) => `SUM(CASE WHEN status = '${status}' THEN ${column} ELSE 0 END)`;
  const conversionMetric: Record<(typeof metrics)[number], string> = {
    clicks: '0',
    impressions: '0',
    approved: count("kind = 'conversion' AND status = 'approved'"),
    pending: count("kind = 'conversion' AND status = 'pending'"),
    rejected: count("kind = 'conversion' AND status = 'rejected'"),
    rebills: count("kind = 'rebill'"),
    payout_approved: money('payout_account', 'approved'),
    payout_pending: money('payout_account', 'pending'),
    payout_rejected: money('payout_account', 'rejected'),
    revenue_approved: money('revenue_account', 'approved'),
    revenue_pending: money('revenue_account', 'pending'),
    revenue_rejected: money('revenue_account', 'rejected'),
    click_payout: '0',
    click_revenue: '0',
    sales_approved: money('amount_account', 'approved'),
    sales_pending: money('amount_account', 'pending'),
    sales_rejected: money('amount_account', 'rejected'),
    clickless_approved: count("kind = 'conversion' AND click_id IS NULL AND status = 'approved'"),
    clickless_pending: count("kind = 'conversion' AND click_id IS NULL AND status = 'pending'"),
    clickless_rejected: count("kind = 'conversion' AND click_id IS NULL AND status = 'rejected'"),
  };
  const clickless = ADDED_ROLLUP_METRICS_8.filter((metric) => metric.startsWith('clickless_'));
  return `
ALTER TABLE conversions ADD COLUMN click_at BIGINT;
ALTER TABLE conversions ADD COLUMN device TEXT;
ALTER TABLE conversions ADD COLUMN amount_account BIGINT NOT NULL DEFAULT 0;
UPDATE conversions SET click_at = (SELECT created_at FROM clicks WHERE clicks.id = conversions.click_id) WHERE click_id IS NOT NULL;

CREATE TABLE rollup_detail_next (
  by_click INTEGER NOT NULL,
  bucket BIGINT NOT NULL,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  country TEXT NOT NULL,
  device TEXT NOT NULL,
  ${subs.map((sub) => `${sub} TEXT NOT NULL`).join(', ')},
  coupon_code TEXT NOT NULL,
  ${columns},
  PRIMARY KEY (${detailKey.join(', ')})
);
INSERT INTO rollup_detail_next (${[...detailKey, ...metrics].join(', ')})
  SELECT ${['0', 'bucket', 'offer_id', 'publisher_id', 'country', "''", ...subs, 'coupon_code', ...FIRST_ROLLUP_METRICS, ...ADDED_ROLLUP_METRICS_8.map(() => '0')].join(', ')}
  FROM rollup_detail;
-- The clickless counts of the conversions' rows, which every such conversion made when it was recorded.
INSERT INTO rollup_detail_next (${[...detailKey, ...metrics].join(', ')})
  SELECT ${['0', ...keyOf('created_at / 900000'), ...metrics.map((metric) => (clickless.includes(metric as never) ? conversionMetric[metric] : '0'))].join(', ')}
  FROM conversions WHERE click_id IS NULL AND kind = 'conversion'
  GROUP BY ${keyOf('created_at / 900000').filter((expression) => expression !== "''").join(', ')}
  ON CONFLICT (${detailKey.join(', ')}) DO UPDATE SET ${clickless.map((metric) => `${metric} = rollup_detail_next.${metric} + excluded.${metric}`).join(', ')};
-- Every conversion once more, at its click's time.
INSERT INTO rollup_detail_next (${[...detailKey, ...metrics].join(', ')})
  SELECT ${['1', ...keyOf('COALESCE(click_at, created_at) / 900000'), ...metrics.map((metric) => conversionMetric[metric])].join(', ')}
  FROM conversions
  GROUP BY ${keyOf('COALESCE(click_at, created_at) / 900000').filter((expression) => expression !== "''").join(', ')};
DROP TABLE rollup_detail;
ALTER TABLE rollup_detail_next RENAME TO rollup_detail;

CREATE TABLE rollup_daily_next (
  by_click INTEGER NOT NULL,
  day TEXT NOT NULL,
  offer_id {{id}} NOT NULL,
  publisher_id {{id}} NOT NULL,
  country TEXT NOT NULL,
  device TEXT NOT NULL,
  ${columns},
  PRIMARY KEY (${dailyKey.join(', ')})
);
DROP TABLE rollup_daily;
ALTER TABLE rollup_daily_next RENAME TO rollup_daily;
-- The daily rollup needs the account timezone, which only the server knows: it is rebuilt from the 15-minute one at the
-- next start (engine/reports.ts, ensureRollupTimezone, on a timezone that no server has), and until then reports read
-- the 15-minute one.
INSERT INTO settings (name, value) VALUES ('rollup_timezone', 'rebuild') ON CONFLICT (name) DO UPDATE SET value = excluded.value;
`;
}

const TYPES = {
  sqlite: { id: 'TEXT', blob: 'BLOB' },
  postgres: { id: 'TEXT COLLATE "C"', blob: 'BYTEA' },
} as const;

/**
 * Applies every pending migration, each in its own transaction. Safe to run again, and from two processes. `until`
 * stops after that version, so that an upgrade test can start from an older schema.
 */
export async function migrate(driver: SqlDriver, { until = Infinity }: { until?: number } = {}): Promise<number[]> {
  await driver.transaction(async (tx) => {
    await driver.lockForMigrations(tx);
    await driver.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      tx,
    );
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS.filter(({ version }) => version <= until)) {
    const done = await driver.transaction(async (tx) => {
      await driver.lockForMigrations(tx);
      const row = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
      if (row) return false;
      const sql = migration.sql
        .replaceAll('{{id}}', TYPES[driver.dialect].id)
        .replaceAll('{{blob}}', TYPES[driver.dialect].blob)
        .replaceAll('{{now}}', String(Date.now()))
        // SQLite keeps a table keyed by its primary key in that key's order, with no second b-tree to look the row up
        // in; PostgreSQL has no such choice.
        .replaceAll('{{without_rowid}}', driver.dialect === 'sqlite' ? 'WITHOUT ROWID' : '')
        .replaceAll('{{metrics}}', FIRST_ROLLUP_METRICS.map((metric) => `${metric} BIGINT NOT NULL`).join(',\n  '));
      await driver.exec(sql, tx);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/**
 * Migration 10. Offers and affiliate networks belong to a workspace, and the first one holds those of before. It is
 * public, so that every team member keeps seeing what they saw (README, Workspaces). API keys may be limited to one
 * workspace; existing keys stay unlimited (null). The audit log keeps every change made through `/v1`.
 */
function workspacesAndAuditLog(): string {
  return `
CREATE TABLE workspaces (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  visibility TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_workspaces_name ON workspaces (name_key);
INSERT INTO workspaces (id, name, name_key, visibility, created_at, updated_at)
  VALUES ('${FIRST_WORKSPACE_ID}', 'Default', 'default', 'public', {{now}}, {{now}});

ALTER TABLE offers ADD COLUMN workspace_id {{id}} NOT NULL DEFAULT '${FIRST_WORKSPACE_ID}';
CREATE INDEX ix_offers_workspace ON offers (workspace_id, id);
ALTER TABLE affiliate_networks ADD COLUMN workspace_id {{id}} NOT NULL DEFAULT '${FIRST_WORKSPACE_ID}';
CREATE INDEX ix_affiliate_networks_workspace ON affiliate_networks (workspace_id, id);
ALTER TABLE api_keys ADD COLUMN workspace_id {{id}};

CREATE TABLE audit_log (
  id {{id}} PRIMARY KEY,
  actor_type TEXT NOT NULL,
  actor_id {{id}} NOT NULL,
  record_type TEXT NOT NULL,
  record_id {{id}} NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ix_audit_log_record ON audit_log (record_id, id);
CREATE INDEX ix_audit_log_record_type ON audit_log (record_type, id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX ix_audit_log_created ON audit_log (created_at);
`;
}
