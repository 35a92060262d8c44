import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, DESKTOP_BROWSER, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, visit } from './support/campaigns.js';

/**
 * Simultaneous follows of one click's lander click URL (README, Campaigns: the click URL). On PostgreSQL they run side
 * by side, each reading the click before the others write; the report must still count the visit once, under the offer
 * the click ends on, with one lander click.
 */
describe.each(backends())('simultaneous follows of a lander click URL (%s)', (backend) => {
  let server: TestServer;
  let campaignId: string;
  let offers: string[];

  beforeAll(async () => {
    server = await startTestServer(backend);
    const one = await server.createOffer<{ id: string }>({ payout: { model: 'cpa', amount: '2.00' } });
    const two = await server.createOffer<{ id: string }>({ payout: { model: 'cpa', amount: '1.00' } });
    offers = [one.id, two.id];
    const lander = await createLander(server, { url: 'https://double.example/?a={click_url:1}&b={click_url:2}', offers: 2 });
    const campaign = await createCampaign(server, {
      cost: { model: 'cpc', amount: '0.05' },
      streams: [{ name: 'all', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId: one.id, weight: 1 }, { offerId: two.id, weight: 1 }] } }],
    });
    campaignId = campaign.id;
  });
  afterAll(() => server.close());

  const follow = async (clickId: string, slot: number) => {
    const response = await server.request(`/click/${slot}?cid=${clickId}`, { key: null, headers: { 'user-agent': DESKTOP_BROWSER } });
    expect(response.status).toBe(302);
  };
  const byOffer = async () => {
    const response = await server.json('/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=offer');
    expect(response.status).toBe(200);
    // A visit moved away leaves its first offer's row at zero, which says nothing.
    const rows = response.body.rows.filter((row: any) => row.visits !== 0 || row.landerClicks !== 0 || row.cost !== '0.00');
    return Object.fromEntries(rows.map((row: any) => [row.offerId, { visits: row.visits, landerClicks: row.landerClicks, cost: row.cost }]));
  };
  /** What the report must say: each click once, under the offer it ended on, at 0.05 a visit. */
  const expected = async (clickIds: string[]) => {
    const rows: Record<string, { visits: number; landerClicks: number; cost: string }> = {};
    for (const id of clickIds) {
      const click = (await server.json(`/v1/clicks/${id}`)).body;
      expect(click.landerClickedAt).not.toBeNull();
      const row = (rows[click.offerId] ??= { visits: 0, landerClicks: 0, cost: '0.00' });
      row.visits += 1;
      row.landerClicks += 1;
      row.cost = (row.visits * 0.05).toFixed(2);
    }
    return rows;
  };

  it('moves the visit once when many follows of the other slot arrive at the same time', async () => {
    const clickIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const clickId = (await visit(server, campaignId, { headers: { cookie: `waypost_v=race-visitor-${i}` } })).clickId!;
      clickIds.push(clickId);
      const drawn = (await server.json(`/v1/clicks/${clickId}`)).body.offerId;
      // The slot of the offer that was not drawn, so that every follow wants to move the visit.
      const slot = offers.indexOf(drawn) === 0 ? 2 : 1;
      await Promise.all(Array.from({ length: 8 }, () => follow(clickId, slot)));
    }
    expect(await byOffer()).toEqual(await expected(clickIds));
  });

  it('counts the visit once, under the offer it ends on, when follows of both slots race', async () => {
    const clickIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const clickId = (await visit(server, campaignId, { headers: { cookie: `waypost_v=race-both-${i}` } })).clickId!;
      clickIds.push(clickId);
      await Promise.all(Array.from({ length: 8 }, (_, n) => follow(clickId, (n % 2) + 1)));
    }
    // The report holds the first test's clicks as well.
    const all = [...clickIds, ...(await server.json('/v1/clicks?limit=100')).body.data.map((click: any) => click.id).filter((id: string) => !clickIds.includes(id))];
    expect(await byOffer()).toEqual(await expected(all));
  });
});
