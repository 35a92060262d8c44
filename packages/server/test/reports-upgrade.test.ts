import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ensureRollupTimezone } from '../src/engine/reports.js';
import { openStore } from '../src/storage/index.js';
import { migrate } from '../src/storage/migrations.js';
import { openPostgres } from '../src/storage/postgres/driver.js';
import { createSqlStore } from '../src/storage/sql-store.js';
import { openSqlite } from '../src/storage/sqlite/driver.js';
import { clickRecord, offerRecord, publisherRecord } from './support/fixtures.js';
import { backends, freshDatabaseUrl, startTestServer } from './support/harness.js';

// The rollup counters as version 7 wrote them.
const V7_METRICS = [
  'clicks', 'impressions', 'approved', 'pending', 'rejected', 'rebills', 'payout_approved', 'payout_pending', 'payout_rejected',
  'revenue_approved', 'revenue_pending', 'revenue_rejected', 'click_payout', 'click_revenue',
];
const BUCKET_MS = 15 * 60 * 1000;

describe.each(backends())('upgrading the reports of a version 7 database on %s', (backend) => {
  it('fills in click dates and clickless counts from the conversions, and rebuilds the daily rollup at the next start', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const driver = backend === 'postgres' ? openPostgres(databaseUrl) : openSqlite(resolve(databaseUrl.slice('file:'.length)));
    await migrate(driver, { until: 7 });
    // Offers, publishers and clicks are stored as version 7 stored them; conversions and rollups are written by hand.
    const old = createSqlStore(driver);
    const offer = offerRecord({ payout: { model: 'cpa', mode: 'fixed', amount: '5.00' } });
    const publisher = publisherRecord();
    await old.publishers.insert(publisher);
    // By hand too: the store of today writes the workspace column that version 10 added.
    const { id, postbackToken, workspaceId, archivedAt, createdAt, updatedAt, ...config } = offer;
    await driver.run(
      `INSERT INTO offers (id, name, name_key, status, lead_type, visibility, config, postback_token, created_at, updated_at)
       VALUES (?, ?, ?, 'active', NULL, 'public', ?, ?, 1, 1)`,
      [id, offer.name, offer.name.toLowerCase(), JSON.stringify(config), postbackToken],
    );
    const clickAt = Date.parse('2026-03-01T12:00:00Z');
    const click = clickRecord({ offerId: offer.id, publisherId: publisher.id, sub1: 'spring-ad', device: 'mobile', createdAt: new Date(clickAt) });
    // By hand as well: the store of today writes the campaign columns that version 12 added.
    await driver.run(
      `INSERT INTO clicks (id, offer_id, requested_offer_id, publisher_id, sub1, sub2, sub3, sub4, sub5, source, country, device, referrer,
         landing_url, ad_click_ids, ip_prefix, status, reason, payout, revenue, created_at)
       VALUES (?, ?, NULL, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, 0, 0, ?)`,
      [click.id, offer.id, publisher.id, click.sub1, click.source, click.country, click.device, click.referrer, JSON.stringify(click.adClickIds), click.ipPrefix, click.status, clickAt],
    );
    const clickedAt = Date.parse('2026-03-03T09:00:00Z');
    const couponAt = Date.parse('2026-03-03T10:00:00Z');
    const conversion = (id: string, values: { clickId: string | null; coupon: string | null; country: string | null; sub1: string | null; at: number }) =>
      driver.run(
        `INSERT INTO conversions (id, offer_id, publisher_id, click_id, click_key, dedupe_key, is_primary, coupon_code, status, kind, source, amount,
           currency, payout, revenue, offer_currency, payout_account, revenue_account, payout_state, counted, country, sub1, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'approved', 'conversion', 'postback', 4990, 'USD', 500, 0, 'USD', 500, 0, 'payable', 1, ?, ?, ?, ?)`,
        [id, offer.id, publisher.id, values.clickId, values.clickId ?? '-', `id:${id}`, values.clickId ? 1 : 0, values.coupon, values.country, values.sub1, values.at, values.at],
      );
    await conversion('cv_clicked', { clickId: click.id, coupon: null, country: 'US', sub1: 'spring-ad', at: clickedAt });
    await conversion('cv_coupon', { clickId: null, coupon: 'SPRING', country: null, sub1: null, at: couponAt });
    const row = (table: 'rollup_daily' | 'rollup_detail', key: Record<string, unknown>, metrics: Record<string, number>) => {
      const columns = [...Object.keys(key), ...V7_METRICS];
      return driver.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, [
        ...Object.values(key),
        ...V7_METRICS.map((metric) => metrics[metric] ?? 0),
      ]);
    };
    const ids = { offer_id: offer.id, publisher_id: publisher.id };
    const noSubs = { sub2: '', sub3: '', sub4: '', sub5: '' };
    await row('rollup_daily', { day: '2026-03-01', ...ids, country: 'US' }, { clicks: 1 });
    await row('rollup_daily', { day: '2026-03-03', ...ids, country: 'US' }, { approved: 1, payout_approved: 500 });
    await row('rollup_daily', { day: '2026-03-03', ...ids, country: '' }, { approved: 1, payout_approved: 500 });
    const bucket = (at: number) => Math.floor(at / BUCKET_MS);
    await row('rollup_detail', { bucket: bucket(clickAt), ...ids, country: 'US', sub1: 'spring-ad', ...noSubs, coupon_code: '' }, { clicks: 1 });
    await row('rollup_detail', { bucket: bucket(clickedAt), ...ids, country: 'US', sub1: 'spring-ad', ...noSubs, coupon_code: '' }, { approved: 1, payout_approved: 500 });
    await row('rollup_detail', { bucket: bucket(couponAt), ...ids, country: '', sub1: '', ...noSubs, coupon_code: 'spring' }, { approved: 1, payout_approved: 500 });
    await driver.run("INSERT INTO settings (name, value) VALUES ('rollup_timezone', 'UTC')");
    await driver.close();

    const server = await startTestServer(backend, { databaseUrl });
    try {
      expect(await server.store.settings.get('rollup_timezone')).toBe('UTC');
      const report = async (query: string) => (await server.json(`/v1/reports?from=2026-03-01&to=2026-03-03&offerId=${offer.id}&${query}`)).body;
      const byDay = (body: { rows: Record<string, any>[] }) =>
        body.rows.map((r) => [r.day, r.clicks, r.conversions.approved, r.conversions.rejected, r.conversions.clickless]);

      // By conversion date: the daily rollup rebuilt, and the 15-minute one, agree.
      const own = [
        ['2026-03-01', 1, 0, 0, 0],
        ['2026-03-03', 0, 2, 0, 1],
      ];
      expect(byDay(await report('groupBy=day'))).toEqual(own);
      expect(byDay(await report('groupBy=day,sub2'))).toEqual(own);
      // The coupon's conversion has no click: the rate is 1 of 1 click, not 2.
      expect((await report('')).totals).toMatchObject({ cr: '100.00', sales: '0.00', payout: '10.00' });

      const byClick = [
        ['2026-03-01', 1, 1, 0, 0],
        ['2026-03-03', 0, 1, 0, 1],
      ];
      expect(byDay(await report('groupBy=day&dateBasis=click'))).toEqual(byClick);
      expect(byDay(await report('groupBy=day,sub2&dateBasis=click'))).toEqual(byClick);
      // Events before the upgrade have no device.
      expect((await report('groupBy=device')).rows.map((r: Record<string, any>) => [r.device, r.clicks, r.conversions.total])).toEqual([[null, 1, 2]]);

      // A conversion from before moves where it was booked: on its click's day, without a device.
      expect(await server.store.conversions.get('cv_clicked')).toMatchObject({ clickAt: new Date(clickAt), device: null, amountAccount: 0 });
      expect((await server.json('/v1/conversions/cv_clicked', { method: 'PATCH', json: { status: 'rejected' } })).status).toBe(200);
      expect(byDay(await report('groupBy=day&dateBasis=click'))).toEqual([
        ['2026-03-01', 1, 0, 1, 0],
        ['2026-03-03', 0, 1, 0, 1],
      ]);
      expect((await report('groupBy=device')).rows.map((r: Record<string, any>) => [r.device, r.conversions.approved, r.conversions.rejected])).toEqual([[null, 1, 1]]);
    } finally {
      await server.close();
    }
  });

  it('rebuilds the daily rollup once when two servers start together on the upgraded database', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const first = openStore(databaseUrl);
    await first.migrate();
    const delta = { offerId: 'off_twice', publisherId: null, country: 'US', sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, couponCode: null };
    await first.transaction(async (tx) => {
      await tx.rollups.add({ ...delta, day: '2026-03-01', at: new Date('2026-03-01T12:00:00Z'), metrics: { clicks: 3 } });
      // What migration 8 leaves: a daily rollup to be rebuilt.
      await tx.settings.set('rollup_timezone', 'rebuild');
    });
    const second = openStore(databaseUrl);
    try {
      const config = loadConfig({ WAYPOST_DATABASE_URL: databaseUrl, WAYPOST_TIMEZONE: 'Pacific/Kiritimati' });
      // Both connected first, so that neither finishes before the other begins.
      expect(await second.settings.get('rollup_timezone')).toBe('rebuild');
      await Promise.all([ensureRollupTimezone({ store: first, config }), ensureRollupTimezone({ store: second, config })]);
      // 12:00 UTC is already 2 March in Kiritimati (UTC+14).
      const days = [{ day: '2026-03-02', start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-02T10:00:00Z') }];
      const [row] = await first.rollups.query({ source: 'daily', days, groupBy: ['day'], filters: { offerId: 'off_twice' } });
      expect([row?.day, row?.clicks]).toEqual(['2026-03-02', 3]);
      expect(await second.settings.get('rollup_timezone')).toBe('Pacific/Kiritimati');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
