import { http, HttpResponse, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { type Waypost, WaypostConflictError, WaypostValidationError } from '../src/index.js';
import { client, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const list = (item: unknown) => ({ data: [item], nextCursor: null });
const times = { createdAt: '2026-11-01T10:00:00.000Z', updatedAt: '2026-11-01T10:00:00.000Z', archivedAt: null, workspaceId: 'ws_first' };

const trafficSource = { id: 'ts_1', name: 'Zeropark', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }], postbackUrl: null, postbackSecret: 'c2VjcmV0LXNlY3JldC0xMjM0', notes: null, ...times };
const lander = { id: 'lnd_1', name: 'Quiz', url: 'https://lp.example.com/quiz', offers: 1, notes: null, archive: null, ...times };
const stream = {
  id: 'str_1',
  name: 'Everyone',
  type: 'regular',
  status: 'active',
  weight: 100,
  match: 'all',
  filters: [{ type: 'country', mode: 'allow', values: ['US'] }],
  action: { type: 'flow', landers: [{ landerId: 'lnd_1', weight: 100 }], offers: [{ offerId: 'off_1', weight: 100 }] },
};
const campaign = {
  id: 'cmp_1',
  name: 'Push US',
  alias: 'push-us',
  status: 'active',
  trafficSourceId: 'ts_1',
  currency: 'USD',
  timezone: 'UTC',
  cost: { model: 'cpc', amount: '0.0004' },
  redirect: '302',
  rotation: 'position',
  uniquenessHours: 24,
  bindVisitors: false,
  directTracking: false,
  allowedOrigins: [],
  streams: [stream],
  notes: null,
  ...times,
};
const links = { campaignId: 'cmp_1', campaignUrl: 'https://waypost.test/t/push-us?cid={clickid}', clickUrl: 'https://waypost.test/click/1' };

interface Case {
  call: (waypost: Waypost) => Promise<unknown>;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  reply: JsonBodyType;
}

const streamParams = { name: 'Everyone', action: { type: 'flow' as const, offers: [{ offerId: 'off_1' }] } };

const cases: Record<string, Case> = {
  'trafficSources.list': { call: (w) => w.trafficSources.list({ q: 'zero' }), method: 'GET', path: '/v1/traffic-sources', query: { limit: '50', q: 'zero' }, reply: list(trafficSource) },
  'trafficSources.create': {
    call: (w) => w.trafficSources.create({ name: 'Zeropark', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }] }),
    method: 'POST',
    path: '/v1/traffic-sources',
    body: { name: 'Zeropark', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }] },
    reply: trafficSource,
  },
  'trafficSources.retrieve': { call: (w) => w.trafficSources.retrieve('ts_1'), method: 'GET', path: '/v1/traffic-sources/ts_1', reply: trafficSource },
  'trafficSources.replace': { call: (w) => w.trafficSources.replace('ts_1', { name: 'ZP' }), method: 'PUT', path: '/v1/traffic-sources/ts_1', body: { name: 'ZP', params: [] }, reply: trafficSource },
  'trafficSources.update': { call: (w) => w.trafficSources.update('ts_1', { notes: 'push' }), method: 'PATCH', path: '/v1/traffic-sources/ts_1', body: { notes: 'push' }, reply: trafficSource },
  'trafficSources.archive': { call: (w) => w.trafficSources.archive('ts_1'), method: 'DELETE', path: '/v1/traffic-sources/ts_1', reply: trafficSource },
  'landers.list': { call: (w) => w.landers.list({ includeArchived: 'true' }), method: 'GET', path: '/v1/landers', query: { limit: '50', includeArchived: 'true' }, reply: list(lander) },
  'landers.create': { call: (w) => w.landers.create({ name: 'Quiz', url: 'https://lp.example.com/quiz' }), method: 'POST', path: '/v1/landers', body: { name: 'Quiz', url: 'https://lp.example.com/quiz', offers: 1 }, reply: lander },
  'landers.retrieve': { call: (w) => w.landers.retrieve('lnd_1'), method: 'GET', path: '/v1/landers/lnd_1', reply: lander },
  'landers.replace': { call: (w) => w.landers.replace('lnd_1', { name: 'Quiz 2', offers: 2 }), method: 'PUT', path: '/v1/landers/lnd_1', body: { name: 'Quiz 2', offers: 2 }, reply: lander },
  'landers.update': { call: (w) => w.landers.update('lnd_1', { offers: 3 }), method: 'PATCH', path: '/v1/landers/lnd_1', body: { offers: 3 }, reply: lander },
  'landers.archive': { call: (w) => w.landers.archive('lnd_1'), method: 'DELETE', path: '/v1/landers/lnd_1', reply: lander },
  'campaigns.list': { call: (w) => w.campaigns.list({ status: 'active', trafficSourceId: 'ts_1' }), method: 'GET', path: '/v1/campaigns', query: { limit: '50', status: 'active', trafficSourceId: 'ts_1' }, reply: list(campaign) },
  'campaigns.create': {
    call: (w) => w.campaigns.create({ name: 'Push US', cost: { model: 'cpc', amount: 0.0004 }, streams: [streamParams] }),
    method: 'POST',
    path: '/v1/campaigns',
    body: expect.objectContaining({ name: 'Push US', cost: { model: 'cpc', amount: '0.0004' }, redirect: '302', streams: [expect.objectContaining({ name: 'Everyone', type: 'regular', weight: 100 })] }),
    reply: campaign,
  },
  'campaigns.retrieve': { call: (w) => w.campaigns.retrieve('cmp_1'), method: 'GET', path: '/v1/campaigns/cmp_1', reply: campaign },
  'campaigns.replace': {
    call: (w) => w.campaigns.replace('cmp_1', { name: 'Push US', streams: [{ id: 'str_1', ...streamParams }] }),
    method: 'PUT',
    path: '/v1/campaigns/cmp_1',
    body: expect.objectContaining({ name: 'Push US', streams: [expect.objectContaining({ id: 'str_1' })] }),
    reply: campaign,
  },
  'campaigns.update': { call: (w) => w.campaigns.update('cmp_1', { status: 'paused' }), method: 'PATCH', path: '/v1/campaigns/cmp_1', body: { status: 'paused' }, reply: campaign },
  'campaigns.archive': { call: (w) => w.campaigns.archive('cmp_1'), method: 'DELETE', path: '/v1/campaigns/cmp_1', reply: campaign },
  'campaigns.links': { call: (w) => w.campaigns.links('cmp_1'), method: 'GET', path: '/v1/campaigns/cmp_1/links', reply: links },
};

describe('campaign resources', () => {
  it.each(Object.entries(cases))('%s calls its endpoint', async (_, { call, method, path, query = {}, body, reply }) => {
    mock.server.use(http.all(url(path), () => HttpResponse.json(reply)));
    await expect(call(client())).resolves.toEqual(reply);
    const [request, ...rest] = await mock.requests();
    expect(rest).toHaveLength(0);
    expect(request!.method).toBe(method);
    expect(request!.url.pathname).toBe(path);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual(query);
    if (body === undefined) expect(request!.body).toBe('');
    else expect(JSON.parse(request!.body)).toEqual(body);
  });

  it('covers every method of the campaign resources', () => {
    const waypost = client();
    const all = (['trafficSources', 'landers', 'campaigns'] as const).flatMap((name) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(waypost[name]))
        .filter((method) => method !== 'constructor')
        .map((method) => `${name}.${method}`),
    );
    // The archive methods send bytes: local-files-resources.test.ts covers them.
    expect(all.filter((name) => !/Archive$/.test(name)).sort()).toEqual(Object.keys(cases).sort());
  });

  it('refuses an invalid filter before sending anything, naming the field', async () => {
    const call = client().campaigns.create({ name: 'Bad', streams: [{ ...streamParams, filters: [{ type: 'os', values: ['beos' as 'ios'] }] }] });
    await expect(call).rejects.toBeInstanceOf(WaypostValidationError);
    await expect(call).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'streams.0.filters.0.values.0' })] });
    expect(await mock.requests()).toHaveLength(0);
  });

  it('turns a 409 on archiving a lander in use into a WaypostConflictError', async () => {
    const message = 'the lander is used by campaign cmp_1; take it out of them first';
    mock.server.use(http.delete(url('/v1/landers/lnd_1'), () => HttpResponse.json({ error: { code: 'conflict', message } }, { status: 409 })));
    await expect(client().landers.archive('lnd_1')).rejects.toBeInstanceOf(WaypostConflictError);
  });
});
