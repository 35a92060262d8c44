import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamFilter, StreamParams } from '@waypost/schema';
import { pruneLogs } from '../src/engine/retention.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, createTrafficSource, toOffer, visit } from './support/campaigns.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe.each(backends())('campaign routing (%s)', (backend) => {
  let server: TestServer;
  let offerA: string;
  let offerB: string;
  let offerC: string;

  beforeAll(async () => {
    server = await startTestServer(backend, { env: { WAYPOST_COUNTRY_HEADER: 'cf-ipcountry', WAYPOST_TRUST_PROXY: 'loopback' } });
    offerA = (await server.createOffer({ url: 'https://a.example/?cid={click_id}' })).id;
    offerB = (await server.createOffer({ url: 'https://b.example/?cid={click_id}' })).id;
    offerC = (await server.createOffer({ url: 'https://c.example/?cid={click_id}' })).id;
  });
  afterAll(() => server.close());

  /** A campaign whose first stream, with `filter`, goes to offer A, and whose default stream goes to offer B. */
  const filtered = (filter: StreamFilter, match: 'all' | 'any' = 'all', extra: StreamFilter[] = []) =>
    createCampaign(server, {
      streams: [
        { name: 'filtered', match, filters: [filter, ...extra], action: toOffer(offerA) },
        { name: 'default', type: 'default', action: toOffer(offerB) },
      ],
    });
  const host = (location: string | null) => (location ? new URL(location).host : null);

  const cases: [string, StreamFilter, { query?: string; headers?: Record<string, string> }, { query?: string; headers?: Record<string, string> }][] = [
    ['country', { type: 'country', mode: 'allow', values: ['DE'] }, { headers: { 'cf-ipcountry': 'DE' } }, { headers: { 'cf-ipcountry': 'US' } }],
    ['device', { type: 'device', mode: 'allow', values: ['mobile'] }, { headers: { 'user-agent': IPHONE } }, {}],
    ['os', { type: 'os', mode: 'allow', values: ['ios'] }, { headers: { 'user-agent': IPHONE } }, {}],
    ['browser', { type: 'browser', mode: 'allow', values: ['safari'] }, { headers: { 'user-agent': IPHONE } }, {}],
    ['language', { type: 'language', mode: 'allow', values: ['pt'] }, { headers: { 'accept-language': 'pt-BR,en;q=0.5' } }, { headers: { 'accept-language': 'en-US,pt;q=0.5' } }],
    ['ip', { type: 'ip', mode: 'allow', values: ['198.51.100.0/24', '2001:db8::/32'] }, { headers: { 'x-forwarded-for': '198.51.100.23' } }, { headers: { 'x-forwarded-for': '192.0.2.1' } }],
    ['referrer', { type: 'referrer', mode: 'allow', values: ['example.org'] }, { headers: { referer: 'https://news.example.org/a' } }, { headers: { referer: 'https://example.net/' } }],
    ['param', { type: 'param', mode: 'allow', values: ['zone=42'] }, { query: 'zone=42' }, { query: 'zone=43' }],
    ['schedule', { type: 'schedule', mode: 'allow', values: [{ days: [7], from: '09:00', to: '17:00' }] }, {}, {}],
    ['bot', { type: 'bot', mode: 'allow', values: [true] }, { headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' } }, {}],
  ];

  it.each(cases)('routes by the %s filter, in allow and in deny mode', async (name, filter, inside, outside) => {
    // The test clock stands on Sunday 2026-03-01 12:00 UTC: inside the schedule; outside it an hour later on Monday.
    const allow = await filtered(filter);
    const deny = await filtered({ ...filter, mode: 'deny' });
    expect(host((await visit(server, allow.id, inside)).location)).toBe('a.example');
    expect(host((await visit(server, deny.id, inside)).location)).toBe('b.example');
    if (name === 'schedule') server.clock.set('2026-03-02T12:00:00Z');
    try {
      expect(host((await visit(server, allow.id, outside)).location)).toBe('b.example');
      expect(host((await visit(server, deny.id, outside)).location)).toBe('a.example');
    } finally {
      server.clock.set('2026-03-01T12:00:00Z');
    }
  });

  it('routes by the unique filter: the first visit is unique and the second is not', async () => {
    const campaign = await filtered({ type: 'unique', mode: 'allow', values: [true] });
    const first = await visit(server, campaign.id, { headers: { 'x-forwarded-for': '203.0.113.77' } });
    expect(host(first.location)).toBe('a.example');
    const second = await visit(server, campaign.id, { headers: { cookie: `waypost_v=${first.visitorCookie}` } });
    expect(host(second.location)).toBe('b.example');
  });

  it('needs every filter with match all and any one with match any', async () => {
    const country: StreamFilter = { type: 'country', mode: 'allow', values: ['DE'] };
    const device: StreamFilter = { type: 'device', mode: 'allow', values: ['mobile'] };
    const all = await filtered(country, 'all', [device]);
    const any = await filtered(country, 'any', [device]);
    const germanDesktop = { headers: { 'cf-ipcountry': 'DE' } };
    expect(host((await visit(server, all.id, germanDesktop)).location)).toBe('b.example');
    expect(host((await visit(server, any.id, germanDesktop)).location)).toBe('a.example');
    expect(host((await visit(server, all.id, { headers: { 'cf-ipcountry': 'DE', 'user-agent': IPHONE } })).location)).toBe('a.example');
    expect(host((await visit(server, any.id, { headers: { 'cf-ipcountry': 'FR' } })).location)).toBe('b.example');
  });

  it('takes the first passing forced stream, then regular streams by position, then the default, else the 404 page', async () => {
    const german: StreamFilter = { type: 'country', mode: 'allow', values: ['DE'] };
    const campaign = await createCampaign(server, {
      rotation: 'position',
      streams: [
        { name: 'regular 1', type: 'regular', filters: [{ type: 'country', mode: 'allow', values: ['FR', 'DE'] }], action: toOffer(offerA) },
        { name: 'regular 2', type: 'regular', action: toOffer(offerB) },
        { name: 'forced paused', type: 'forced', status: 'paused', action: toOffer(offerB) },
        { name: 'forced', type: 'forced', filters: [german], action: toOffer(offerC) },
      ],
    });
    expect(host((await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'DE' } })).location)).toBe('c.example');
    expect(host((await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'FR' } })).location)).toBe('a.example');
    expect(host((await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'US' } })).location)).toBe('b.example');

    const narrow = await createCampaign(server, { streams: [{ name: 'german only', filters: [german], action: toOffer(offerA) }] });
    const missed = await visit(server, narrow.id, { headers: { 'cf-ipcountry': 'US' } });
    expect(missed.status).toBe(404);
    expect(missed.body).toBe('This link is not available.\n');
  });

  it('answers the plain 404 page for an unknown or paused campaign, and finds one by its alias in any case', async () => {
    expect((await visit(server, 'cmp_nothing')).status).toBe(404);
    expect((await visit(server, 'no-such-alias')).status).toBe(404);
    const paused = await createCampaign(server, { status: 'paused', streams: [{ name: 's', action: toOffer(offerA) }] });
    expect((await visit(server, paused.id)).status).toBe(404);
    await createCampaign(server, { alias: 'Summer-Sale', streams: [{ name: 's', action: toOffer(offerA) }] });
    expect(host((await visit(server, 'summer-sale')).location)).toBe('a.example');
  });

  it('draws regular streams, landers and offers by relative weight (2 : 1), within a tolerance that cannot flake', async () => {
    const lander1 = await createLander(server, { url: 'https://lp1.example/?c={click_url}' });
    const lander2 = await createLander(server, { url: 'https://lp2.example/?c={click_url}' });
    const campaign = await createCampaign(server, {
      rotation: 'weight',
      streams: [
        { name: 'heavy', weight: 200, action: { type: 'flow', landers: [{ landerId: lander1.id, weight: 200 }, { landerId: lander2.id, weight: 100 }], offers: [{ offerId: offerA, weight: 1 }] } },
        { name: 'light', weight: 100, action: toOffer(offerB) },
      ],
    });
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const where = host((await visit(server, campaign.id)).location)!;
      counts.set(where, (counts.get(where) ?? 0) + 1);
    }
    // Expected 200 by the heavy stream (133 and 67 by lander) and 100 by the light one; each bound is over 6 standard
    // deviations away, so a fair draw fails it less than once in a billion runs.
    const heavy = (counts.get('lp1.example') ?? 0) + (counts.get('lp2.example') ?? 0);
    expect(Math.abs(heavy - 200)).toBeLessThan(52);
    expect(Math.abs((counts.get('b.example') ?? 0) - 100)).toBeLessThan(52);
    expect(Math.abs((counts.get('lp1.example') ?? 0) - 133)).toBeLessThan(50);
    expect(counts.get('lp1.example')! > counts.get('lp2.example')!).toBe(true);
  });

  it('counts a visitor as unique once per campaign and per stream within uniquenessHours, by cookie or by address and user agent', async () => {
    const campaign = await createCampaign(server, {
      uniquenessHours: 24,
      streams: [
        { name: 'germany', filters: [{ type: 'country', mode: 'allow', values: ['DE'] }], action: toOffer(offerA) },
        { name: 'rest', type: 'default', action: toOffer(offerB) },
      ],
    });
    const first = await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'DE' } });
    expect(first.visitorCookie).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const withCookie = { cookie: `waypost_v=${first.visitorCookie}` };
    const second = await visit(server, campaign.id, { headers: { ...withCookie, 'cf-ipcountry': 'DE' } });
    const otherStream = await visit(server, campaign.id, { headers: { ...withCookie, 'cf-ipcountry': 'US' } });
    // Without the cookie, the same address and user agent are the same visitor.
    const cookieless = await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'DE' } });
    const otherBrowser = await visit(server, campaign.id, { headers: { 'cf-ipcountry': 'DE', 'user-agent': IPHONE } });
    server.clock.advance(24 * 3_600_000 + 1000);
    const nextDay = await visit(server, campaign.id, { headers: { ...withCookie, 'cf-ipcountry': 'DE' } });
    server.clock.set('2026-03-01T12:00:00Z');

    const flags = async (clickId: string | null) => {
      const { body } = await server.json(`/v1/clicks/${clickId}`);
      return [body.isUnique, body.isUniqueStream];
    };
    expect(await flags(first.clickId)).toEqual([true, true]);
    expect(await flags(second.clickId)).toEqual([false, false]);
    expect(await flags(otherStream.clickId)).toEqual([false, true]);
    expect(await flags(cookieless.clickId)).toEqual([false, false]);
    expect(await flags(otherBrowser.clickId)).toEqual([true, true]);
    expect(await flags(nextDay.clickId)).toEqual([true, true]);
  });

  it('gives a returning visitor the stream, lander and offer of their last visit with bindVisitors, while the stream still passes', async () => {
    const lander1 = await createLander(server, { url: 'https://lp1.example/' });
    const lander2 = await createLander(server, { url: 'https://lp2.example/' });
    const flow = { type: 'flow' as const, landers: [{ landerId: lander1.id, weight: 100 }, { landerId: lander2.id, weight: 100 }], offers: [{ offerId: offerA, weight: 100 }, { offerId: offerB, weight: 100 }] };
    const streams: StreamParams[] = [
      { name: 'one', weight: 100, filters: [{ type: 'language', mode: 'deny', values: ['fr'] }], action: flow },
      { name: 'two', weight: 100, filters: [{ type: 'language', mode: 'deny', values: ['fr'] }], action: flow },
      { name: 'fallback', type: 'default', action: toOffer(offerC) },
    ];
    const bound = await createCampaign(server, { rotation: 'weight', bindVisitors: true, streams });
    for (let visitor = 0; visitor < 5; visitor++) {
      const first = await visit(server, bound.id, { headers: { 'x-forwarded-for': `198.51.100.${visitor}` } });
      const cookie = { cookie: `waypost_v=${first.visitorCookie}` };
      const firstClick = (await server.json(`/v1/clicks/${first.clickId}`)).body;
      for (let again = 0; again < 4; again++) {
        const next = await visit(server, bound.id, { headers: cookie });
        expect(next.location).toMatch(new RegExp(`^https://${host(first.location)!.replace('.', '\\.')}/`));
        const click = (await server.json(`/v1/clicks/${next.clickId}`)).body;
        expect([click.streamId, click.landerId, click.offerId]).toEqual([firstClick.streamId, firstClick.landerId, firstClick.offerId]);
      }
      // The stream's filters no longer pass: the visitor is routed afresh.
      const french = await visit(server, bound.id, { headers: { ...cookie, 'accept-language': 'fr' } });
      expect(host(french.location)).toBe('c.example');
    }
  });

  it.each<[string, Record<string, string>, string]>([
    ['a bot user agent', { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }, 'GET'],
    ['an empty user agent', { 'user-agent': '' }, 'GET'],
    ['a HEAD request', {}, 'HEAD'],
    ['Sec-Purpose: prefetch', { 'sec-purpose': 'prefetch' }, 'GET'],
    ['X-Purpose: preview', { 'x-purpose': 'preview' }, 'GET'],
    ['Purpose: prefetch', { purpose: 'prefetch' }, 'GET'],
  ])('classifies %s as a bot, never unique, and leaves the visitor unique for their real visit', async (_name, headers, method) => {
    const campaign = await createCampaign(server, { streams: [{ name: 's', action: toOffer(offerA) }] });
    const address = { 'x-forwarded-for': '192.0.2.200' };
    const bot = await visit(server, campaign.id, { method, headers: { ...address, ...headers } });
    expect(bot.status).toBe(302);
    const click = (await server.json(`/v1/clicks/${bot.clickId}`)).body;
    expect([click.isBot, click.isUnique, click.isUniqueStream, click.device]).toEqual([true, false, false, 'bot']);
    if (headers['user-agent'] === undefined) {
      const person = await visit(server, campaign.id, { headers: address });
      expect((await server.json(`/v1/clicks/${person.clickId}`)).body.isUnique).toBe(true);
    }
  });

  it('routes a campaign action through the target campaign, keeping the entry campaign on the click', async () => {
    const source = await createTrafficSource(server, [{ field: 'externalId', param: 'cid' }]);
    const target = await createCampaign(server, {
      uniquenessHours: 24,
      streams: [
        { name: 'target germany', filters: [{ type: 'country', mode: 'allow', values: ['DE'] }], action: toOffer(offerC) },
        { name: 'target rest', type: 'default', action: toOffer(offerB) },
      ],
    });
    const entry = await createCampaign(server, {
      trafficSourceId: source.id,
      cost: { model: 'cpc', amount: '0.01' },
      streams: [{ name: 'hand over', action: { type: 'campaign', campaignId: target.id } }],
    });
    const result = await visit(server, entry.id, { query: 'cid=ext-1', headers: { 'cf-ipcountry': 'DE' } });
    expect(host(result.location)).toBe('c.example');
    const click = (await server.json(`/v1/clicks/${result.clickId}`)).body;
    expect(click).toMatchObject({ campaignId: entry.id, streamId: target.streams[0]!.id, trafficSourceId: source.id, externalId: 'ext-1', cost: '0.01', isUnique: true, source: 'campaign' });
  });

  it('shows the 404 page when campaign actions run in a loop', async () => {
    const first = await createCampaign(server, { streams: [{ name: 'loop', action: toOffer(offerA) }] });
    const second = await createCampaign(server, { streams: [{ name: 'back', action: { type: 'campaign', campaignId: first.id } }] });
    // Made into a loop afterwards, as an edit could do.
    await server.store.campaigns.update({ ...first, streams: [{ ...first.streams[0]!, action: { type: 'campaign', campaignId: second.id } }], updatedAt: new Date(Date.now() + 1000).toISOString() });
    expect((await visit(server, first.id)).status).toBe(404);
  });

  it('forgets a visitor not seen for a year, in the retention job, a batch at a time', async () => {
    const campaign = await createCampaign(server, { streams: [{ name: 's', action: toOffer(offerA) }] });
    const seen = await visit(server, campaign.id, { headers: { cookie: 'waypost_v=visitor-to-forget-01' } });
    expect(seen.status).toBe(302);
    expect(await server.store.campaignVisits.getVisitor(campaign.id, 'visitor-to-forget-01')).toBeDefined();
    expect((await pruneLogs(server.context)).campaignVisitors).toBe(0);
    server.clock.advance(366 * 86_400_000);
    try {
      expect((await pruneLogs(server.context, { batch: 1 })).campaignVisitors).toBeGreaterThanOrEqual(1);
      expect(await server.store.campaignVisits.getVisitor(campaign.id, 'visitor-to-forget-01')).toBeUndefined();
    } finally {
      server.clock.set('2026-03-01T12:00:00Z');
    }
  });

  it('routes a campaign made over REST through the link that GET /v1/campaigns/:id/links prints', async () => {
    const source = await server.json('/v1/traffic-sources', { method: 'POST', json: { name: 'Push network', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }, { field: 'sub1', param: 'zone', macro: '[zoneid]' }] } });
    expect(source.status).toBe(201);
    const lander = await server.json('/v1/landers', { method: 'POST', json: { name: 'Quiz', url: 'https://quiz.example/?next={click_url}' } });
    expect(lander.status).toBe(201);
    const campaign = await server.json('/v1/campaigns', {
      method: 'POST',
      json: { name: 'Push to quiz', alias: 'push-quiz', trafficSourceId: source.body.id, streams: [{ name: 'all', action: { type: 'flow', landers: [{ landerId: lander.body.id }], offers: [{ offerId: offerA }] } }] },
    });
    expect(campaign.status).toBe(201);
    const links = await server.json(`/v1/campaigns/${campaign.body.id}/links`);
    const link = new URL(links.body.campaignUrl.replace('{clickid}', 'src-click-1').replace('[zoneid]', 'z9'));
    const result = await visit(server, link.pathname.slice('/t/'.length), { query: link.search.slice(1) });
    expect(result.location).toBe(`https://quiz.example/?next=${encodeURIComponent(`http://track.waypost.test/click/1?cid=${result.clickId}`)}`);
    const click = (await server.json(`/v1/clicks/${result.clickId}`)).body;
    expect(click).toMatchObject({ campaignId: campaign.body.id, landerId: lander.body.id, externalId: 'src-click-1', sub1: 'z9', trafficSourceId: source.body.id });
  });

  it('records every field of the visit on the click', async () => {
    const source = await createTrafficSource(server, [
      { field: 'externalId', param: 'clickid' },
      { field: 'keyword', param: 'kw' },
      { field: 'creativeId', param: 'ad' },
      { field: 'sub1', param: 'zone' },
      { field: 'cost', param: 'price' },
    ]);
    const lander = await createLander(server, { url: 'https://lp.example/?go={click_url}' });
    const campaign = await createCampaign(server, {
      trafficSourceId: source.id,
      cost: { model: 'auto' },
      streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 100 }], offers: [{ offerId: offerA, weight: 100 }] } }],
    });
    const result = await visit(server, campaign.id, {
      query: 'clickid=abc&kw=running+shoes&ad=cr7&zone=77&price=0,0042&sub2=two&gclid=G1',
      headers: { 'user-agent': IPHONE, 'accept-language': 'de-DE,de;q=0.9', 'cf-ipcountry': 'DE', referer: 'https://source.example/', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`https://lp.example/?go=${encodeURIComponent(`http://track.waypost.test/click/1?cid=${result.clickId}`)}`);
    const click = (await server.json(`/v1/clicks/${result.clickId}`)).body;
    expect(click).toMatchObject({
      source: 'campaign',
      campaignId: campaign.id,
      streamId: campaign.streams[0]!.id,
      landerId: lander.id,
      offerId: offerA,
      trafficSourceId: source.id,
      externalId: 'abc',
      creativeId: 'cr7',
      keyword: 'running shoes',
      sub1: '77',
      sub2: 'two',
      os: 'ios',
      browser: 'safari',
      language: 'de',
      device: 'mobile',
      country: 'DE',
      isBot: false,
      isUnique: true,
      isUniqueStream: true,
      cost: '0.0042',
      referrer: 'https://source.example/',
      adClickIds: { gclid: 'G1' },
      ipPrefix: '203.0.113.0/24',
      publisherId: null,
      landerClickedAt: null,
    });
  });
});
