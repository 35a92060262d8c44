import type { SqlDriver } from './driver.js';

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
];

const TYPES = {
  sqlite: { id: 'TEXT' },
  postgres: { id: 'TEXT COLLATE "C"' },
} as const;

/** Applies every pending migration, each in its own transaction. Safe to run again, and from two processes. */
export async function migrate(driver: SqlDriver): Promise<number[]> {
  await driver.transaction(async (tx) => {
    await driver.lockForMigrations(tx);
    await driver.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      tx,
    );
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const done = await driver.transaction(async (tx) => {
      await driver.lockForMigrations(tx);
      const row = await tx.get('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
      if (row) return false;
      await driver.exec(migration.sql.replaceAll('{{id}}', TYPES[driver.dialect].id), tx);
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
