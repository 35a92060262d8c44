import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('offer configuration over HTTP on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { env: { WAYPOST_CURRENCY: 'EUR' } });
  });
  afterAll(() => server.close());

  const createOffer = (json: Record<string, unknown>) =>
    server.json('/v1/offers', { method: 'POST', json: { url: 'https://shop.example.com/?c={click_id}', payout: { model: 'cpa', amount: '10' }, ...json } });

  it('creates an offer with defaults filled in and a generated postback token', async () => {
    const { status, body } = await createOffer({ name: 'Defaults' });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^off_[0-9a-z]+$/),
      status: 'active',
      currency: 'EUR',
      payout: { model: 'cpa', mode: 'fixed', amount: '10' },
      duplicates: 'ignore',
      approval: { defaultStatus: 'approved' },
      appendClickId: false,
      directTracking: false,
      visibility: 'public',
      archivedAt: null,
      postbackToken: expect.stringMatching(/^[0-9a-z]{32}$/),
    });
    expect((await server.json(`/v1/offers/${body.id}`)).body).toEqual(body);
  });

  it('stores every offer field as given', async () => {
    const fallback = (await createOffer({ name: 'Fallback' })).body.id;
    const network = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'Everflow-ish', clickIdParam: 'sub1', macros: { clickId: '{sub1}' } } })).body.id;
    const full = {
      name: 'Everything',
      url: 'https://shop.example.com/lp?cid={click_id}&s1={sub1}',
      status: 'inactive',
      expiresAt: '2027-06-30T00:00:00.000Z',
      leadType: 'Solar',
      currency: 'kwd',
      payout: { model: 'cps', mode: 'auto', percent: '12.5', geo: [{ countries: ['us', 'CA'], percent: '15' }] },
      revenue: { mode: 'fixed', amount: '3.125' },
      duplicates: 'rebill',
      approval: { defaultStatus: 'pending', holdDays: 30 },
      cap: { daily: 50, total: 5000, timezone: 'America/New_York', fallbackOfferId: fallback },
      affiliateNetworkId: network,
      appendClickId: true,
      staticUrl: 'https://shop.example.com/static',
      countries: ['US', 'CA'],
      group: 'Energy',
      tags: ['solar', 'us'],
      notes: 'Top converter',
      directTracking: true,
      allowedOrigins: ['https://shop.example.com'],
      postbackIpAllowlist: ['203.0.113.0/24'],
      email: { enabled: true, to: ['ops@example.com'], subject: 'Sale on {offer_id}', template: 'Payout {payout} {currency}' },
    };
    const { status, body } = await createOffer(full);
    expect(status).toBe(201);
    expect(body).toMatchObject({ ...full, currency: 'KWD', payout: { ...full.payout, geo: [{ countries: ['US', 'CA'], percent: '15' }] } });
  });

  it('refuses a duplicate name with 409', async () => {
    await createOffer({ name: 'Unique name' });
    const { status, body } = await createOffer({ name: 'UNIQUE NAME' });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'conflict', issues: [{ path: 'name' }] });
  });

  it('patches an offer and checks the merged result as a whole', async () => {
    const { body: offer } = await createOffer({ name: 'Patch me' });
    const patched = await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { leadType: 'Payday', tags: ['x'] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ leadType: 'Payday', tags: ['x'], payout: offer.payout, name: 'Patch me' });
    // 10 EUR is fine, 10 JPY is fine, but the existing amount "10" must fit a currency switch to a 0-decimal currency:
    const bad = await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { payout: { model: 'cpa', amount: '9.99' }, currency: 'JPY' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe('payout.amount');
    const threshold = await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { payout: { model: 'cps', percent: '5', threshold: { count: 3, period: 'day' } } } });
    expect(threshold.status).toBe(422);
    expect(threshold.body.error.issues[0].path).toBe('payout.threshold');
    expect((await server.json(`/v1/offers/${offer.id}`)).body.leadType).toBe('Payday');
  });

  it('refuses a cap that falls back to the offer itself', async () => {
    const { body: offer } = await createOffer({ name: 'Self fallback' });
    const response = await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { cap: { daily: 1, fallbackOfferId: offer.id } } });
    expect(response.status).toBe(422);
    expect(response.body.error.issues[0].path).toBe('cap.fallbackOfferId');
  });

  it('lists offers with status, lead type and name filters, page by page', async () => {
    for (const name of ['Filter Solar 1', 'Filter Solar 2', 'Filter Solar 3']) await createOffer({ name, leadType: 'FilterSolar' });
    await createOffer({ name: 'Filter Payday', leadType: 'FilterPayday', status: 'inactive' });
    const solar = await server.json('/v1/offers?leadType=FilterSolar&limit=2');
    expect(solar.body.data).toHaveLength(2);
    expect(solar.body.nextCursor).toEqual(expect.any(String));
    const rest = await server.json(`/v1/offers?leadType=FilterSolar&limit=2&cursor=${solar.body.nextCursor}`);
    expect(rest.body.data.map((o: { name: string }) => o.name)).toEqual(['Filter Solar 1']);
    expect(rest.body.nextCursor).toBeNull();
    const inactive = await server.json('/v1/offers?status=inactive&q=filter');
    expect(inactive.body.data.map((o: { name: string }) => o.name)).toEqual(['Filter Payday']);
    const badLimit = await server.json('/v1/offers?limit=501');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.issues[0].path).toBe('limit');
    const repeated = await server.json('/v1/offers?status=active&status=inactive');
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.issues[0].path).toBe('status');
  });

  it('archives an offer on DELETE and keeps it readable', async () => {
    const { body: offer } = await createOffer({ name: 'Archive me' });
    const archived = await server.json(`/v1/offers/${offer.id}`, { method: 'DELETE' });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await server.json(`/v1/offers/${offer.id}`)).body.archivedAt).toBe(archived.body.archivedAt);
    const listed = await server.json('/v1/offers?q=archive%20me');
    expect(listed.body.data).toEqual([]);
    const withArchived = await server.json('/v1/offers?q=archive%20me&includeArchived=true');
    expect(withArchived.body.data).toHaveLength(1);
  });

  it('rotates the postback token', async () => {
    const { body: offer } = await createOffer({ name: 'Rotate me' });
    const rotated = await server.json(`/v1/offers/${offer.id}/rotate-token`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.postbackToken).not.toBe(offer.postbackToken);
    expect((await server.json(`/v1/offers/${offer.id}`)).body.postbackToken).toBe(rotated.body.postbackToken);
  });

  it('issues links in the final shapes, with network macros in the postback URL', async () => {
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Links publisher' } })).body;
    const plain = (await createOffer({ name: 'Plain links' })).body;
    const links = await server.json(`/v1/offers/${plain.id}/links?publisherId=${publisher.id}`);
    expect(links.body).toEqual({
      offerId: plain.id,
      publisherId: publisher.id,
      trackingUrl: `http://track.waypost.test/c/${plain.id}?pub=${publisher.id}`,
      postbackUrl: `http://track.waypost.test/postback?click_id={click_id}&amount={amount}&transaction_id={transaction_id}&token=${plain.postbackToken}`,
      pixelUrl: `http://track.waypost.test/pixel.gif?offer_id=${plain.id}&amount={amount}&transaction_id={transaction_id}`,
      impressionUrl: `http://track.waypost.test/i/${plain.id}?pub=${publisher.id}`,
      landerSnippet: '<script async src="http://track.waypost.test/waypost.js"></script>',
      directTrackingSnippet: null,
      directTrackingSnippetUnavailable: 'direct_tracking_disabled',
      conversionSnippet: expect.stringContaining('data-convert'),
    });
    const network = (await server.json('/v1/affiliate-networks', { method: 'POST', json: { name: 'HasOffers', clickIdParam: 'aff_sub', macros: { clickId: '{aff_sub}', amount: '{sale_amount}', transactionId: '{transaction_id}', status: '{status}' }, statusMap: { '2': 'pending' } } })).body;
    const networked = (await createOffer({ name: 'Network links', affiliateNetworkId: network.id })).body;
    const netLinks = await server.json(`/v1/offers/${networked.id}/links`);
    expect(netLinks.body.postbackUrl).toBe(
      `http://track.waypost.test/postback?click_id={aff_sub}&amount={sale_amount}&transaction_id={transaction_id}&status={status}&token=${networked.postbackToken}`,
    );
    expect(netLinks.body.trackingUrl).toBe(`http://track.waypost.test/c/${networked.id}`);
    expect((await server.json(`/v1/offers/${networked.id}/links?publisherId=pub_missing`)).status).toBe(404);
  });

  it('hands out the direct-tracking snippet only for an offer whose visits it can record, and says why otherwise', async () => {
    const { body: offer } = await createOffer({ name: 'Snippet rule' });
    const visit = () =>
      server.request('/v1/visits', {
        key: null,
        method: 'POST',
        body: JSON.stringify({ offerId: offer.id, landingUrl: 'https://lander.shop.example/' }),
        headers: { 'content-type': 'text/plain', origin: 'https://lander.shop.example' },
      });
    // An offer made with the defaults: the snippet would be refused on every view, so none is handed out.
    const without = (await server.json(`/v1/offers/${offer.id}/links`)).body;
    expect(without).toMatchObject({ directTrackingSnippet: null, directTrackingSnippetUnavailable: 'direct_tracking_disabled' });
    expect((await visit()).status).toBe(403);

    expect((await server.json(`/v1/offers/${offer.id}`, { method: 'PATCH', json: { directTracking: true } })).status).toBe(200);
    const withIt = (await server.json(`/v1/offers/${offer.id}/links`)).body;
    expect(withIt).toMatchObject({
      directTrackingSnippet: `<script async src="http://track.waypost.test/waypost.js" data-offer="${offer.id}"></script>`,
      directTrackingSnippetUnavailable: null,
    });
    expect((await visit()).status).toBe(201);
    // The lander and thank-you tags are the same either way.
    expect(withIt.landerSnippet).toBe(without.landerSnippet);
    expect(withIt.conversionSnippet).toBe(without.conversionSnippet);
  });

  it('manages personal payouts for a publisher, a coupon, or both', async () => {
    const offer = (await createOffer({ name: 'Personal', payout: { model: 'cps', percent: '10' } })).body;
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'PP publisher' } })).body;
    const path = `/v1/offers/${offer.id}/personal-payouts`;
    const forPublisher = await server.json(path, { method: 'POST', json: { publisherId: publisher.id, percent: '12' } });
    expect(forPublisher.status).toBe(201);
    expect((await server.json(path, { method: 'POST', json: { couponCode: 'SUMMER', amount: '5.00' } })).status).toBe(201);
    expect((await server.json(path, { method: 'POST', json: { couponCode: 'summer', publisherId: publisher.id, amount: 5 } })).status).toBe(201);
    const duplicate = await server.json(path, { method: 'POST', json: { couponCode: 'Summer', amount: '1' } });
    expect(duplicate.status).toBe(409);
    expect((await server.json(path, { method: 'POST', json: { amount: '1.001' } })).body.error.issues.map((i: { path: string }) => i.path)).toEqual(['publisherId']);
    expect((await server.json(path, { method: 'POST', json: { couponCode: 'OTHER', amount: '1.001' } })).body.error.issues[0].path).toBe('amount');
    expect((await server.json(path, { method: 'POST', json: { publisherId: 'pub_missing', amount: '1' } })).status).toBe(422);
    const listed = await server.json(path);
    expect(listed.body.data).toHaveLength(3);
    expect((await server.request(`${path}/${forPublisher.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.json(path)).body.data).toHaveLength(2);
  });

  it('creates, reads and updates publishers', async () => {
    const created = await server.json('/v1/publishers', { method: 'POST', json: { name: 'Acme Media', email: 'ops@acme.example', postbackUrl: 'https://acme.example/pb?cid={click_id}&payout={payout}', postbackSecret: 'a-long-enough-secret' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme Media', status: 'active' });
    const paused = await server.json(`/v1/publishers/${created.body.id}`, { method: 'PATCH', json: { status: 'paused' } });
    expect(paused.body).toMatchObject({ status: 'paused', email: 'ops@acme.example' });
    expect((await server.json('/v1/publishers?status=paused')).body.data.map((p: { id: string }) => p.id)).toContain(created.body.id);
  });
});
