import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, DESKTOP_BROWSER as BROWSER, startTestServer, type TestServer } from './support/harness.js';

const DAY = '2026-03-01';

// The smaller items of the hardening review (issue #12, item 7; README, Security).
describe.each(backends())('tracking hardening on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Hardening publisher' } })).body;
  });
  afterAll(() => server.close());

  const createOffer = (fields: Record<string, unknown> = {}) => server.createOffer(fields);
  const totals = async (offerId: string) => (await server.json(`/v1/reports?from=${DAY}&to=${DAY}&offerId=${offerId}`)).body.totals as { clicks: number; impressions: number; payout: string };
  const clicksOf = async (offerId: string) => (await server.json(`/v1/clicks?offerId=${offerId}`)).body.data as { device: string }[];

  it('books no CPC payout for clicks that the server classifies as bots, and books it for a person', async () => {
    const offer = await createOffer({ payout: { model: 'cpc', amount: '0.50' } });
    const visits: [string, RequestInit][] = [
      ['a crawler', { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } }],
      ['an HTTP library', { headers: { 'user-agent': 'python-requests/2.31.0' } }],
      ['no user agent', { headers: { 'user-agent': '' } }],
      ['a HEAD request', { method: 'HEAD', headers: { 'user-agent': BROWSER } }],
      ['a prefetch', { headers: { 'user-agent': BROWSER, 'sec-purpose': 'prefetch;prerender' } }],
      ['a link preview', { headers: { 'user-agent': BROWSER, 'x-purpose': 'preview' } }],
    ];
    for (const [what, init] of visits) {
      const response = await server.request(`/c/${offer.id}?pub=${publisher.id}`, { key: null, ...init });
      expect([what, response.status]).toEqual([what, 302]);
    }
    expect((await clicksOf(offer.id)).map((click) => click.device)).toEqual(visits.map(() => 'bot'));
    expect(await totals(offer.id)).toMatchObject({ clicks: visits.length, payout: '0.00' });

    await server.click(offer.id, { query: `pub=${publisher.id}` });
    expect(await totals(offer.id)).toMatchObject({ clicks: visits.length + 1, payout: '0.50' });
  });

  it('counts no impression, and so no CPM payout, for a bot', async () => {
    const offer = await createOffer({ payout: { model: 'cpm', amount: '2000.00' } });
    const bot = await server.request(`/i/${offer.id}?pub=${publisher.id}`, { key: null, headers: { 'user-agent': 'curl/8.5.0' } });
    expect(bot.headers.get('content-type')).toBe('image/gif');
    expect(await totals(offer.id)).toMatchObject({ impressions: 0, payout: '0.00' });
    await server.request(`/i/${offer.id}?pub=${publisher.id}`, { key: null, headers: { 'user-agent': BROWSER } });
    expect(await totals(offer.id)).toMatchObject({ impressions: 1, payout: '2.00' });
  });

  it('refuses a repeated pub like an unknown publisher, recording no click', async () => {
    const offer = await createOffer();
    const other = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Second publisher' } })).body;
    const response = await server.request(`/c/${offer.id}?pub=${publisher.id}&pub=${other.id}`, { key: null, headers: { 'user-agent': BROWSER } });
    expect(response.status).toBe(404);
    expect(response.headers.get('location')).toBeNull();
    expect(await clicksOf(offer.id)).toEqual([]);
    const impression = await server.request(`/i/${offer.id}?pub=${publisher.id}&pub=${publisher.id}`, { key: null, headers: { 'user-agent': BROWSER } });
    expect(impression.status).toBe(404);
  });

  it('logs a pixel whose parameters cannot be read and a browser conversion whose body is not JSON', async () => {
    const offer = await createOffer();
    const pixel = await server.request(`/pixel.gif?offer_id=${offer.id}&click_id=a&click_id=b`, { key: null });
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const browser = await server.request('/v1/conversions/browser', { key: null, method: 'POST', body: '{not json', headers: { 'content-type': 'text/plain' } });
    expect(browser.status).toBe(400);
    const entries = (await server.json('/v1/postbacks?limit=10')).body.data as { channel: string; httpStatus: number; reason: string }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'pixel', httpStatus: 400, reason: 'repeated_parameter' }),
        expect.objectContaining({ channel: 'browser', httpStatus: 400, reason: 'malformed_json' }),
      ]),
    );
  });

  it('sends no-store and nosniff on every /v1 answer, errors included', async () => {
    for (const [path, key] of [['/v1/offers', undefined], ['/v1/offers', null], ['/v1/nothing-here', undefined]] as const) {
      const response = await server.request(path, { key });
      expect([path, response.headers.get('cache-control'), response.headers.get('x-content-type-options')]).toEqual([path, 'no-store', 'nosniff']);
    }
  });

  it("shows a publisher key its own tracking link instead of the offer's destination", async () => {
    const offer = await createOffer({ url: 'https://merchant.example/secret-landing?cid={click_id}' });
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } })).body.key;
    const seen = await server.json(`/v1/offers/${offer.id}`, { key });
    expect(seen.status).toBe(200);
    expect(seen.body.url).toBeUndefined();
    expect(seen.body.trackingUrl).toBe(`http://track.waypost.test/c/${offer.id}?pub=${publisher.id}`);
    const listed = (await server.json('/v1/offers', { key })).body.data as Record<string, unknown>[];
    expect(listed.find((item) => item.id === offer.id)).toMatchObject({ trackingUrl: expect.stringContaining(`pub=${publisher.id}`) });
    expect(JSON.stringify(listed)).not.toContain('merchant.example');
  });

  it('exports a sub id that a spreadsheet splitting on ";" would run as a formula with the formula disarmed', async () => {
    const offer = await createOffer();
    const sub = "x;=cmd|' /C calc'!A0";
    const { clickId } = await server.click(offer.id, { query: `pub=${publisher.id}&sub1=${encodeURIComponent(sub)}` });
    await server.json(`/postback?click_id=${clickId}&token=${offer.postbackToken}`, { key: null });
    for (const path of [`/v1/conversions?offerId=${offer.id}&format=csv`, `/v1/reports?from=${DAY}&to=${DAY}&groupBy=sub1&offerId=${offer.id}&format=csv`]) {
      const text = await (await server.request(path)).text();
      expect(text).toContain(`"x;'=cmd|' /C calc'!A0"`);
      // Split as such a spreadsheet would, no piece starts a formula.
      expect(text.split(/[;,\r\n]/).map((piece) => piece.replace(/^"/, '')).filter((piece) => /^[=+@]/.test(piece))).toEqual([]);
    }
  });
});
