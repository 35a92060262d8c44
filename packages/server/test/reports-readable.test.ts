import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

// Reports a person can read: names beside ids, the sales, devices, conversions without a click kept out of the
// conversion rate, and a choice of the day a conversion counts on. Each test makes its own offer and filters on it.
describe.each(backends())('reports a person can read on %s', (backend) => {
  let server: TestServer;
  let publisher: { id: string; name: string };
  beforeAll(async () => {
    server = await startTestServer(backend);
    publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Readable Media' } })).body;
  });
  afterAll(() => server.close());

  let counter = 0;
  const createOffer = async (json: Record<string, unknown> = {}) => {
    counter += 1;
    const response = await server.json('/v1/offers', {
      method: 'POST',
      json: { name: `Spring sale ${counter}`, url: 'https://shop.example.com/?c={click_id}', payout: { model: 'cps', percent: '10' }, ...json },
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; name: string; postbackToken: string };
  };
  const click = async (offerId: string, userAgent = WINDOWS) => {
    const response = await server.request(`/c/${offerId}?pub=${publisher.id}`, { key: null, headers: { 'user-agent': userAgent } });
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  };
  const sale = async (json: Record<string, unknown>) => {
    const response = await server.json('/v1/conversions', { method: 'POST', json });
    expect(response.status).toBe(201);
    return response.body.conversionId as string;
  };
  const report = async (offerId: string, query: string, key?: string) => {
    const response = await server.json(`/v1/reports?offerId=${offerId}&${query}`, key === undefined ? {} : { key });
    expect(response.status).toBe(200);
    return response.body;
  };

  it('names the offer and the publisher of each row beside their ids, in JSON and in CSV', async () => {
    const offer = await createOffer();
    await click(offer.id);
    // A click without a publisher has no publisher's name either.
    await server.request(`/c/${offer.id}`, { key: null, headers: { 'user-agent': WINDOWS } });
    const body = await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=offer,publisher');
    expect(body.rows.map((row: Record<string, unknown>) => [row.offerId, row.offerName, row.publisherId, row.publisherName, row.clicks])).toEqual(
      expect.arrayContaining([
        [offer.id, offer.name, publisher.id, 'Readable Media', 1],
        [offer.id, offer.name, null, null, 1],
      ]),
    );
    expect(body.rows).toHaveLength(2);

    const csv = await server.request(`/v1/reports?offerId=${offer.id}&from=2026-03-01&to=2026-03-01&groupBy=day,offer,publisher&format=csv`);
    const [header, ...lines] = (await csv.text()).trim().split('\r\n');
    expect(header!.split(',').slice(0, 5)).toEqual(['day', 'offerId', 'offerName', 'publisherId', 'publisherName']);
    expect(lines).toContainEqual(expect.stringContaining(`2026-03-01,${offer.id},${offer.name},${publisher.id},Readable Media,1,`));

    // Grouped by day alone, a row names no offer.
    const byDay = await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=day');
    expect(byDay.rows[0]).not.toHaveProperty('offerName');
  });

  it('sums sale amounts in the account currency at the rate of their time, by status, for admins and publishers', async () => {
    const offer = await createOffer();
    expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { EUR: '1.10' } } })).status).toBe(200);
    const euros = await sale({ clickId: await click(offer.id), amount: '100.00', currency: 'EUR', transactionId: 'S-EUR' });
    await sale({ clickId: await click(offer.id), amount: '50.00', currency: 'USD', transactionId: 'S-USD' });
    // A later rate changes nothing already booked.
    expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { EUR: '2.00' } } })).status).toBe(200);
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01')).totals).toMatchObject({ sales: '160.00', payout: '16.00' });

    // A refund takes its sale out of the non-rejected sales and into the rejected ones.
    expect((await server.json(`/v1/conversions/${euros}`, { method: 'PATCH', json: { status: 'rejected', reason: 'refund' } })).status).toBe(200);
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01')).totals.sales).toBe('50.00');
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01&status=rejected')).totals.sales).toBe('110.00');

    // A sale in a currency without a rate counts once the rate arrives.
    await sale({ clickId: await click(offer.id), amount: '20.00', currency: 'NZD', transactionId: 'S-NZD' });
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01')).totals.sales).toBe('50.00');
    expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { NZD: '0.60' } } })).status).toBe(200);
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01')).totals.sales).toBe('62.00');

    const asPublisher = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId: publisher.id } });
    const own = await report(offer.id, 'from=2026-03-01&to=2026-03-01', asPublisher.body.key);
    expect(own.totals).toMatchObject({ sales: '62.00', revenue: null });
  });

  it("groups by the visitor's device in the daily and in the 15-minute rollup", async () => {
    const offer = await createOffer();
    const phone = await click(offer.id, IPHONE);
    await click(offer.id, IPHONE);
    await click(offer.id, WINDOWS);
    await sale({ clickId: phone, amount: '30.00', transactionId: 'D-1' });
    const expected = [
      ['desktop', 1, 0, '0.00'],
      ['mobile', 2, 1, '30.00'],
    ];
    const rows = (body: { rows: Record<string, any>[] }) => body.rows.map((row) => [row.device, row.clicks, row.conversions.total, row.sales]);
    expect(rows(await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=device'))).toEqual(expected);
    // Another timezone reads the 15-minute rollup.
    expect(rows(await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=device&timezone=Asia/Tokyo'))).toEqual(expected);
    expect(rows(await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=device&dateBasis=click'))).toEqual(expected);
  });

  it('counts conversions without a click apart, so that the conversion rate is of clicks and never over 100%', async () => {
    const offer = await createOffer();
    await server.json('/v1/promo-codes', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, code: 'READ10' } });
    await sale({ clickId: await click(offer.id, IPHONE), amount: '10.00', transactionId: 'C-1' });
    // A phone order booked by hand, and a coupon used without a click.
    const manual = await server.json('/v1/transactions', { method: 'POST', json: { offerId: offer.id, publisherId: publisher.id, amount: '25.00', transactionId: 'C-2' } });
    expect(manual.status).toBe(201);
    await sale({ couponCode: 'read10', offerId: offer.id, amount: '40.00', transactionId: 'C-3' });

    const { rows, totals } = await report(offer.id, 'from=2026-03-01&to=2026-03-01&groupBy=device');
    expect(totals).toMatchObject({ clicks: 1, conversions: { total: 3, approved: 3, pending: 0, rejected: 0, clickless: 2 }, sales: '75.00', cr: '100.00' });
    expect(rows.map((row: Record<string, any>) => [row.device, row.clicks, row.conversions.total, row.conversions.clickless, row.cr])).toEqual([
      [null, 0, 2, 2, '0.00'],
      ['mobile', 1, 1, 0, '100.00'],
    ]);
    // A status filter counts the clickless ones of that status.
    expect((await report(offer.id, 'from=2026-03-01&to=2026-03-01&status=approved&timezone=Europe/Paris')).totals).toMatchObject({
      conversions: { total: 3, clickless: 2 },
      cr: '100.00',
    });
    const csv = await server.request(`/v1/reports?offerId=${offer.id}&from=2026-03-01&to=2026-03-01&format=csv`);
    const [header, line] = (await csv.text()).trim().split('\r\n');
    const values = Object.fromEntries(header!.split(',').map((column, i) => [column, line!.split(',')[i]]));
    expect(values).toMatchObject({ conversions: '3', clickless: '2', sales: '75.00', cr: '100.00' });
  });

  it("counts a conversion on its click's day by dateBasis=click, and on its own by default, through status changes", async () => {
    const offer = await createOffer();
    const clickId = await click(offer.id);
    await click(offer.id);
    server.clock.set('2026-03-03T09:00:00Z');
    try {
      const late = await sale({ clickId, amount: '80.00', currency: 'CHF', transactionId: 'B-1' });
      const byDay = (body: { rows: Record<string, any>[] }) =>
        body.rows.map((row) => [row.day, row.clicks, row.conversions.approved, row.conversions.rejected, row.cr]);
      const range = 'from=2026-03-01&to=2026-03-03&groupBy=day';
      expect(byDay(await report(offer.id, range))).toEqual([
        ['2026-03-01', 2, 0, 0, '0.00'],
        ['2026-03-03', 0, 1, 0, '0.00'],
      ]);
      expect(byDay(await report(offer.id, `${range}&dateBasis=click`))).toEqual([['2026-03-01', 2, 1, 0, '50.00']]);
      // The same from the 15-minute rollup, in a timezone where both times fall on the same local days.
      expect(byDay(await report(offer.id, `${range}&dateBasis=click&timezone=Europe/Berlin`))).toEqual([['2026-03-01', 2, 1, 0, '50.00']]);
      // Only the conversion's own day in range: by click date it is out of it.
      expect((await report(offer.id, 'from=2026-03-03&to=2026-03-03&dateBasis=click')).totals.conversions.total).toBe(0);

      // The rate it waited for and a refund move it on its click's day too.
      expect((await server.json('/v1/fx-rates', { method: 'PUT', json: { rates: { CHF: '1.25' } } })).status).toBe(200);
      expect((await report(offer.id, `${range}&dateBasis=click`)).rows[0]).toMatchObject({ sales: '100.00', payout: '10.00' });
      expect((await server.json(`/v1/conversions/${late}`, { method: 'PATCH', json: { status: 'rejected' } })).status).toBe(200);
      expect(byDay(await report(offer.id, `${range}&dateBasis=click`))).toEqual([['2026-03-01', 2, 0, 1, '0.00']]);
      expect(byDay(await report(offer.id, `${range}&dateBasis=click&timezone=Europe/Berlin`))).toEqual([['2026-03-01', 2, 0, 1, '0.00']]);
      expect(byDay(await report(offer.id, range))).toEqual([
        ['2026-03-01', 2, 0, 0, '0.00'],
        ['2026-03-03', 0, 0, 1, '0.00'],
      ]);
      expect((await report(offer.id, `${range}&dateBasis=click&status=rejected`)).totals).toMatchObject({ sales: '100.00', conversions: { total: 1 } });
    } finally {
      server.clock.set('2026-03-01T12:00:00Z');
    }
  });

  it('refuses an unknown date basis naming the parameter', async () => {
    const response = await server.json('/v1/reports?from=2026-03-01&to=2026-03-01&dateBasis=visit');
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([expect.objectContaining({ path: 'dateBasis' })]);
  });
});
