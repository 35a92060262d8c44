import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { drawKeywords } from '../src/domain/keyword-draw.js';
import { seededRandom } from '../src/domain/stream-routing.js';
import { createCampaign, createLander, createTrafficSource, toOffer, visit } from './support/campaigns.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { buildZip } from './support/zip.js';

const kw = (text: string, weight = 100, active = true) => ({ text, weight, active });

describe('drawing keywords', () => {
  it('draws distinct active keywords by weight, up to the slots', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const drawn = drawKeywords([kw('a'), kw('b', 500), kw('off', 1000, false), kw('c')], { mode: 'weighted', slots: 5, random, position: 0 });
      expect(drawn).toHaveLength(3);
      expect(new Set(drawn)).toEqual(new Set(['a', 'b', 'c']));
    }
  });

  it('takes consecutive active keywords in sequential mode, starting one further on at each position', () => {
    const keywords = [kw('a'), kw('off', 100, false), kw('b'), kw('c')];
    const draw = (position: number) => drawKeywords(keywords, { mode: 'sequential', slots: 2, random: Math.random, position });
    expect([0, 1, 2, 3].map(draw)).toEqual([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['a', 'b'],
    ]);
  });

  it('draws nothing from a set without active keywords', () => {
    expect(drawKeywords([kw('off', 100, false)], { mode: 'weighted', slots: 3, random: Math.random, position: 0 })).toEqual([]);
  });
});

describe.each(backends())('keyword sets on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const createSet = async (json: Record<string, unknown>) => {
    const response = await server.json('/v1/keyword-sets', { method: 'POST', json: { name: `Set ${Math.random().toString(36).slice(2, 8)}`, ...json } });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };
  /** The offer URL's query after a click through `/c`, and the click's stored keyword. */
  const clickThrough = async (offerId: string) => {
    const { clickId, location } = await server.click(offerId);
    const query = Object.fromEntries(new URL(location).searchParams);
    return { query, keyword: (await server.store.clicks.get(clickId))?.keyword ?? null, clickId };
  };
  const KW_URL = 'https://search.example.com/?q={keyword}&k1={kw1}&k2={kw2}&k3={kw3}&k4={kw4}&k5={kw5}';

  it('creates, reads, lists, updates and archives a keyword set, with audit entries', async () => {
    const set = await createSet({ mode: 'sequential', keywords: [{ text: ' car insurance ' }, { text: 'home', weight: 3, active: false }] });
    const read = await server.json(`/v1/keyword-sets/${set.id}`);
    expect(read.body).toMatchObject({ mode: 'sequential', keywords: [kw('car insurance'), kw('home', 3, false)], archivedAt: null, workspaceId: 'ws_first' });
    expect((await server.json('/v1/keyword-sets')).body.data.map((entry: { id: string }) => entry.id)).toContain(set.id);
    const patched = await server.json(`/v1/keyword-sets/${set.id}`, { method: 'PATCH', json: { mode: 'weighted' } });
    expect(patched.body.mode).toBe('weighted');
    const archived = await server.json(`/v1/keyword-sets/${set.id}`, { method: 'DELETE' });
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await server.json('/v1/keyword-sets')).body.data.map((entry: { id: string }) => entry.id)).not.toContain(set.id);
    const audit = await server.json(`/v1/audit?recordId=${set.id}`);
    expect(audit.body.data.map((entry: { action: string }) => entry.action).sort()).toEqual(['archive', 'create', 'update']);
  });

  it('refuses a keyword listed twice, and an offer naming a set that does not exist or is archived', async () => {
    const twice = await server.json('/v1/keyword-sets', { method: 'POST', json: { name: 'Twice', keywords: [{ text: 'a' }, { text: 'A' }] } });
    expect(twice.status).toBe(422);
    expect(twice.body.error.issues[0].path).toBe('keywords.1.text');
    const missing = await server.json('/v1/offers', { method: 'POST', json: { name: 'No set', url: KW_URL, payout: { model: 'cpa', amount: '1' }, keywords: { setId: 'kws_missing' } } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues[0].path).toBe('keywords.setId');
    const archived = await createSet({ keywords: [{ text: 'a' }] });
    await server.request(`/v1/keyword-sets/${archived.id}`, { method: 'DELETE' });
    const refused = await server.json('/v1/offers', { method: 'POST', json: { name: 'Archived set', url: KW_URL, payout: { model: 'cpa', amount: '1' }, keywords: { setId: archived.id } } });
    expect(refused.status).toBe(422);
  });

  it('refuses a set in another private workspace', async () => {
    const workspace = (await server.json('/v1/workspaces', { method: 'POST', json: { name: 'Private keywords', visibility: 'private' } })).body;
    const set = await createSet({ keywords: [{ text: 'a' }], workspaceId: workspace.id });
    const response = await server.json('/v1/offers', { method: 'POST', json: { name: 'Cross workspace', url: KW_URL, payout: { model: 'cpa', amount: '1' }, keywords: { setId: set.id } } });
    expect(response.status).toBe(422);
    expect(response.body.error.issues[0].path).toBe('keywords.setId');
  });

  it('draws by weight: 3 : 1 weights give about three quarters of the clicks to the heavier keyword', async () => {
    const set = await createSet({ keywords: [{ text: 'heavy', weight: 300 }, { text: 'light', weight: 100 }] });
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 1 } });
    const counts = { heavy: 0, light: 0 };
    for (let i = 0; i < 300; i++) {
      const { query, keyword } = await clickThrough(offer.id);
      expect(query.q).toBe(keyword);
      counts[keyword as 'heavy' | 'light'] += 1;
    }
    // 300 draws at p = 0.75: the standard deviation is 0.025, so ±0.15 is six of them and cannot flake.
    expect(counts.heavy + counts.light).toBe(300);
    expect(Math.abs(counts.heavy / 300 - 0.75)).toBeLessThan(0.15);
  });

  it('fills the slots with distinct active keywords, skips inactive ones and leaves the other kw macros empty', async () => {
    const set = await createSet({ keywords: [{ text: 'a' }, { text: 'b' }, { text: 'never', active: false }, { text: 'c' }] });
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 3 } });
    for (let i = 0; i < 15; i++) {
      const { query, keyword } = await clickThrough(offer.id);
      expect(new Set([query.k1, query.k2, query.k3])).toEqual(new Set(['a', 'b', 'c']));
      expect(query.q).toBe(query.k1);
      expect(keyword).toBe(query.k1);
      expect([query.k4, query.k5]).toEqual(['', '']);
    }
  });

  it('goes round the list in sequential mode across requests, the position shared through the database', async () => {
    const set = await createSet({ mode: 'sequential', keywords: [{ text: 'one' }, { text: 'off', active: false }, { text: 'two' }, { text: 'three' }] });
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 2 } });
    const seen: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const { query } = await clickThrough(offer.id);
      seen.push([query.k1!, query.k2!]);
    }
    expect(seen).toEqual([
      ['one', 'two'],
      ['two', 'three'],
      ['three', 'one'],
      ['one', 'two'],
      ['two', 'three'],
    ]);
    expect((await server.store.counters.get(`keywords:${set.id}`))?.count).toBe(5);
  });

  it("records a drawn keyword on campaign traffic, and lets the traffic source's keyword win", async () => {
    const set = await createSet({ keywords: [{ text: 'from set' }] });
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 2 } });
    const source = await createTrafficSource(server, [{ field: 'keyword', param: 'kw', macro: '{keyword}' }]);
    const campaign = await createCampaign(server, { trafficSourceId: source.id, streams: [{ name: 'All', action: toOffer(offer.id) }] });

    const drawn = await visit(server, campaign.id);
    expect(new URL(drawn.location!).searchParams.get('q')).toBe('from set');
    expect((await server.store.clicks.get(drawn.clickId!))?.keyword).toBe('from set');

    const brought = await visit(server, campaign.id, { query: 'kw=brought%20by%20source' });
    const query = new URL(brought.location!).searchParams;
    expect([query.get('q'), query.get('k1'), query.get('k2')]).toEqual(['brought by source', 'brought by source', '']);
    expect((await server.store.clicks.get(brought.clickId!))?.keyword).toBe('brought by source');
  });

  it('keeps every drawn keyword with the click: a local offer page and the lander click URL fill {kw2} and on', async () => {
    const set = await createSet({ keywords: [{ text: 'alpha' }, { text: 'beta' }, { text: 'gamma' }] });
    // A local offer page: the redirect only names the page, which expands the keywords from the stored click.
    const local = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 3 } });
    const upload = await server.json(`/v1/offers/${local.id}/archive`, {
      method: 'PUT',
      body: buildZip([{ name: 'index.html', content: '<p id="kw">{keyword}|{kw1}|{kw2}|{kw3}|{kw4}</p>' }]),
      headers: { 'content-type': 'application/zip' },
    });
    expect(upload.status).toBe(200);
    const { clickId, location } = await server.click(local.id);
    const stored = await server.store.clicks.get(clickId);
    expect(new Set(stored?.keywords)).toEqual(new Set(['alpha', 'beta', 'gamma']));
    const page = await (await server.request(new URL(location).pathname + new URL(location).search, { key: null })).text();
    const [keyword, kw1, kw2, kw3, kw4] = /<p id="kw">([^<]*)<\/p>/.exec(page)![1]!.split('|');
    expect([keyword, kw1, kw2, kw3, kw4]).toEqual([stored!.keyword, ...stored!.keywords!, '']);

    // The lander's click URL: the offer URL is expanded after the lander, from the stored click.
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL, keywords: { setId: set.id, slots: 2 } });
    const lander = await createLander(server, { url: 'https://lander.example.com/?go={click_url}' });
    const campaign = await createCampaign(server, { streams: [{ name: 'All', action: { ...toOffer(offer.id), landers: [{ landerId: lander.id, weight: 100 }] } }] });
    const landed = await visit(server, campaign.id);
    const drawn = (await server.store.clicks.get(landed.clickId!))!;
    expect(drawn.keywords).toHaveLength(2);
    const clickUrl = new URL(new URL(landed.location!).searchParams.get('go')!);
    const followed = await server.request(clickUrl.pathname + clickUrl.search, { key: null });
    const query = new URL(followed.headers.get('location')!).searchParams;
    expect([query.get('q'), query.get('k1'), query.get('k2'), query.get('k3')]).toEqual([drawn.keyword, ...drawn.keywords!, '']);
  });

  it('reports clicks and conversions by keyword exactly as the raw clicks and conversions count them, after a status change too', async () => {
    const set = await createSet({ keywords: [{ text: 'alpha' }, { text: 'beta', weight: 200 }] });
    const offer = await server.createOffer<{ id: string; postbackToken: string }>({ url: KW_URL, keywords: { setId: set.id } });
    const clicks: { clickId: string; keyword: string | null }[] = [];
    for (let i = 0; i < 30; i++) clicks.push(await clickThrough(offer.id));
    const conversions: string[] = [];
    for (const { clickId } of clicks.slice(0, 12)) {
      const answer = await server.json(`/postback?click_id=${clickId}&token=${offer.postbackToken}`, { key: null });
      conversions.push(answer.body.conversionId);
    }
    // A refund moves a conversion out of approved: it must leave the keyword it was booked under.
    expect((await server.json(`/v1/conversions/${conversions[0]}`, { method: 'PATCH', json: { status: 'rejected' } })).status).toBe(200);

    const expected = new Map<string, { clicks: number; approved: number; rejected: number }>();
    for (const [index, { keyword }] of clicks.entries()) {
      const row = expected.get(keyword!) ?? { clicks: 0, approved: 0, rejected: 0 };
      row.clicks += 1;
      if (index === 0) row.rejected += 1;
      else if (index < 12) row.approved += 1;
      expected.set(keyword!, row);
    }
    expect((await server.store.conversions.get(conversions[1]!))?.keyword).toBe(clicks[1]!.keyword);
    const day = server.clock.now().toISOString().slice(0, 10);
    const report = await server.json(`/v1/reports?from=${day}&to=${day}&groupBy=keyword&offerId=${offer.id}`);
    expect(report.status).toBe(200);
    const rows = Object.fromEntries(
      report.body.rows.map((row: { keyword: string; clicks: number; conversions: { approved: number; rejected: number } }) => [
        row.keyword,
        { clicks: row.clicks, approved: row.conversions.approved, rejected: row.conversions.rejected },
      ]),
    );
    expect(rows).toEqual(Object.fromEntries(expected));
  });

  it('reads no keyword set for an offer without keywords', async () => {
    const offer = await server.createOffer<{ id: string }>({ url: KW_URL });
    const { query, keyword } = await clickThrough(offer.id);
    expect([query.q, query.k1, keyword]).toEqual(['', '', null]);
  });
});
