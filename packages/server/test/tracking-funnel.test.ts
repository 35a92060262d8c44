import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('the tracking endpoints on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Funnel publisher' } })).body;
  });
  afterAll(() => server.close());

  const createOffer = (fields: Record<string, unknown> = {}) =>
    server.createOffer<{ id: string; postbackToken: string }>({ url: 'https://shop.example.com/lp?cid={click_id}', payout: { model: 'cpa', amount: '12.50' }, ...fields });
  const click = async (offerId: string, query = '') => {
    const clicked = await server.click(offerId, {
      query: `pub=${publisher.id}${query}`,
      headers: { 'cf-ipcountry': 'DE', 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148' },
    });
    expect(clicked.clickId).toMatch(/^[0-9a-z]{30}$/);
    return clicked;
  };
  const postback = (query: string) => server.json(`/postback?${query}`, { key: null });

  it('records a click, sets the cookie and redirects with every macro expanded and encoded', async () => {
    const offer = await createOffer({
      url: 'https://shop.example.com/p/{offer_id}?c={click_id}&p={publisher_id}&s1={sub1}&s2={sub2}&src={source}&cc={country_code}&d={device}&t={timestamp}&u={unknown_macro}&e={sub5}#f={sub3}',
    });
    const { clickId, location, cookie } = await click(offer.id, '&sub1=a%20b%26c&sub2=%3Dq%23&sub3=frag&gclid=G-1');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=7776000/);
    expect(location).not.toMatch(/[{}]|%7B|%7D/i);
    const url = new URL(location);
    expect(url.pathname).toBe(`/p/${offer.id}`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ c: clickId, p: publisher.id, s1: 'a b&c', s2: '=q#', src: 'redirect', cc: 'DE', d: 'mobile', u: '', e: '' });
    expect(url.searchParams.get('t')).toMatch(/^\d{10}$/);
    const stored = await server.json(`/v1/clicks/${clickId}`);
    expect(stored.body).toMatchObject({ id: clickId, offerId: offer.id, publisherId: publisher.id, sub1: 'a b&c', country: 'DE', device: 'mobile', source: 'redirect', adClickIds: { gclid: 'G-1' }, status: 'accepted' });
  });

  it('answers an unknown offer or publisher with a plain 404 page', async () => {
    const offer = await createOffer();
    expect((await server.request('/c/off_nothing', { key: null })).status).toBe(404);
    expect((await server.request(`/c/${offer.id}?pub=pub_nobody`, { key: null })).status).toBe(404);
  });

  it('takes a postback for the click, dedupes a repeat, and reports it as one conversion', async () => {
    const offer = await createOffer();
    const { clickId } = await click(offer.id, '&sub1=campaign-7');
    const accepted = await postback(`click_id=${clickId}&amount=49.90&transaction_id=T-1&token=${offer.postbackToken}`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', conversionId: expect.any(String) });
    const again = await postback(`subid=${clickId}&amount=49.90&txid=T-1&token=${offer.postbackToken}`);
    expect(again.body).toEqual({ status: 'duplicate', conversionId: accepted.body.conversionId });
    const conversion = await server.json(`/v1/conversions/${accepted.body.conversionId}`);
    expect(conversion.body).toMatchObject({ offerId: offer.id, publisherId: publisher.id, clickId, status: 'approved', payout: '12.50', amount: '49.90', currency: 'USD', source: 'postback', kind: 'conversion', sub1: 'campaign-7' });
  });

  it('moves a lead to a sale as a status update', async () => {
    const offer = await createOffer();
    const { clickId } = await click(offer.id);
    const lead = await postback(`click_id=${clickId}&status=lead&token=${offer.postbackToken}`);
    expect(lead.body.status).toBe('accepted');
    expect((await server.json(`/v1/conversions/${lead.body.conversionId}`)).body.status).toBe('pending');
    const sale = await postback(`click_id=${clickId}&status=Sale&token=${offer.postbackToken}`);
    expect(sale.body).toEqual({ status: 'updated', conversionId: lead.body.conversionId });
    expect((await server.json(`/v1/conversions/${lead.body.conversionId}`)).body.status).toBe('approved');
    const back = await postback(`click_id=${clickId}&status=lead&token=${offer.postbackToken}`);
    expect(back.status).toBe(409);
  });

  it('prices a lead anew when the sale that approves it carries the amount, and moves the report with it', async () => {
    const offer = await createOffer({ payout: { model: 'cps', percent: '10' } });
    const { clickId } = await click(offer.id);
    const lead = await postback(`click_id=${clickId}&status=lead&transaction_id=L-1&token=${offer.postbackToken}`);
    expect((await server.json(`/v1/conversions/${lead.body.conversionId}`)).body).toMatchObject({ status: 'pending', payout: '0.00', reason: 'amount_missing' });
    const sale = await postback(`click_id=${clickId}&status=sale&amount=80.00&transaction_id=L-1&token=${offer.postbackToken}`);
    expect(sale.body).toEqual({ status: 'updated', conversionId: lead.body.conversionId });
    const stored = (await server.json(`/v1/conversions/${lead.body.conversionId}`)).body;
    expect(stored).toMatchObject({ status: 'approved', amount: '80.00', currency: 'USD', payout: '8.00', reason: null });
    const report = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-01&offerId=${offer.id}`);
    expect(report.body.totals).toMatchObject({ conversions: { pending: 0, approved: 1 }, payout: '8.00' });
  });

  it('adds a rebill on a rebill offer without counting a new conversion', async () => {
    const offer = await createOffer({ duplicates: 'rebill', payout: { model: 'cps', percent: '10' } });
    const { clickId } = await click(offer.id);
    const first = await postback(`click_id=${clickId}&amount=30.00&transaction_id=S-1&token=${offer.postbackToken}`);
    expect(first.body.status).toBe('accepted');
    const rebill = await postback(`click_id=${clickId}&amount=30.00&transaction_id=S-2&status=rebill&token=${offer.postbackToken}`);
    expect(rebill.body.status).toBe('rebill');
    const noTransaction = await postback(`click_id=${clickId}&amount=30.00&status=rebill&token=${offer.postbackToken}`);
    expect(noTransaction.body.status).toBe('duplicate');
    const stored = await server.json(`/v1/conversions/${rebill.body.conversionId}`);
    expect(stored.body).toMatchObject({ kind: 'rebill', payout: '3.00' });
  });

  it('refuses an unknown click with 404, a bad token with 403 and an unknown currency with 422, and logs each', async () => {
    const offer = await createOffer();
    const { clickId } = await click(offer.id);
    const unknown = await postback(`click_id=nosuchclick0000000&token=${offer.postbackToken}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'rejected', reason: 'unknown_click' });
    const badToken = await postback(`click_id=${clickId}&token=wrong`);
    expect(badToken.status).toBe(403);
    expect(badToken.body.reason).toBe('invalid_token');
    const currency = await postback(`click_id=${clickId}&amount=1&currency=XYZ&token=${offer.postbackToken}`);
    expect(currency.status).toBe(422);
    expect(currency.body.error.issues[0].path).toBe('currency');
    const log = await server.json(`/v1/postbacks?offerId=${offer.id}`);
    const reasons = log.body.data.map((entry: { reason: string }) => entry.reason);
    expect(reasons).toEqual(expect.arrayContaining(['invalid_token', 'unknown_currency']));
    expect(JSON.stringify(log.body)).not.toContain(offer.postbackToken);
    const all = await server.json('/v1/postbacks?outcome=error&limit=100');
    expect(all.body.data.map((entry: { reason: string }) => entry.reason)).toContain('unknown_click');
  });

  it('answers every malformed conversion request with a 4xx and a log entry, never a 500 or a half-written conversion', async () => {
    const offer = await createOffer({ payout: { model: 'cps', percent: '5' } });
    const { clickId } = await click(offer.id);
    const token = `token=${offer.postbackToken}`;
    const cases = [
      `amount=1&${token}`,
      `click_id=${clickId}&amount=1e309&${token}`,
      `click_id=${clickId}&amount=NaN&${token}`,
      `click_id=${clickId}&amount=-5&${token}`,
      `click_id=${clickId}&amount=12.345&currency=USD&${token}`,
      `click_id=${clickId}&amount=${'9'.repeat(10_000)}&${token}`,
      `click_id=${clickId}&click_id=${clickId}&${token}`,
      `click_id=${clickId}&status=maybe&${token}`,
      `click_id=${clickId}&country=Germany&${token}`,
      `click_id={click_id}&${token}`,
    ];
    const before = (await server.json(`/v1/postbacks?offerId=${offer.id}&limit=500`)).body.data.length;
    for (const query of cases) {
      const response = await postback(query);
      expect([query.slice(0, 60), response.status >= 400 && response.status < 500]).toEqual([query.slice(0, 60), true]);
      expect(response.body.error.code).toEqual(expect.any(String));
    }
    const conversions = await server.json(`/v1/conversions?offerId=${offer.id}`);
    expect(conversions.body.data).toEqual([]);
    const logged = (await server.json('/v1/postbacks?outcome=error&limit=500')).body.data.length;
    expect(logged).toBeGreaterThanOrEqual(cases.length);
    expect(before).toBe(0);
  });

  it('records direct-tracking visits and a conversion from checkout code for the visit', async () => {
    const offer = await createOffer({ directTracking: true, allowedOrigins: ['https://lander.shop.example'] });
    const visit = await server.json('/v1/visits', {
      key: null,
      method: 'POST',
      body: JSON.stringify({ offerId: offer.id, publisherId: publisher.id, sub1: 'fb', landingUrl: 'https://lander.shop.example/?pub=x' }),
      headers: { 'content-type': 'text/plain', origin: 'https://lander.shop.example' },
    });
    expect(visit.status).toBe(201);
    expect(visit.headers.get('access-control-allow-origin')).toBe('https://lander.shop.example');
    expect(visit.body).toMatchObject({ offerId: offer.id, publisherId: publisher.id, sub1: 'fb', clickId: expect.stringMatching(/^[0-9a-z]{30}$/) });
    const again = await server.json('/v1/visits', {
      key: null,
      method: 'POST',
      body: JSON.stringify({ offerId: offer.id, clickId: visit.body.clickId, landingUrl: 'https://lander.shop.example/page2' }),
      headers: { 'content-type': 'text/plain', origin: 'https://lander.shop.example' },
    });
    expect(again.body.clickId).toBe(visit.body.clickId);
    const foreign = await server.json('/v1/visits', {
      key: null,
      method: 'POST',
      body: JSON.stringify({ offerId: offer.id, landingUrl: 'https://evil.example/' }),
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const sale = await server.json('/v1/conversions', { method: 'POST', json: { clickId: visit.body.clickId, amount: '80.00', transactionId: 'ORDER-1' } });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ status: 'accepted', conversion: { clickId: visit.body.clickId, publisherId: publisher.id, payout: '12.50', source: 'api' } });
  });

  it('attributes a coupon-only conversion to the code owner', async () => {
    const offer = await createOffer();
    const code = await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'SPRING10' } });
    expect(code.status).toBe(201);
    const sale = await postback(`coupon=spring10&offer_id=${offer.id}&amount=20.00&transaction_id=C-1&token=${offer.postbackToken}`);
    expect(sale.body.status).toBe('accepted');
    const conversion = (await server.json(`/v1/conversions/${sale.body.conversionId}`)).body;
    expect(conversion).toMatchObject({ publisherId: publisher.id, clickId: null, couponCode: 'spring10' });
    const unknown = await postback(`coupon=NOPE&offer_id=${offer.id}&token=${offer.postbackToken}`);
    expect(unknown.status).toBe(404);
  });

  it('serves the pixel as a GIF whatever happens, and finds the click in the cookie', async () => {
    const offer = await createOffer({ approval: { defaultStatus: 'approved' } });
    const { clickId } = await click(offer.id);
    const pixel = await server.request(`/pixel.gif?offer_id=${offer.id}&amount=10.00&transaction_id=PX-1`, { key: null, headers: { cookie: `waypost_cid=${clickId}` } });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const conversions = await server.json(`/v1/conversions?offerId=${offer.id}`);
    expect(conversions.body.data).toHaveLength(1);
    expect(conversions.body.data[0]).toMatchObject({ source: 'pixel', status: 'pending', clickId });
    const broken = await server.request('/pixel.gif?amount=abc', { key: null });
    expect(broken.headers.get('content-type')).toBe('image/gif');
  });

  it('counts an impression', async () => {
    const offer = await createOffer({ payout: { model: 'cpm', amount: '2.00' } });
    const response = await server.request(`/i/${offer.id}?pub=${publisher.id}`, { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
  });

  it('reports the redirect funnel from click to postback by day, offer, publisher and sub id', async () => {
    const offer = await createOffer({ revenue: { mode: 'fixed', amount: '20.00' } });
    const first = await click(offer.id, '&sub1=spring');
    await click(offer.id, '&sub1=spring');
    await click(offer.id, '&sub1=autumn');
    await postback(`click_id=${first.clickId}&transaction_id=R-1&token=${offer.postbackToken}`);
    const day = '2026-03-01';
    const byDay = await server.json(`/v1/reports?from=${day}&to=${day}&groupBy=day,offer,publisher&offerId=${offer.id}`);
    expect(byDay.status).toBe(200);
    expect(byDay.body.rows).toEqual([
      expect.objectContaining({
        day,
        offerId: offer.id,
        publisherId: publisher.id,
        clicks: 3,
        conversions: { total: 1, approved: 1, pending: 0, rejected: 0, clickless: 0 },
        payout: '12.50',
        revenue: '20.00',
        profit: '7.50',
        cr: '33.33',
        epc: '4.17',
      }),
    ]);
    const bySub = await server.json(`/v1/reports?from=${day}&to=${day}&groupBy=sub1&offerId=${offer.id}`);
    expect(bySub.body.rows.map((row: { sub1: string; clicks: number; conversions: { total: number } }) => [row.sub1, row.clicks, row.conversions.total])).toEqual([
      ['autumn', 1, 0],
      ['spring', 2, 1],
    ]);
    expect(bySub.body.totals).toMatchObject({ clicks: 3, payout: '12.50' });
    // The test clock stands at 12:00 UTC, which is still the same day in Tokyo and in Honolulu.
    const tokyo = await server.json(`/v1/reports?from=${day}&to=${day}&timezone=Asia/Tokyo&offerId=${offer.id}`);
    expect(tokyo.body.totals.clicks).toBe(3);
    const csv = await server.request(`/v1/reports?from=${day}&to=${day}&groupBy=sub1&offerId=${offer.id}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe('sub1,clicks,impressions,conversions,approved,pending,rejected,clickless,rebills,revenue,payout,profit,sales,cr,epc,visits,uniqueVisits,bots,landerClicks,ctr,cost,roi');
    const asPublisher = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } });
    const own = await server.json(`/v1/reports?from=${day}&to=${day}&offerId=${offer.id}`, { key: asPublisher.body.key });
    expect(own.body.totals).toMatchObject({ payout: '12.50', revenue: null, profit: null });
  });
});

describe('the browser script', () => {
  it('is served first-party with caching headers and revalidates by ETag', async () => {
    const server = await startTestServer('sqlite');
    try {
      const response = await server.request('/waypost.js', { key: null });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(response.headers.get('cache-control')).toContain('max-age=3600');
      const etag = response.headers.get('etag')!;
      expect((await response.text()).length).toBeGreaterThan(1000);
      // node:http rather than fetch, which marks a conditional request as no-cache.
      const status = await new Promise<number | undefined>((resolve, reject) => {
        get(`${server.url}/waypost.js`, { headers: { 'if-none-match': etag } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).on('error', reject);
      });
      expect(status).toBe(304);
    } finally {
      await server.close();
    }
  });
});
