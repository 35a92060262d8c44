import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, DESKTOP_BROWSER, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, createTrafficSource, visit } from './support/campaigns.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const AGENTS = [DESKTOP_BROWSER, IPHONE, ANDROID, BOT];
const KEYWORDS = ['shoes', 'red shoes', 'boots'];

/** Dimension → the name of its column in report rows and the click field it comes from. */
const DIMENSIONS = {
  campaign: 'campaignId',
  stream: 'streamId',
  lander: 'landerId',
  trafficSource: 'trafficSourceId',
  keyword: 'keyword',
  os: 'os',
  browser: 'browser',
  device: 'device',
  offer: 'offerId',
} as const;
type Dimension = keyof typeof DIMENSIONS;

const micros = (decimal: string | null) => (decimal ? Math.round(Number(decimal) * 1_000_000) : 0);
const cents = (decimal: string | null) => (decimal ? Math.round(Number(decimal) * 100) : 0);
/** Millionths to cents, half away from zero, as the report rounds a sum of costs once. */
const microsToCents = (value: number) => Math.sign(value) * Math.round(Math.abs(value) / 10_000);
const money = (value: number) => (value / 100).toFixed(2);
const percent = (part: number, whole: number) => (whole === 0 ? '0.00' : ((Math.sign(part) * Math.round((Math.abs(part) * 10_000) / whole)) / 100).toFixed(2));

describe.each(backends())('campaign reports (%s)', (backend) => {
  let server: TestServer;
  let clicks: any[];
  let conversions: any[];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(backend);
    // Offer one pays 2.00 per conversion (revenue on the buyer's own traffic); offer two has a revenue rule of 3.30.
    const one = await server.createOffer<{ id: string; postbackToken: string }>({ payout: { model: 'cpa', amount: '2.00' } });
    const two = await server.createOffer<{ id: string; postbackToken: string }>({ payout: { model: 'cpa', amount: '1.00' }, revenue: { amount: '3.30' } });
    const tokens = { [one.id]: one.postbackToken, [two.id]: two.postbackToken };
    const single = await createLander(server, { url: 'https://single.example/?go={click_url}' });
    const double = await createLander(server, { url: 'https://double.example/?a={click_url:1}&b={click_url:2}', offers: 2 });
    const source = await createTrafficSource(server, [{ field: 'keyword', param: 'kw', macro: '{keyword}' }]);
    // Campaign A: iPhones to the single-slot lander, everyone else to the two-slot one; each visit costs 0.0123.
    const a = await createCampaign(server, {
      trafficSourceId: source.id,
      cost: { model: 'cpc', amount: '0.0123' },
      streams: [
        { name: 'ios', type: 'forced', filters: [{ type: 'os', mode: 'allow', values: ['ios'] }], action: { type: 'flow', landers: [{ landerId: single.id, weight: 1 }], offers: [{ offerId: one.id, weight: 1 }] } },
        { name: 'rest', action: { type: 'flow', landers: [{ landerId: double.id, weight: 1 }], offers: [{ offerId: one.id, weight: 1 }, { offerId: two.id, weight: 1 }] } },
      ],
    });
    // Campaign B: straight to offer two, 0.75 per approved conversion.
    const b = await createCampaign(server, { cost: { model: 'cpa', amount: '0.75' }, streams: [{ name: 'direct', action: { type: 'flow', offers: [{ offerId: two.id, weight: 1 }] } }] });
    Object.assign(ids, { a: a.id, b: b.id, source: source.id, single: single.id, double: double.id, one: one.id, two: two.id });

    const clickIds: string[] = [];
    const conversionIds: string[] = [];
    for (let i = 0; i < 36; i++) {
      const campaign = i % 3 === 0 ? b : a;
      const landed = await visit(server, campaign.id, {
        query: `kw=${encodeURIComponent(KEYWORDS[i % 3]!)}`,
        // Seven visitors come back again and again: some visits are unique, others not.
        headers: { 'user-agent': AGENTS[i % 4]!, cookie: `waypost_v=report-visitor-${String(i % 7).padStart(4, '0')}` },
      });
      expect(landed.status).toBe(302);
      const clickId = landed.clickId!;
      clickIds.push(clickId);
      if (campaign === a && i % 2 === 0) {
        // Slot 2 of the two-slot lander moves the click to offer two; following twice counts once.
        const slot = i % 4 === 0 ? 2 : 1;
        expect((await server.request(`/click/${slot}?cid=${clickId}`, { key: null, headers: { 'user-agent': AGENTS[i % 4]! } })).status).toBe(302);
        if (i % 8 === 0) await server.request(`/click/${slot}?cid=${clickId}`, { key: null, headers: { 'user-agent': AGENTS[i % 4]! } });
      }
      if (i % 5 === 1 || i % 5 === 3) {
        const offerId = (await server.json(`/v1/clicks/${clickId}`)).body.offerId;
        const status = i % 5 === 1 ? 'approved' : 'pending';
        const reply = await server.json(`/postback?click_id=${clickId}&status=${status}&token=${tokens[offerId]}`, { key: null });
        expect(reply.status).toBe(200);
        conversionIds.push(reply.body.conversionId);
      }
    }
    // One approved conversion is rejected later, and one pending one approved.
    expect((await server.json(`/v1/conversions/${conversionIds[0]}`, { method: 'PATCH', json: { status: 'rejected' } })).status).toBe(200);
    expect((await server.json(`/v1/conversions/${conversionIds[1]}`, { method: 'PATCH', json: { status: 'approved' } })).status).toBe(200);
    // A publisher's click on /c, outside every campaign.
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Report publisher' } })).body;
    clickIds.push((await server.click(one.id, { query: `pub=${publisher.id}` })).clickId);

    clicks = await Promise.all(clickIds.map(async (id) => (await server.json(`/v1/clicks/${id}`)).body));
    conversions = await Promise.all(conversionIds.map(async (id) => (await server.json(`/v1/conversions/${id}`)).body));
  });
  afterAll(() => server.close());

  /** The report's campaign figures for groups of the raw clicks and conversions, computed as a media buyer would. */
  function expected(dimensions: Dimension[], keep: (click: any) => boolean = () => true) {
    const groups = new Map<string, { key: Record<string, unknown>; clicks: any[]; conversions: any[] }>();
    const keyOf = (click: any) => Object.fromEntries(dimensions.map((dimension) => [DIMENSIONS[dimension], click[DIMENSIONS[dimension]] ?? null]));
    for (const click of clicks.filter(keep)) {
      const key = keyOf(click);
      const name = JSON.stringify(key);
      if (!groups.has(name)) groups.set(name, { key, clicks: [], conversions: [] });
      groups.get(name)!.clicks.push(click);
      groups.get(name)!.conversions.push(...conversions.filter((conversion) => conversion.clickId === click.id));
    }
    return [...groups.values()].map(({ key, clicks: inGroup, conversions: converted }) => {
      const counted = converted.filter((conversion) => conversion.status !== 'rejected');
      const approved = converted.filter((conversion) => conversion.status === 'approved');
      const costMicros =
        inGroup.reduce((sum, click) => sum + micros(click.cost), 0) +
        approved.reduce((sum, conversion) => sum + (clicks.find((click) => click.id === conversion.clickId).campaignId === ids.b ? 750_000 : 0), 0);
      const cost = microsToCents(costMicros);
      const revenue = counted.reduce((sum, conversion) => sum + cents(conversion.revenue), 0);
      const payout = counted.reduce((sum, conversion) => sum + cents(conversion.payout), 0);
      const landerClicks = inGroup.filter((click) => click.landerClickedAt !== null).length;
      return {
        ...key,
        visits: inGroup.length,
        uniqueVisits: inGroup.filter((click) => click.isUnique).length,
        bots: inGroup.filter((click) => click.isBot || click.device === 'bot').length,
        landerClicks,
        ctr: percent(landerClicks, inGroup.length),
        approved: approved.length,
        revenue: money(revenue),
        payout: money(payout),
        cost: money(cost),
        profit: money(revenue - payout - cost),
        roi: cost === 0 ? null : percent(revenue - payout - cost, cost),
      };
    });
  }
  const figures = (row: any, dimensions: Dimension[]) => ({
    ...Object.fromEntries(dimensions.map((dimension) => [DIMENSIONS[dimension], row[DIMENSIONS[dimension]]])),
    visits: row.visits,
    uniqueVisits: row.uniqueVisits,
    bots: row.bots,
    landerClicks: row.landerClicks,
    ctr: row.ctr,
    approved: row.conversions.approved,
    revenue: row.revenue,
    payout: row.payout,
    cost: row.cost,
    profit: row.profit,
    roi: row.roi,
  });
  const sorted = <T>(rows: T[]) => [...rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  const report = async (query: string) => {
    const response = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('has data of every kind to count: bots, repeat visitors, lander clicks, moved offers, conversions of each status', () => {
    expect(clicks.filter((click) => click.isBot).length).toBeGreaterThan(0);
    expect(clicks.filter((click) => click.isUnique === false && !click.isBot).length).toBeGreaterThan(0);
    expect(clicks.filter((click) => click.landerClickedAt && click.landerId === ids.double && click.offerId === ids.two).length).toBeGreaterThan(0);
    expect(new Set(conversions.map((conversion) => conversion.status))).toEqual(new Set(['approved', 'pending', 'rejected']));
  });

  for (const dimension of Object.keys(DIMENSIONS) as Dimension[]) {
    it(`counts every campaign metric by ${dimension} as the raw clicks and conversions add up`, async () => {
      const body = await report(`groupBy=${dimension}`);
      expect(sorted(body.rows.map((row: any) => figures(row, [dimension])))).toEqual(sorted(expected([dimension])));
    });
  }

  it('agrees between the daily and the 15-minute rollups, grouped by campaign × lander × offer', async () => {
    const dims: Dimension[] = ['campaign', 'lander', 'offer'];
    const want = sorted(expected(dims));
    const daily = await report('groupBy=campaign,lander,offer');
    // Another timezone reads the 15-minute rollup (every event of the test is at noon UTC, on the same day there).
    const detail = await report('groupBy=campaign,lander,offer&timezone=Europe/Berlin');
    expect(sorted(daily.rows.map((row: any) => figures(row, dims)))).toEqual(want);
    expect(sorted(detail.rows.map((row: any) => figures(row, dims)))).toEqual(want);
  });

  it('totals the campaign metrics, rounding the sum of costs once', async () => {
    const [all] = expected([]);
    const { visits, uniqueVisits, bots, landerClicks, ctr, revenue, payout, cost, profit, roi } = all!;
    expect((await report('')).totals).toMatchObject({ visits, uniqueVisits, bots, landerClicks, ctr, revenue, payout, cost, profit, roi });
  });

  it('filters by campaign, traffic source and lander', async () => {
    const cases: [string, (click: any) => boolean][] = [
      [`campaignId=${ids.a}`, (click) => click.campaignId === ids.a],
      [`campaignId=${ids.b}`, (click) => click.campaignId === ids.b],
      [`trafficSourceId=${ids.source}`, (click) => click.trafficSourceId === ids.source],
      [`landerId=${ids.double}`, (click) => click.landerId === ids.double],
      [`landerId=${ids.single}&groupBy=keyword`, (click) => click.landerId === ids.single],
    ];
    for (const [query, keep] of cases) {
      const body = await report(query);
      const dims: Dimension[] = query.includes('groupBy=keyword') ? ['keyword'] : [];
      if (dims.length) expect(sorted(body.rows.map((row: any) => figures(row, dims)))).toEqual(sorted(expected(dims, keep)));
      const [all] = expected([], keep);
      const { visits, uniqueVisits, bots, landerClicks, revenue, cost, roi } = all!;
      expect(body.totals).toMatchObject({ visits, uniqueVisits, bots, landerClicks, revenue, cost, roi });
    }
  });

  it('exports the campaign dimensions and metrics as CSV', async () => {
    const response = await server.request('/v1/reports?from=2026-03-01&to=2026-03-01&groupBy=campaign,os&format=csv');
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await response.text()).trim().split(/\r?\n/);
    const columns = header!.split(',');
    for (const column of ['campaignId', 'os', 'visits', 'uniqueVisits', 'bots', 'landerClicks', 'ctr', 'cost', 'profit', 'roi']) expect(columns).toContain(column);
    const json = await report('groupBy=campaign,os');
    const row = json.rows.find((r: any) => r.campaignId === ids.a && r.os === 'ios');
    const line = lines.map((text) => Object.fromEntries(text.split(',').map((value, index) => [columns[index], value]))).find((values) => values.campaignId === ids.a && values.os === 'ios');
    expect(line).toMatchObject({ visits: String(row.visits), bots: String(row.bots), landerClicks: String(row.landerClicks), ctr: row.ctr, cost: row.cost, profit: row.profit, roi: row.roi ?? '' });
  });

  it('hides cost, profit and roi from publisher keys', async () => {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Curious publisher' } })).body;
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } })).body.key;
    const body = (await server.json('/v1/reports?from=2026-03-01&to=2026-03-01', { key })).body;
    expect([body.totals.cost, body.totals.profit, body.totals.roi]).toEqual([null, null, null]);
  });
});
