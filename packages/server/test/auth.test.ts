import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('API keys and publisher scoping on %s', (backend) => {
  let server: TestServer;
  let routes: { method: string; path: string; access: string }[];
  const a = { id: '', key: '' };
  const b = { id: '', key: '' };
  let publicOffer: string;
  let offerForA: string;
  let offerForB: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    for (const publisher of [a, b]) {
      publisher.id = (await server.json('/v1/publishers', { method: 'POST', json: { name: `P ${Math.random()}` } })).body.id;
      publisher.key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } })).body.key;
    }
    const offer = async (json: object) =>
      (await server.json('/v1/offers', { method: 'POST', json: { url: 'https://shop.example.com', payout: { model: 'cpa', amount: '3' }, ...json } })).body.id as string;
    publicOffer = await offer({ name: 'Public' });
    offerForA = await offer({ name: 'Private A', visibility: 'private', publisherIds: [a.id] });
    offerForB = await offer({ name: 'Private B', visibility: 'private', publisherIds: [b.id] });

    const spec = (await server.json('/openapi.json', { key: null })).body;
    routes = Object.entries<Record<string, any>>(spec.paths).flatMap(([path, methods]) =>
      Object.entries<any>(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, access: op['x-waypost-access'] })),
    );
  });
  afterAll(() => server.close());

  const fill = (path: string) => path.replace('{id}', offerForB).replace('{payoutId}', 'pp_x');

  it('answers 401 to every protected route without a key, or with a bad one', async () => {
    const protectedRoutes = routes.filter((route) => route.access !== 'public');
    expect(protectedRoutes.length).toBeGreaterThan(10);
    for (const route of protectedRoutes) {
      for (const key of [null, 'wp_sk_not-a-real-key', 'garbage']) {
        const response = await server.json(fill(route.path), { method: route.method, key, json: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
        expect([route.method, route.path, key, response.status, response.body.error.code]).toEqual([route.method, route.path, key, 401, 'unauthorized']);
      }
    }
  });

  // What a publisher key may not see or do, endpoint by endpoint: publisher-scoping.test.ts.

  it('shows a publisher its own records without the merchant configuration', async () => {
    await server.json(`/v1/publishers/${a.id}`, { method: 'PATCH', json: { postbackSecret: 'signing-secret-0123456789' } });
    expect((await server.json(`/v1/publishers/${a.id}`)).body.postbackSecret).toBe('signing-secret-0123456789');
    const own = await server.json(`/v1/publishers/${a.id}`, { key: a.key });
    expect(own.status).toBe(200);
    expect(own.body.postbackSecret).toBeNull();
    expect((await server.json('/v1/publishers', { key: a.key })).body.data[0].postbackSecret).toBeNull();
    const sale = await server.json('/v1/transactions', { method: 'POST', json: { publisherId: a.id, offerId: offerForA, amount: '10.00', note: 'phone order' } });
    expect(sale.body).toMatchObject({ revenue: '0.00', note: 'phone order' });
    const seen = await server.json(`/v1/conversions/${sale.body.id}`, { key: a.key });
    expect(seen.body).toMatchObject({ payout: '3.00', revenue: null, note: null });
    const csv = await (await server.request(`/v1/conversions?format=csv`, { key: a.key })).text();
    expect(csv).not.toContain('phone order');
    const offer = await server.json(`/v1/offers/${offerForA}`, { key: a.key });
    expect(offer.status).toBe(200);
    expect(offer.body).not.toHaveProperty('postbackToken');
    expect(offer.body).not.toHaveProperty('revenue');
    expect(offer.body).not.toHaveProperty('publisherIds');
    const links = await server.json(`/v1/offers/${publicOffer}/links`, { key: a.key });
    expect(links.status).toBe(200);
    expect(links.body.trackingUrl).toBe(`http://track.waypost.test/c/${publicOffer}?pub=${a.id}`);
    expect(links.body.postbackUrl).toBeNull();
  });

  it('stops accepting a key once it is revoked', async () => {
    const created = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', name: 'temporary' } });
    expect(created.body.key).toMatch(/^wp_sk_[0-9a-z]{32}$/);
    expect((await server.json('/v1/offers', { key: created.body.key })).status).toBe(200);
    const listed = await server.json('/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect((await server.request(`/v1/api-keys/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.json('/v1/offers', { key: created.body.key })).status).toBe(401);
  });
});
