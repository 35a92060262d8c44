import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

// The README's rule for the browser endpoints: `directTracking` turns direct visits on; an empty `allowedOrigins` (the
// default) takes them, and browser conversions, from any page; a list restricts both to its origins.
describe.each(backends())('the origins the browser endpoints accept on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  const createOffer = (fields: Record<string, unknown> = {}) =>
    server.createOffer<{ id: string; allowedOrigins: string[] }>({ payout: { model: 'cpa', amount: '5.00' }, ...fields });
  const browserPost = (path: string, body: Record<string, unknown>, origin: string | undefined) =>
    server.json(path, { key: null, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain', ...(origin ? { origin } : {}) } });
  const visit = (offerId: string, origin?: string) => browserPost('/v1/visits', { offerId, landingUrl: `${origin ?? 'https://anywhere.example'}/lander` }, origin);
  const convert = (clickId: string, origin?: string) => browserPost('/v1/conversions/browser', { clickId, amount: '10.00' }, origin);

  it('takes direct visits and browser conversions from any page while allowedOrigins is empty, the default', async () => {
    const offer = await createOffer({ directTracking: true });
    expect(offer.allowedOrigins).toEqual([]);
    for (const origin of ['https://lander.shop.example', 'https://someone-else.example', 'http://localhost:8080', undefined]) {
      const visited = await visit(offer.id, origin);
      expect(visited.status, `visit from ${origin ?? 'no origin'}`).toBe(201);
      const converted = await convert(visited.body.clickId, origin);
      expect(converted.body, `conversion from ${origin ?? 'no origin'}`).toMatchObject({ status: 'accepted' });
    }
  });

  it('takes them only from the listed origins once allowedOrigins lists some', async () => {
    const offer = await createOffer({ directTracking: true, allowedOrigins: ['https://lander.shop.example'] });
    const listed = await visit(offer.id, 'https://lander.shop.example');
    expect(listed.status).toBe(201);
    for (const origin of ['https://someone-else.example', undefined]) {
      expect((await visit(offer.id, origin)).body.error).toMatchObject({ code: 'origin_not_allowed' });
      expect((await convert(listed.body.clickId, origin)).body.error).toMatchObject({ code: 'origin_not_allowed' });
    }
    expect((await convert(listed.body.clickId, 'https://lander.shop.example')).body).toMatchObject({ status: 'accepted' });
  });

  it('takes no direct visit from any origin without directTracking, whatever allowedOrigins says', async () => {
    const offer = await createOffer({ allowedOrigins: ['https://lander.shop.example'] });
    for (const origin of ['https://lander.shop.example', 'https://someone-else.example']) {
      const refused = await visit(offer.id, origin);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'direct_tracking_disabled' });
    }
  });
});
