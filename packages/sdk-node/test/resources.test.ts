import { http, HttpResponse, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Waypost } from '../src/index.js';
import { CLICK_ID, client, fixtures, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const list = (item: unknown) => ({ data: [item], nextCursor: null });

interface Case {
  call: (waypost: Waypost) => Promise<unknown>;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  reply: JsonBodyType;
}

const cases: Record<string, Case> = {
  'offers.list': { call: (w) => w.offers.list({ status: 'active', q: 'solar' }), method: 'GET', path: '/v1/offers', query: { limit: '50', status: 'active', q: 'solar' }, reply: list(fixtures.offer) },
  'offers.create': {
    call: (w) => w.offers.create({ name: 'Solar leads', url: 'https://shop.example.com', payout: { model: 'cpa', amount: 10 } }),
    method: 'POST',
    path: '/v1/offers',
    body: expect.objectContaining({ name: 'Solar leads', payout: { model: 'cpa', mode: 'fixed', amount: '10' }, status: 'active' }),
    reply: fixtures.offer,
  },
  'offers.retrieve': { call: (w) => w.offers.retrieve('off_1'), method: 'GET', path: '/v1/offers/off_1', reply: fixtures.offer },
  'offers.update': { call: (w) => w.offers.update('off_1', { status: 'inactive' }), method: 'PATCH', path: '/v1/offers/off_1', body: { status: 'inactive' }, reply: fixtures.offer },
  'offers.archive': { call: (w) => w.offers.archive('off_1'), method: 'DELETE', path: '/v1/offers/off_1', reply: fixtures.offer },
  'offers.rotateToken': { call: (w) => w.offers.rotateToken('off_1'), method: 'POST', path: '/v1/offers/off_1/rotate-token', reply: fixtures.offer },
  'offers.links': { call: (w) => w.offers.links('off_1', { publisherId: 'pub_1' }), method: 'GET', path: '/v1/offers/off_1/links', query: { publisherId: 'pub_1' }, reply: fixtures.links },
  'publishers.list': { call: (w) => w.publishers.list({ limit: 10 }), method: 'GET', path: '/v1/publishers', query: { limit: '10' }, reply: list(fixtures.publisher) },
  'publishers.create': { call: (w) => w.publishers.create({ name: 'Deal Hunters' }), method: 'POST', path: '/v1/publishers', body: { name: 'Deal Hunters', status: 'active' }, reply: fixtures.publisher },
  'publishers.retrieve': { call: (w) => w.publishers.retrieve('pub_1'), method: 'GET', path: '/v1/publishers/pub_1', reply: fixtures.publisher },
  'publishers.update': { call: (w) => w.publishers.update('pub_1', { status: 'paused' }), method: 'PATCH', path: '/v1/publishers/pub_1', body: { status: 'paused' }, reply: fixtures.publisher },
  'publishers.balance': { call: (w) => w.publishers.balance('pub_1'), method: 'GET', path: '/v1/publishers/pub_1/balance', reply: fixtures.balance },
  'conversions.create': {
    call: (w) => w.conversions.create({ clickId: CLICK_ID, amount: '49.90', currency: 'EUR', transactionId: 'A-1001' }),
    method: 'POST',
    path: '/v1/conversions',
    body: { clickId: CLICK_ID, amount: '49.90', currency: 'EUR', transactionId: 'A-1001' },
    reply: fixtures.conversionResult,
  },
  'conversions.list': {
    call: (w) => w.conversions.list({ offerId: 'off_1', from: '2026-11-01T00:00:00Z' }),
    method: 'GET',
    path: '/v1/conversions',
    query: { limit: '50', offerId: 'off_1', from: '2026-11-01T00:00:00Z', order: 'desc' },
    reply: list(fixtures.conversion),
  },
  'conversions.retrieve': { call: (w) => w.conversions.retrieve('conv_1'), method: 'GET', path: '/v1/conversions/conv_1', reply: fixtures.conversion },
  'conversions.update': {
    call: (w) => w.conversions.update('conv_1', { status: 'rejected', reason: 'refund' }),
    method: 'PATCH',
    path: '/v1/conversions/conv_1',
    body: { status: 'rejected', reason: 'refund' },
    reply: fixtures.conversion,
  },
  'transactions.create': {
    call: (w) => w.transactions.create({ publisherId: 'pub_1', offerId: 'off_1', amount: '120.00', note: 'phone order' }),
    method: 'POST',
    path: '/v1/transactions',
    body: { publisherId: 'pub_1', offerId: 'off_1', amount: '120.00', note: 'phone order' },
    reply: fixtures.conversion,
  },
  'promoCodes.list': {
    call: (w) => w.promoCodes.list({ offerId: 'off_1' }),
    method: 'GET',
    path: '/v1/promo-codes',
    query: { limit: '50', offerId: 'off_1' },
    reply: list(fixtures.promoCode),
  },
  'promoCodes.requests.retrieve': {
    call: (w) => w.promoCodes.requests.retrieve('pcr_1'),
    method: 'GET',
    path: '/v1/promo-codes/requests/pcr_1',
    reply: fixtures.promoCodeRequest,
  },
  'promoCodes.requests.create': {
    call: (w) => w.promoCodes.requests.create({ offerId: 'off_1', publisherId: 'pub_1', platform: 'YouTube' }),
    method: 'POST',
    path: '/v1/promo-codes/requests',
    body: { offerId: 'off_1', publisherId: 'pub_1', platform: 'YouTube' },
    reply: fixtures.promoCodeRequest,
  },
  'promoCodes.requests.decide': {
    call: (w) => w.promoCodes.requests.decide('pcr_1', { decision: 'confirm', code: 'DEALS10' }),
    method: 'POST',
    path: '/v1/promo-codes/requests/pcr_1/decision',
    body: { decision: 'confirm', code: 'DEALS10' },
    reply: fixtures.promoCodeRequest,
  },
  'promoCodes.requests.list': {
    call: (w) => w.promoCodes.requests.list({ status: 'moderation' }),
    method: 'GET',
    path: '/v1/promo-codes/requests',
    query: { limit: '50', status: 'moderation' },
    reply: list(fixtures.promoCodeRequest),
  },
  'payments.create': { call: (w) => w.payments.create({ publisherId: 'pub_1' }), method: 'POST', path: '/v1/payments', body: { publisherId: 'pub_1' }, reply: fixtures.payment },
  'payments.approve': { call: (w) => w.payments.approve('pay_1'), method: 'POST', path: '/v1/payments/pay_1/approve', reply: fixtures.payment },
  'payments.list': { call: (w) => w.payments.list({ publisherId: 'pub_1' }), method: 'GET', path: '/v1/payments', query: { limit: '50', publisherId: 'pub_1' }, reply: list(fixtures.payment) },
  'payments.retrieve': { call: (w) => w.payments.retrieve('pay_1'), method: 'GET', path: '/v1/payments/pay_1', reply: fixtures.payment },
  'payments.items': { call: (w) => w.payments.items('pay_1'), method: 'GET', path: '/v1/payments/pay_1/items', query: { limit: '50' }, reply: list(fixtures.paymentItem) },
  'reports.get': {
    call: (w) => w.reports.get({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' }),
    method: 'GET',
    path: '/v1/reports',
    query: { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' },
    reply: fixtures.report,
  },
  'clicks.list': { call: (w) => w.clicks.list({ source: 'direct' }), method: 'GET', path: '/v1/clicks', query: { limit: '50', source: 'direct' }, reply: list(fixtures.click) },
  'clicks.retrieve': { call: (w) => w.clicks.retrieve('clk_0123456789abcdef'), method: 'GET', path: '/v1/clicks/clk_0123456789abcdef', reply: fixtures.click },
};

describe('resources', () => {
  it.each(Object.entries(cases))('%s calls its endpoint', async (_, { call, method, path, query = {}, body, reply }) => {
    mock.server.use(http.all(url(path), () => HttpResponse.json(reply)));
    await call(client());
    const [request, ...rest] = await mock.requests();
    expect(rest).toHaveLength(0);
    expect(request!.method).toBe(method);
    expect(request!.url.pathname).toBe(path);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual(query);
    if (body === undefined) expect(request!.body).toBe('');
    else expect(JSON.parse(request!.body)).toEqual(body);
  });

  it('exports conversions as CSV with the same filters', async () => {
    const csv = 'id,offerId,amount\nconv_1,off_1,120.00\n';
    mock.server.use(http.get(url('/v1/conversions'), () => new HttpResponse(csv, { headers: { 'Content-Type': 'text/csv' } })));
    await expect(client().conversions.exportCsv({ offerId: 'off_1' })).resolves.toBe(csv);
    const [request] = await mock.requests();
    expect(request!.headers.get('accept')).toBe('text/csv');
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ offerId: 'off_1', order: 'desc', format: 'csv' });
  });

  it('returns what a publisher key sees of an offer', async () => {
    const { id, name, status, expiresAt, leadType, currency, payout, countries, group, tags, directTracking, createdAt } = fixtures.offer;
    const trackingUrl = 'https://track.example.com/c/off_1?pub=pub_1';
    const publisherView = { id, name, status, expiresAt, leadType, currency, payout, countries, group, tags, directTracking, createdAt, trackingUrl };
    mock.server.use(http.get(url('/v1/offers/off_1'), () => HttpResponse.json(publisherView)));
    const offer = await client().offers.retrieve('off_1');
    expect(offer).toEqual(publisherView);
    expect('postbackToken' in offer).toBe(false);
  });

  it('covers every method of every resource', () => {
    const waypost = client();
    const methods = (object: object, prefix: string): string[] =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(object))
        .filter((name) => name !== 'constructor')
        .map((name) => `${prefix}.${name}`);
    const all = [
      ...(['offers', 'publishers', 'conversions', 'transactions', 'promoCodes', 'payments', 'reports', 'clicks'] as const).flatMap((name) =>
        methods(waypost[name], name),
      ),
      ...methods(waypost.promoCodes.requests, 'promoCodes.requests'),
    ];
    // The archive methods send bytes: local-files-resources.test.ts covers them.
    expect(all.filter((name) => name !== 'conversions.exportCsv' && !/Archive$/.test(name)).sort()).toEqual(Object.keys(cases).sort());
  });
});
