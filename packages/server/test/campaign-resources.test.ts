import type { Campaign } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniqueViolationError } from '../src/storage/index.js';
import { backends, startTestServer, type TestServer } from './support/harness.js';

const at = '2026-03-01T12:00:00.000Z';

function campaignRecord(id: string, fields: Partial<Campaign> = {}): Campaign {
  return {
    id,
    name: `Campaign ${id}`,
    alias: null,
    status: 'active',
    trafficSourceId: null,
    currency: 'USD',
    timezone: 'UTC',
    cost: { model: 'none' },
    redirect: '302',
    rotation: 'position',
    uniquenessHours: 24,
    bindVisitors: false,
    directTracking: false,
    allowedOrigins: [],
    streams: [],
    notes: null,
    workspaceId: 'ws_first',
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

describe.each(backends())('campaign storage on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('finds a live campaign by id or by its alias in any case, and frees the alias when it is archived', async () => {
    const { store } = server;
    await store.campaigns.insert(campaignRecord('cmp_storage1', { alias: 'Summer-Sale' }));
    expect((await store.campaigns.getByIdOrAlias('cmp_storage1'))?.alias).toBe('Summer-Sale');
    expect((await store.campaigns.getByIdOrAlias('summer-SALE'))?.id).toBe('cmp_storage1');
    await expect(store.campaigns.insert(campaignRecord('cmp_storage2', { alias: 'SUMMER-sale' }))).rejects.toBeInstanceOf(UniqueViolationError);

    await store.campaigns.update(campaignRecord('cmp_storage1', { alias: 'Summer-Sale', archivedAt: at }));
    expect(await store.campaigns.getByIdOrAlias('summer-sale')).toBeUndefined();
    expect(await store.campaigns.getByIdOrAlias('cmp_storage1')).toBeUndefined();
    expect((await store.campaigns.get('cmp_storage1'))?.archivedAt).toBe(at);
    await store.campaigns.insert(campaignRecord('cmp_storage3', { alias: 'summer-sale' }));
    expect((await store.campaigns.getByIdOrAlias('Summer-Sale'))?.id).toBe('cmp_storage3');
  });

  it('knows which live campaigns name an offer, a lander, a traffic source or another campaign', async () => {
    const { store } = server;
    const flow = { type: 'flow' as const, landers: [{ landerId: 'lnd_used', weight: 100 }], offers: [{ offerId: 'off_used', weight: 100 }] };
    const stream = { id: 'str_a', name: 'A', type: 'regular' as const, status: 'active' as const, weight: 100, match: 'all' as const, filters: [] };
    await store.campaigns.insert(campaignRecord('cmp_refs1', { trafficSourceId: 'ts_used', streams: [{ ...stream, action: flow }] }));
    await store.campaigns.insert(campaignRecord('cmp_refs2', { streams: [{ ...stream, action: { type: 'campaign', campaignId: 'cmp_refs1' } }] }));
    expect(await store.campaigns.usedBy('offer', 'off_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('lander', 'lnd_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('trafficSource', 'ts_used', 10)).toEqual(['cmp_refs1']);
    expect(await store.campaigns.usedBy('campaign', 'cmp_refs1', 10)).toEqual(['cmp_refs2']);

    await store.campaigns.update(campaignRecord('cmp_refs1', { streams: [{ ...stream, action: { type: 'not_found' } }] }));
    expect(await store.campaigns.usedBy('offer', 'off_used', 10)).toEqual([]);
    await store.campaigns.update(campaignRecord('cmp_refs2', { archivedAt: at, streams: [{ ...stream, action: { type: 'campaign', campaignId: 'cmp_refs1' } }] }));
    expect(await store.campaigns.usedBy('campaign', 'cmp_refs1', 10)).toEqual([]);
  });
});

describe.each(backends())('traffic sources, landers and campaigns over the API on %s', (backend) => {
  let server: TestServer;
  let offer: { id: string };
  let otherOffer: { id: string };
  beforeAll(async () => {
    // The outbound policy as shipped: private postback destinations are refused.
    server = await startTestServer(backend, { env: { WAYPOST_ALLOW_PRIVATE_DESTINATIONS: 'false' } });
    offer = await server.createOffer();
    otherOffer = await server.createOffer();
  });
  afterAll(() => server.close());

  const post = (path: string, json: unknown) => server.json(path, { method: 'POST', json });
  const put = (path: string, json: unknown) => server.json(path, { method: 'PUT', json });
  const patch = (path: string, json: unknown) => server.json(path, { method: 'PATCH', json });
  const del = (path: string) => server.json(path, { method: 'DELETE' });
  const created = async <T = any>(path: string, json: unknown): Promise<T> => {
    const response = await post(path, json);
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  };
  const flow = (offerIds: string[], landerIds: string[] = []) => ({
    type: 'flow',
    landers: landerIds.map((landerId) => ({ landerId })),
    offers: offerIds.map((offerId) => ({ offerId })),
  });
  const stream = (fields: Record<string, unknown> = {}) => ({ name: 'Main', action: flow([offer.id]), ...fields });
  const createCampaign = (fields: Record<string, unknown> = {}) => created('/v1/campaigns', { name: 'Campaign', streams: [stream()], ...fields });
  const issuePaths = (body: any): string[] => body.error.issues.map((issue: { path: string }) => issue.path);

  it('creates, reads, lists, replaces, updates and archives a traffic source', async () => {
    const source = await created('/v1/traffic-sources', {
      name: 'PropellerAds',
      params: [
        { field: 'externalId', param: 'cid', macro: '${SUBID}' },
        { field: 'cost', param: 'cost', macro: '{cost}' },
      ],
      postbackUrl: 'https://ad.propellerads.com/conversion.php?aid=1&visitor_id={external_id}&payout={payout}',
    });
    expect(source).toMatchObject({ id: expect.stringMatching(/^ts_/), notes: null, archivedAt: null, workspaceId: expect.any(String) });
    expect((await server.json(`/v1/traffic-sources/${source.id}`)).body).toEqual(source);

    const replaced = await put(`/v1/traffic-sources/${source.id}`, { name: 'Propeller', params: [{ field: 'sub1', param: 'zone', macro: '{zoneid}' }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: source.id, name: 'Propeller', postbackUrl: null, createdAt: source.createdAt, params: [{ field: 'sub1', param: 'zone', macro: '{zoneid}' }] });
    const updated = await patch(`/v1/traffic-sources/${source.id}`, { notes: 'push traffic' });
    expect(updated.body).toMatchObject({ name: 'Propeller', notes: 'push traffic' });

    const list = await server.json('/v1/traffic-sources?q=propel');
    expect(list.body.data.map((item: { id: string }) => item.id)).toEqual([source.id]);
    const archived = await del(`/v1/traffic-sources/${source.id}`);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await server.json('/v1/traffic-sources?q=propel')).body.data).toEqual([]);
    expect((await server.json('/v1/traffic-sources?q=propel&includeArchived=true')).body.data).toHaveLength(1);
  });

  it('refuses a traffic-source postback URL with a macro in its host or a private host, and a parameter mapped twice', async () => {
    for (const postbackUrl of ['https://{host}/pb?cid={external_id}', 'http://127.0.0.1/pb', 'http://localhost:8080/pb', 'http://[::1]/pb']) {
      const response = await post('/v1/traffic-sources', { name: 'Bad', postbackUrl });
      expect(response.status, postbackUrl).toBe(422);
      expect(issuePaths(response.body)).toEqual(['postbackUrl']);
    }
    const twice = await post('/v1/traffic-sources', { name: 'Bad', params: [{ field: 'keyword', param: 'kw' }, { field: 'sub1', param: 'KW' }] });
    expect(twice.status).toBe(422);
    expect(issuePaths(twice.body)).toEqual(['params.1.param']);
  });

  it('creates a lander with one offer slot by default and refuses more than ten slots or a macro in its host', async () => {
    const lander = await created('/v1/landers', { name: 'Quiz', url: 'https://lp.example.com/quiz?c={click_id}&go={click_url}' });
    expect(lander).toMatchObject({ id: expect.stringMatching(/^lnd_/), offers: 1, url: 'https://lp.example.com/quiz?c={click_id}&go={click_url}', archivedAt: null });
    const many = await post('/v1/landers', { name: 'Many', url: 'https://lp.example.com/', offers: 11 });
    expect(many.status).toBe(422);
    expect(issuePaths(many.body)).toEqual(['offers']);
    const host = await post('/v1/landers', { name: 'Host', url: 'https://{sub1}.example.com/' });
    expect(issuePaths(host.body)).toEqual(['url']);
    expect((await patch(`/v1/landers/${lander.id}`, { offers: 2 })).body.offers).toBe(2);
  });

  it('creates a campaign with defaults and server-assigned stream ids, and keeps a sub-cent cost exact', async () => {
    const campaign = await createCampaign({
      alias: 'Summer-Sale',
      cost: { model: 'cpc', amount: '0.0004' },
      streams: [stream({ name: 'DE', type: 'forced', filters: [{ type: 'country', values: ['de'] }] }), stream({ name: 'Fallback', type: 'default' })],
    });
    expect(campaign).toMatchObject({
      id: expect.stringMatching(/^cmp_/),
      alias: 'Summer-Sale',
      status: 'active',
      currency: 'USD',
      timezone: 'UTC',
      cost: { model: 'cpc', amount: '0.0004' },
      redirect: '302',
      rotation: 'position',
      uniquenessHours: 24,
      bindVisitors: false,
      trafficSourceId: null,
      archivedAt: null,
    });
    expect(campaign.streams).toEqual([
      { id: expect.stringMatching(/^str_/), name: 'DE', type: 'forced', status: 'active', weight: 100, match: 'all', filters: [{ type: 'country', mode: 'allow', values: ['DE'] }], action: { type: 'flow', landers: [], offers: [{ offerId: offer.id, weight: 100 }] } },
      expect.objectContaining({ id: expect.stringMatching(/^str_/), name: 'Fallback', type: 'default' }),
    ]);
    expect((await server.json(`/v1/campaigns/${campaign.id}`)).body).toEqual(campaign);
  });

  it('lists campaigns newest first, a page at a time, filtered by status', async () => {
    const first = await createCampaign({ name: 'Paging A', status: 'paused' });
    const second = await createCampaign({ name: 'Paging B', status: 'paused' });
    const page1 = await server.json('/v1/campaigns?status=paused&limit=1');
    expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const page2 = await server.json(`/v1/campaigns?status=paused&limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('keeps the ids of the streams a PUT names, gives new ids to the others, and refuses an id that is not the campaign’s', async () => {
    const campaign = await createCampaign({ streams: [stream({ name: 'One' }), stream({ name: 'Two' })] });
    const [one, two] = campaign.streams;
    const replaced = await put(`/v1/campaigns/${campaign.id}`, {
      name: 'Renamed',
      streams: [stream({ id: two.id, name: 'Two, first now' }), stream({ name: 'Three' })],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.streams.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([
      [two.id, 'Two, first now'],
      [expect.not.stringMatching(new RegExp(`^(${one.id}|${two.id})$`)), 'Three'],
    ]);
    expect(replaced.body.streams[1].id).toMatch(/^str_/);

    const other = await createCampaign();
    const foreign = await put(`/v1/campaigns/${campaign.id}`, { name: 'Renamed', streams: [stream({ id: other.streams[0].id })] });
    expect(foreign.status).toBe(422);
    expect(issuePaths(foreign.body)).toEqual(['streams.0.id']);
    const stale = await put(`/v1/campaigns/${campaign.id}`, { name: 'Renamed', streams: [stream({ id: one.id })] });
    expect(issuePaths(stale.body)).toEqual(['streams.0.id']);
    // A refused PUT leaves the campaign as it was.
    expect((await server.json(`/v1/campaigns/${campaign.id}`)).body.streams).toEqual(replaced.body.streams);

    const patched = await patch(`/v1/campaigns/${campaign.id}`, { status: 'paused' });
    expect(patched.body).toMatchObject({ name: 'Renamed', status: 'paused', streams: replaced.body.streams });
  });

  it('refuses a second default stream and a stream with no offer', async () => {
    const defaults = await post('/v1/campaigns', { name: 'Two defaults', streams: [stream({ type: 'default' }), stream({ type: 'default' })] });
    expect(issuePaths(defaults.body)).toEqual(['streams.1.type']);
    const empty = await post('/v1/campaigns', { name: 'No offer', streams: [stream({ action: flow([]) })] });
    expect(issuePaths(empty.body)).toEqual(['streams.0.action.offers']);
  });

  const filterCases: [type: string, valid: unknown[], invalid: unknown[], badIndex: number][] = [
    ['country', ['US', 'de', 'XK'], ['US', 'ZZ'], 1],
    ['device', ['desktop', 'mobile', 'tablet'], ['desktop', 'bot'], 1],
    ['os', ['windows', 'macos', 'ios', 'android', 'linux', 'chromeos'], ['beos'], 0],
    ['browser', ['chrome', 'safari', 'firefox', 'edge', 'opera', 'samsung', 'facebook', 'instagram', 'tiktok'], ['chrome', 'netscape'], 1],
    ['language', ['en', 'DE', 'fil'], ['en', 'en-US'], 1],
    ['ip', ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32', '::ffff:192.0.2.1'], ['10.0.0.0/33', '2001:db8::/129', '1.2.3'], 0],
    ['referrer', ['example.com', 'news.example.co.uk', ''], ['example.com', 'https://example.com/page'], 1],
    ['param', ['zone=42', 'utm_source=', 'a.b[c]=x y'], ['zone=1', '=42', 'no-equals-sign'], 1],
    ['schedule', [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }, { days: [6, 7], from: '22:00', to: '06:00' }], [{ days: [0], from: '09:00', to: '17:00' }], 0],
    ['unique', [true], [true, false], -1],
    ['bot', [false], ['yes'], 0],
  ];

  it.each(filterCases)('accepts valid %s filter values and refuses an invalid one, naming it', async (type, valid, invalid, badIndex) => {
    for (const mode of ['allow', 'deny']) {
      const campaign = await createCampaign({ streams: [stream({ filters: [{ type, mode, values: valid }] })] });
      expect(campaign.streams[0].filters[0]).toMatchObject({ type, mode });
    }
    const refused = await post('/v1/campaigns', { name: 'Bad filter', streams: [stream({ match: 'any', filters: [{ type: 'bot', values: [false] }, { type, values: invalid }] })] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('validation_error');
    const path = `streams.0.filters.1.values${badIndex < 0 ? '' : `.${badIndex}`}`;
    expect(issuePaths(refused.body)).toContain(type === 'schedule' ? `${path}.days.0` : path);
  });

  it('refuses schedule times that are not HH:MM, an unknown filter type and an empty value list', async () => {
    const times = await post('/v1/campaigns', { name: 'Times', streams: [stream({ filters: [{ type: 'schedule', values: [{ days: [1], from: '9:00', to: '24:00' }] }] })] });
    expect(issuePaths(times.body)).toEqual(['streams.0.filters.0.values.0.from', 'streams.0.filters.0.values.0.to']);
    const unknown = await post('/v1/campaigns', { name: 'Unknown', streams: [stream({ filters: [{ type: 'carrier', values: ['x'] }] })] });
    expect(issuePaths(unknown.body)).toEqual(['streams.0.filters.0.type']);
    const empty = await post('/v1/campaigns', { name: 'Empty', streams: [stream({ filters: [{ type: 'country', values: [] }] })] });
    expect(issuePaths(empty.body)).toEqual(['streams.0.filters.0.values']);
  });

  it('prints the traffic source’s placeholders with literal braces in the campaign URL', async () => {
    const source = await created('/v1/traffic-sources', {
      name: 'Zeropark',
      params: [
        { field: 'externalId', param: 'cid', macro: '{clickid}' },
        { field: 'sub1', param: 'zone', macro: '[zoneid]' },
        { field: 'cost', param: 'cost', macro: '{cost}' },
        { field: 'keyword', param: 'kw' },
      ],
    });
    const byAlias = await createCampaign({ alias: 'zp-push', trafficSourceId: source.id });
    const links = await server.json(`/v1/campaigns/${byAlias.id}/links`);
    expect(links.body).toEqual({
      campaignId: byAlias.id,
      campaignUrl: 'http://track.waypost.test/t/zp-push?cid={clickid}&zone=[zoneid]&cost={cost}',
      clickUrl: 'http://track.waypost.test/click/1',
    });
    const byId = await createCampaign();
    expect((await server.json(`/v1/campaigns/${byId.id}/links`)).body.campaignUrl).toBe(`http://track.waypost.test/t/${byId.id}`);
  });

  it('refuses an alias another live campaign has in any case, and one that looks like a campaign id', async () => {
    await createCampaign({ alias: 'black-friday' });
    const taken = await post('/v1/campaigns', { name: 'Again', alias: 'Black-Friday', streams: [stream()] });
    expect(taken.status).toBe(409);
    expect(issuePaths(taken.body)).toEqual(['alias']);
    const idLike = await post('/v1/campaigns', { name: 'Id-like', alias: 'cmp_123', streams: [stream()] });
    expect(issuePaths(idLike.body)).toEqual(['alias']);
  });

  it('refuses unknown or archived landers, offers, traffic sources and target campaigns, naming the field', async () => {
    const archivedLander = await created('/v1/landers', { name: 'Old', url: 'https://lp.example.com/old' });
    await del(`/v1/landers/${archivedLander.id}`);
    const cases: [Record<string, unknown>, string][] = [
      [{ trafficSourceId: 'ts_nothing' }, 'trafficSourceId'],
      [{ streams: [stream(), stream({ action: flow([offer.id, 'off_nothing']) })] }, 'streams.1.action.offers.1.offerId'],
      [{ streams: [stream({ action: flow([offer.id], ['lnd_nothing']) })] }, 'streams.0.action.landers.0.landerId'],
      [{ streams: [stream({ action: flow([offer.id], [archivedLander.id]) })] }, 'streams.0.action.landers.0.landerId'],
      [{ streams: [stream({ action: { type: 'campaign', campaignId: 'cmp_nothing' } })] }, 'streams.0.action.campaignId'],
    ];
    for (const [fields, path] of cases) {
      const response = await post('/v1/campaigns', { name: 'Refs', streams: [stream()], ...fields });
      expect(response.status, path).toBe(422);
      expect(issuePaths(response.body)).toEqual([path]);
    }
  });

  it('refuses weights outside 1..1000, more landers than a stream may rotate, and landers with more offer slots than offers', async () => {
    const lander = await created('/v1/landers', { name: 'Two offers', url: 'https://lp.example.com/2', offers: 2 });
    const heavy = await post('/v1/campaigns', { name: 'W', streams: [stream({ weight: 1001 }), stream({ action: { type: 'flow', landers: [], offers: [{ offerId: offer.id, weight: 0 }] } })] });
    expect(issuePaths(heavy.body)).toEqual(['streams.0.weight', 'streams.1.action.offers.0.weight']);
    const landers = Array.from({ length: 21 }, (_, i) => `lnd_${String(i).padStart(2, '0')}`);
    const tooMany = await post('/v1/campaigns', { name: 'L', streams: [stream({ action: flow([offer.id], landers) })] });
    expect(issuePaths(tooMany.body)).toEqual(['streams.0.action.landers']);
    const slots = await post('/v1/campaigns', { name: 'S', streams: [stream({ action: flow([offer.id], [lander.id]) })] });
    expect(slots.status).toBe(422);
    expect(issuePaths(slots.body)).toEqual(['streams.0.action.offers']);
    await createCampaign({ streams: [stream({ action: flow([offer.id, otherOffer.id], [lander.id]) })] });
    // Growing the lander past what a stream that shows it lists is refused too.
    const grown = await patch(`/v1/landers/${lander.id}`, { offers: 3 });
    expect(grown.status).toBe(422);
    expect(issuePaths(grown.body)).toEqual(['offers']);
  });

  it('refuses a campaign action that targets the campaign itself or loops back to it', async () => {
    const a = await createCampaign({ name: 'A' });
    const b = await createCampaign({ name: 'B', streams: [stream({ action: { type: 'campaign', campaignId: a.id } })] });
    const self = await put(`/v1/campaigns/${a.id}`, { name: 'A', streams: [stream({ action: { type: 'campaign', campaignId: a.id } })] });
    expect(issuePaths(self.body)).toEqual(['streams.0.action.campaignId']);
    const loop = await put(`/v1/campaigns/${a.id}`, { name: 'A', streams: [stream(), stream({ action: { type: 'campaign', campaignId: b.id } })] });
    expect(loop.status).toBe(422);
    expect(issuePaths(loop.body)).toEqual(['streams.1.action.campaignId']);
    expect(loop.body.error.message).toContain(`${a.id} → ${b.id} → ${a.id}`);
  });

  it('answers 409 when deleting a lander, traffic source or campaign that a live campaign uses, and archives it once unused', async () => {
    const lander = await created('/v1/landers', { name: 'In use', url: 'https://lp.example.com/in-use' });
    const source = await created('/v1/traffic-sources', { name: 'In use' });
    const target = await createCampaign({ name: 'Target' });
    const user = await createCampaign({ name: 'User', trafficSourceId: source.id, streams: [stream({ action: flow([offer.id], [lander.id]) }), stream({ action: { type: 'campaign', campaignId: target.id } })] });
    for (const path of [`/v1/landers/${lander.id}`, `/v1/traffic-sources/${source.id}`, `/v1/campaigns/${target.id}`]) {
      const refused = await del(path);
      expect(refused.status, path).toBe(409);
      expect(refused.body.error.message).toContain(user.id);
    }
    await put(`/v1/campaigns/${user.id}`, { name: 'User', streams: [stream()] });
    expect((await del(`/v1/landers/${lander.id}`)).status).toBe(200);
    expect((await del(`/v1/campaigns/${target.id}`)).status).toBe(200);
    // An archived campaign holds nothing.
    expect((await del(`/v1/campaigns/${user.id}`)).status).toBe(200);
    expect((await del(`/v1/traffic-sources/${source.id}`)).status).toBe(200);
  });

  it('answers 409 when archiving an offer that a live campaign’s stream lists', async () => {
    const used = await server.createOffer<{ id: string }>();
    const campaign = await createCampaign({ streams: [stream({ action: flow([offer.id, used.id]) })] });
    const refused = await del(`/v1/offers/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(campaign.id);
    expect((await server.json(`/v1/offers/${used.id}`)).body.archivedAt).toBeNull();
    await put(`/v1/campaigns/${campaign.id}`, { name: 'Campaign', streams: [stream()] });
    expect((await del(`/v1/offers/${used.id}`)).body.archivedAt).toEqual(expect.any(String));
  });

  it('describes the campaign endpoints in the OpenAPI document', async () => {
    const { body } = await server.json('/openapi.json', { key: null });
    for (const path of ['/v1/traffic-sources', '/v1/traffic-sources/{id}', '/v1/landers', '/v1/landers/{id}', '/v1/campaigns', '/v1/campaigns/{id}', '/v1/campaigns/{id}/links']) {
      expect(body.paths[path], path).toBeDefined();
    }
    expect(Object.keys(body.paths['/v1/campaigns/{id}']).sort()).toEqual(['delete', 'get', 'patch', 'put']);
    expect(body.paths['/v1/campaigns']['post']['x-waypost-access']).toBe('workspace');
  });

  it('serves the campaign link’s lookup the new streams as soon as a PUT answers, though the lookup is cached', async () => {
    const campaign = await createCampaign({ alias: 'cached-one' });
    expect((await server.store.campaigns.getByIdOrAlias('cached-one'))?.streams.map((s) => s.name)).toEqual(['Main']);
    await put(`/v1/campaigns/${campaign.id}`, { name: 'Campaign', alias: 'cached-one', streams: [stream({ name: 'Replaced' })] });
    expect((await server.store.campaigns.getByIdOrAlias('CACHED-ONE'))?.streams.map((s) => s.name)).toEqual(['Replaced']);
    await del(`/v1/campaigns/${campaign.id}`);
    expect(await server.store.campaigns.getByIdOrAlias('cached-one')).toBeUndefined();
  });

  it('records who created, changed and archived a campaign in the audit log', async () => {
    const campaign = await createCampaign({ name: 'Audited' });
    await patch(`/v1/campaigns/${campaign.id}`, { status: 'paused' });
    await del(`/v1/campaigns/${campaign.id}`);
    const { body } = await server.json(`/v1/audit?recordId=${campaign.id}`);
    expect(body.data.map((entry: { recordType: string; action: string }) => `${entry.recordType} ${entry.action}`).sort()).toEqual(['campaign archive', 'campaign create', 'campaign update']);
    const update = body.data.find((entry: { action: string }) => entry.action === 'update');
    expect(update.changes.status).toEqual({ before: 'active', after: 'paused' });
  });

  it('refuses publisher keys on every campaign resource', async () => {
    const publisher = await created('/v1/publishers', { name: 'Scoped publisher' });
    const { key } = await created('/v1/api-keys', { role: 'publisher', publisherId: publisher.id });
    for (const path of ['/v1/campaigns', '/v1/landers', '/v1/traffic-sources']) {
      expect((await server.json(path, { key })).status, path).toBe(403);
      expect((await server.json(path, { key, method: 'POST', json: { name: 'x' } })).status, path).toBe(403);
    }
  });

  it('answers 404 for a campaign, lander or traffic source that does not exist', async () => {
    for (const path of ['/v1/campaigns/cmp_nothing', '/v1/landers/lnd_nothing', '/v1/traffic-sources/ts_nothing', '/v1/campaigns/cmp_nothing/links']) {
      expect((await server.json(path)).status, path).toBe(404);
    }
  });
});

describe.each(backends())('campaign resources in workspaces on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const created = async <T = any>(path: string, json: unknown, key?: string): Promise<T> => {
    const response = await server.json(path, { method: 'POST', json, ...(key ? { key } : {}) });
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  };

  it('keeps a workspace-limited key to its workspace and refuses references into another private workspace', async () => {
    const red = await created('/v1/workspaces', { name: 'Red', visibility: 'private' });
    const blue = await created('/v1/workspaces', { name: 'Blue', visibility: 'private' });
    const { key: redKey } = await created('/v1/api-keys', { role: 'admin', name: 'red team', workspaceId: red.id });
    const offer = await server.createOffer<{ id: string }>({ workspaceId: red.id });
    const blueLander = await created('/v1/landers', { name: 'Blue lander', url: 'https://lp.example.com/blue', workspaceId: blue.id });
    const blueSource = await created('/v1/traffic-sources', { name: 'Blue source', workspaceId: blue.id });

    const campaign = await created('/v1/campaigns', { name: 'Red campaign', streams: [{ name: 'Main', action: { type: 'flow', offers: [{ offerId: offer.id }] } }] }, redKey);
    expect(campaign.workspaceId).toBe(red.id);
    // The limited key does not see the other private workspace's records: they do not exist for it.
    expect((await server.json(`/v1/landers/${blueLander.id}`, { key: redKey })).status).toBe(404);
    expect((await server.json('/v1/landers', { key: redKey })).body.data).toEqual([]);
    const unseen = await server.json(`/v1/campaigns/${campaign.id}`, {
      method: 'PATCH',
      key: redKey,
      json: { trafficSourceId: blueSource.id },
    });
    expect(unseen.status).toBe(422);
    expect(unseen.body.error.issues[0].path).toBe('trafficSourceId');

    // An unlimited key sees both, but a red campaign still may not name a blue lander.
    const crossed = await server.json(`/v1/campaigns/${campaign.id}`, {
      method: 'PATCH',
      json: { streams: [{ name: 'Main', action: { type: 'flow', landers: [{ landerId: blueLander.id }], offers: [{ offerId: offer.id }] } }] },
    });
    expect(crossed.status).toBe(422);
    expect(crossed.body.error.issues[0]).toMatchObject({ path: 'streams.0.action.landers.0.landerId', code: 'cross_workspace_reference' });
  });
});
