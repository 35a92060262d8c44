import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src/storage/migrations.js';
import { openPostgres } from '../src/storage/postgres/driver.js';
import { openSqlite } from '../src/storage/sqlite/driver.js';
import { backends, freshDatabaseUrl, startTestServer, TestClock } from './support/harness.js';
import { createCampaign, createLander, visit } from './support/campaigns.js';

// The rollup counters as version 12 wrote them.
const V12_METRICS = [
  'clicks', 'impressions', 'approved', 'pending', 'rejected', 'rebills', 'payout_approved', 'payout_pending', 'payout_rejected',
  'revenue_approved', 'revenue_pending', 'revenue_rejected', 'click_payout', 'click_revenue', 'sales_approved', 'sales_pending',
  'sales_rejected', 'clickless_approved', 'clickless_pending', 'clickless_rejected',
];

describe.each(backends())('reports by campaign across upgrades and timezone changes on %s', (backend) => {
  it('keeps the figures of a version 12 database under empty campaign keys, and counts its bot clicks as bots', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const driver = backend === 'postgres' ? openPostgres(databaseUrl) : openSqlite(resolve(databaseUrl.slice('file:'.length)));
    await migrate(driver, { until: 12 });
    const row = (table: 'rollup_daily' | 'rollup_detail', key: Record<string, unknown>, metrics: Record<string, number>) => {
      const columns = [...Object.keys(key), ...V12_METRICS];
      return driver.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, [
        ...Object.values(key),
        ...V12_METRICS.map((metric) => metrics[metric] ?? 0),
      ]);
    };
    const bucket = Math.floor(Date.parse('2026-03-01T12:00:00Z') / 900_000);
    const subs = { sub1: '', sub2: '', sub3: '', sub4: '', sub5: '', coupon_code: '' };
    for (const [device, clicks] of [['desktop', 5], ['bot', 2]] as const) {
      const key = { by_click: 0, offer_id: 'off_old', publisher_id: 'pub_old', country: 'DE', device };
      await row('rollup_daily', { ...key, day: '2026-03-01' }, { clicks, approved: device === 'bot' ? 0 : 1, revenue_approved: 900 });
      await row('rollup_detail', { ...key, bucket, ...subs }, { clicks, approved: device === 'bot' ? 0 : 1, revenue_approved: 900 });
    }
    await driver.run("INSERT INTO settings (name, value) VALUES ('rollup_timezone', 'UTC') ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    await driver.close();

    const server = await startTestServer(backend, { databaseUrl });
    try {
      for (const query of ['groupBy=campaign', 'groupBy=campaign&timezone=Europe/Berlin', 'groupBy=device,os']) {
        const { rows, totals } = (await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&${query}`)).body;
        expect(totals).toMatchObject({ visits: 7, clicks: 7, bots: 2, uniqueVisits: 0, landerClicks: 0, revenue: '18.00', cost: '0.00', roi: null });
        if (query.startsWith('groupBy=campaign')) expect(rows).toEqual([expect.objectContaining({ campaignId: null, visits: 7 })]);
      }
    } finally {
      await server.close();
    }
  });

  it('adds up a campaign report across months, by day and in all', async () => {
    const clock = new TestClock(new Date('2026-02-27T10:00:00Z'));
    const server = await startTestServer(backend, { clock });
    try {
      const offer = await server.createOffer();
      const lander = await createLander(server, { url: 'https://lander.example/?go={click_url}' });
      const campaign = await createCampaign(server, { cost: { model: 'cpc', amount: '0.10' }, streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId: offer.id, weight: 1 }] } }] });
      const visitsOn = { '2026-02-27': 2, '2026-03-15': 3, '2026-04-02': 1 };
      for (const [day, count] of Object.entries(visitsOn)) {
        clock.set(`${day}T10:00:00Z`);
        for (let i = 0; i < count; i++) await visit(server, campaign.id, { headers: { cookie: `waypost_v=months-visitor-${day}-${i}` } });
      }
      const report = async (query: string) => (await server.json(`/v1/reports?${query}`)).body;
      const all = await report('from=2026-02-01&to=2026-04-30&groupBy=campaign,lander,offer');
      expect(all.rows).toEqual([expect.objectContaining({ campaignId: campaign.id, landerId: lander.id, offerId: offer.id, visits: 6, cost: '0.60' })]);
      const byDay = await report('from=2026-02-01&to=2026-04-30&groupBy=campaign,day');
      expect(byDay.rows.map((row: any) => [row.day, row.visits])).toEqual(Object.entries(visitsOn));
      const march = await report(`from=2026-03-01&to=2026-03-31&campaignId=${campaign.id}`);
      expect([march.totals.visits, march.totals.cost]).toEqual([3, '0.30']);
    } finally {
      await server.close();
    }
  });

  it('rebuilds the campaign rollup with the daily one when the account timezone changes', async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    // 23:30 UTC on 1 March is 2 March in Berlin.
    const clock = new TestClock(new Date('2026-03-01T23:30:00Z'));
    const first = await startTestServer(backend, { databaseUrl, clock });
    const offer = await first.createOffer();
    const lander = await createLander(first, { url: 'https://lander.example/?go={click_url}' });
    const campaign = await createCampaign(first, { cost: { model: 'cpc', amount: '0.25' }, streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId: offer.id, weight: 1 }] } }] });
    for (let i = 0; i < 3; i++) await visit(first, campaign.id, { headers: { cookie: `waypost_v=rebuild-visitor-000${i}` } });
    await first.close();

    const berlin = await startTestServer(backend, { databaseUrl, clock, env: { WAYPOST_TIMEZONE: 'Europe/Berlin' } });
    try {
      const report = async (day: string) => (await berlin.json(`/v1/reports?from=${day}&to=${day}&groupBy=campaign,lander,offer`)).body.rows;
      expect(await report('2026-03-01')).toEqual([]);
      expect(await report('2026-03-02')).toEqual([
        expect.objectContaining({ campaignId: campaign.id, landerId: lander.id, offerId: offer.id, visits: 3, uniqueVisits: 3, cost: '0.75' }),
      ]);
    } finally {
      await berlin.close();
    }
  });
});
