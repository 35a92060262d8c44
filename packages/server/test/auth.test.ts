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

  it('answers 403 to a publisher key on every admin route', async () => {
    for (const route of routes.filter((r) => r.access === 'admin')) {
      const response = await server.json(fill(route.path), { method: route.method, key: a.key, json: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect([route.method, route.path, response.status, response.body.error.code]).toEqual([route.method, route.path, 403, 'forbidden']);
    }
  });

  it("never shows publisher A another publisher's records", async () => {
    const asA = (path: string) => server.json(path, { key: a.key });
    expect((await asA(`/v1/publishers/${b.id}`)).status).toBe(404);
    expect((await asA(`/v1/offers/${offerForB}`)).status).toBe(404);
    expect((await asA(`/v1/offers/${offerForB}/links`)).status).toBe(404);
    expect((await asA(`/v1/offers/${publicOffer}/links?publisherId=${b.id}`)).status).toBe(404);
    const publishers = await asA('/v1/publishers');
    expect(publishers.body.data.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const offers = await asA('/v1/offers');
    expect(offers.body.data.map((o: { id: string }) => o.id).sort()).toEqual([publicOffer, offerForA].sort());
  });

  it('shows a publisher its own records without the merchant configuration', async () => {
    const own = await server.json(`/v1/publishers/${a.id}`, { key: a.key });
    expect(own.status).toBe(200);
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
